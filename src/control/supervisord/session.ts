/**
 * One supervisord: the XML-RPC client, supervisorctl's upcheck (API version
 * 3.0) before the first call, and every transport failure turned into a
 * BackendError once, here.
 */
import { XmlRpcClient } from '../../xmlrpc/client.ts';
import { request } from '../../xmlrpc/transport.ts';
import { XmlRpcFault, type XmlRpcValue } from '../../xmlrpc/types.ts';
import { BackendError } from '../types.ts';
import { backendError, FAULTS } from './faults.ts';

interface SessionOptions {
  serverUrl: string;
  username?: string | null | undefined;
  password?: string | null | undefined;
  timeoutMs?: number | undefined;
}

export class Session {
  readonly client: XmlRpcClient;
  readonly url: string;
  private checked: Promise<void> | null = null;

  constructor(o: SessionOptions) {
    this.url = o.serverUrl;
    this.client = new XmlRpcClient({
      url: o.serverUrl,
      username: o.username,
      password: o.password,
      timeoutMs: o.timeoutMs ?? 30_000,
    });
  }

  /** supervisorctl's upcheck: refuse a server that does not speak API 3.0. */
  private upcheck(): Promise<void> {
    this.checked ??= (async () => {
      let v: XmlRpcValue;
      try {
        v = await this.client.call('supervisor.getVersion');
      } catch (e) {
        this.checked = null; // a daemon that comes up later gets a new check
        if (e instanceof XmlRpcFault && e.faultCode === FAULTS.UNKNOWN_METHOD) {
          throw new BackendError(
            'FAILED',
            'Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).',
            { cause: e },
          );
        }
        throw backendError(e, this.url, 'supervisor.getVersion');
      }
      if (v !== '3.0') {
        throw new BackendError(
          'FAILED',
          `Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is ${typeof v === 'string' ? v : JSON.stringify(v)}.`,
        );
      }
    })();
    return this.checked;
  }

  /** A call whose faults the caller handles (XmlRpcFault passes through). */
  async callRaw(method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> {
    await this.upcheck();
    try {
      return await this.client.call(method, params);
    } catch (e) {
      if (e instanceof XmlRpcFault) throw e;
      throw backendError(e, this.url, method);
    }
  }

  /** A call where any fault is a BackendError. */
  async call(method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> {
    try {
      return await this.callRaw(method, params);
    } catch (e) {
      throw backendError(e, this.url, method);
    }
  }

  /** A streamed GET (/logtail/…): resolves once the headers are in; the body is the caller's. */
  async get(path: string, signal?: AbortSignal) {
    await this.upcheck();
    try {
      return await request(this.client.target, {
        method: 'GET',
        path,
        // medusa streams (chunked) to a keep-alive HTTP/1.1 client; to a
        // `Connection: close` one it sent nothing while the log grew (measured)
        headers: { Connection: 'keep-alive' },
        timeoutMs: this.client.timeoutMs,
        signal,
      });
    } catch (e) {
      throw backendError(e, this.url, `GET ${path}`);
    }
  }
}
