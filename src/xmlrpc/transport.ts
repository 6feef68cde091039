/**
 * HTTP to an XML-RPC server the way supervisorctl reaches supervisord:
 * `unix:///path/sock` (HTTP over an AF_UNIX socket) or `http://host[:port]`,
 * optional Basic auth, a deadline for the whole exchange. Used for POST
 * /RPC2 (client.ts) and for streamed GETs such as supervisord's /logtail.
 */
import http from 'node:http';
import { XmlRpcError } from './types.ts';

export interface ServerTarget {
  /** `unix:///run/supervisor.sock` or `http://127.0.0.1:9001`. */
  url: string;
  username?: string | null | undefined;
  password?: string | null | undefined;
}

interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number;
}

/** Where a server URL points; an XmlRpcError('URL') for anything else. */
export function parseServerUrl(url: string): Endpoint {
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (socketPath === '') throw new XmlRpcError('URL', `no socket path in ${url}`);
    return { socketPath };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new XmlRpcError('URL', `not a server URL: ${url}`);
  }
  if (u.protocol !== 'http:')
    throw new XmlRpcError('URL', `unsupported scheme in ${url} (unix:// or http://)`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port === '' ? 80 : Number(u.port) };
}

function authHeader(t: ServerTarget): Record<string, string> {
  if (t.username === undefined || t.username === null) return {};
  const token = Buffer.from(`${t.username}:${t.password ?? ''}`, 'utf8').toString('base64');
  return { Authorization: `Basic ${token}` };
}

interface RequestOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Deadline for the answer's headers (and, for `collect`, its whole body). */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

function describe(t: ServerTarget): string {
  return t.url;
}

/**
 * Sends one request; resolves with the response once its headers arrived and
 * the status is 200 (any other status rejects with XmlRpcError('HTTP')). The
 * deadline stays armed: `done()` disarms it, for streams that outlive it.
 */
export function request(
  t: ServerTarget,
  o: RequestOptions,
): Promise<{ res: http.IncomingMessage; done: () => void }> {
  const ep = parseServerUrl(t.url);
  return new Promise((resolve, reject) => {
    let settled = false;
    let response: http.IncomingMessage | undefined;
    const req = http.request({
      ...ep,
      method: o.method,
      path: o.path,
      agent: false,
      headers: {
        ...(o.body !== undefined
          ? { 'Content-Type': 'text/xml', 'Content-Length': String(Buffer.byteLength(o.body)) }
          : {}),
        ...authHeader(t),
        ...o.headers,
      },
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const timer = setTimeout(() => {
      const e = new XmlRpcError(
        'TIMEOUT',
        `${describe(t)}: no answer within ${o.timeoutMs} ms (${o.method} ${o.path})`,
      );
      // a body still arriving fails with the timeout, not with "aborted"
      response?.destroy(e);
      req.destroy(e);
    }, o.timeoutMs);
    const done = (): void => clearTimeout(timer);
    req.on('error', (e: NodeJS.ErrnoException) => {
      done();
      if (settled) return;
      settled = true;
      if (e instanceof XmlRpcError) reject(e);
      else if (e.name === 'AbortError') reject(e);
      else {
        reject(
          new XmlRpcError('UNREACHABLE', `cannot reach ${describe(t)}: ${e.code ?? e.message}`, {
            cause: e,
          }),
        );
      }
    });
    req.on('response', (res) => {
      response = res;
      if (res.statusCode === 200) {
        settled = true;
        resolve({ res, done });
        return;
      }
      const status = res.statusCode ?? 0;
      res.resume();
      done();
      settled = true;
      req.destroy();
      reject(
        new XmlRpcError(
          'HTTP',
          `${describe(t)}: HTTP ${status} ${res.statusMessage ?? ''} for ${o.method} ${o.path}`.trimEnd(),
          {
            status,
          },
        ),
      );
    });
    req.end(o.body);
  });
}

/** Reads a whole body (bounded), under the request's deadline. */
export function collect(
  res: http.IncomingMessage,
  done: () => void,
  maxBytes = 256 * 1024 * 1024,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        res.destroy(new XmlRpcError('PARSE', `answer larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.on('error', (e) => {
      done();
      reject(
        e instanceof XmlRpcError
          ? e
          : new XmlRpcError('UNREACHABLE', `connection lost: ${e.message}`, { cause: e }),
      );
    });
    res.on('end', () => {
      done();
      resolve(Buffer.concat(chunks));
    });
  });
}
