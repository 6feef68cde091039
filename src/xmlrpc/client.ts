/**
 * An XML-RPC client: POST /RPC2 (supervisord takes any path starting with
 * /RPC2; supervisorctl always uses /RPC2 whatever the serverurl's path),
 * one connection per call, a deadline per call.
 */
import { decodeResponse } from './decode.ts';
import { encodeCall } from './encode.ts';
import { collect, request, type ServerTarget } from './transport.ts';
import { XmlRpcError, XmlRpcFault, type XmlRpcValue } from './types.ts';

interface XmlRpcClientOptions extends ServerTarget {
  /** Per-call deadline (default 30 s). */
  timeoutMs?: number | undefined;
}

export class XmlRpcClient {
  readonly target: ServerTarget;
  readonly timeoutMs: number;

  constructor(opts: XmlRpcClientOptions) {
    this.target = { url: opts.url, username: opts.username, password: opts.password };
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Resolves with the value; rejects with XmlRpcFault for a fault, XmlRpcError for the rest. */
  async call(
    methodName: string,
    params: readonly XmlRpcValue[] = [],
    opts: { timeoutMs?: number } = {},
  ): Promise<XmlRpcValue> {
    const body = encodeCall(methodName, params);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const { res, done } = await request(this.target, {
      method: 'POST',
      path: '/RPC2',
      body,
      timeoutMs,
    });
    const text = (await collect(res, done)).toString('utf8');
    let r;
    try {
      r = decodeResponse(text);
    } catch (e) {
      if (e instanceof XmlRpcError) {
        throw new XmlRpcError('PARSE', `${methodName}: ${e.message}`, { cause: e });
      }
      throw e;
    }
    if (r.fault) throw new XmlRpcFault(r.faultCode, r.faultString);
    return r.value;
  }
}
