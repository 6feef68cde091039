/**
 * Where `supctl serve` listens and with which credentials: `--listen`
 * (HOST:PORT or unix:PATH), else the config file's [inet_http_server] /
 * [unix_http_server] as supervisord would, else 127.0.0.1:9001.
 */
import type { Deployment } from '../model/deployment.ts';
import type { Credentials } from './auth.ts';

export type ListenAt =
  | { kind: 'inet'; host: string; port: number; credentials: Credentials | null }
  | {
      kind: 'unix';
      path: string;
      chmod: number;
      chown: string | null;
      credentials: Credentials | null;
    };

export const DEFAULT_LISTEN = '127.0.0.1:9001';

function creds(u: string | null, p: string | null): Credentials | null {
  return u !== null && p !== null ? { username: u, password: p } : null;
}

/** HOST:PORT (HOST may be empty or `*`: every address, as supervisord's inet port) or unix:PATH. */
export function parseListen(spec: string, credentials: Credentials | null): ListenAt {
  if (spec.startsWith('unix:')) {
    const path = spec.slice(5).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error(`--listen ${spec}: no socket path`);
    return { kind: 'unix', path, chmod: 0o700, chown: null, credentials };
  }
  const i = spec.lastIndexOf(':');
  const hostPart = i < 0 ? '127.0.0.1' : spec.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const portPart = i < 0 ? spec : spec.slice(i + 1);
  if (!/^\d+$/.test(portPart) || Number(portPart) > 65535) {
    throw new Error(`--listen ${spec}: not HOST:PORT or unix:PATH`);
  }
  const host = hostPart === '' || hostPart === '*' ? '0.0.0.0' : hostPart;
  return { kind: 'inet', host, port: Number(portPart), credentials };
}

/** The config file's servers (both when both are set, as supervisord), else none. */
export function listenFromConfig(d: Deployment): ListenAt[] {
  const out: ListenAt[] = [];
  const inet = d.inetHttpServer;
  if (inet !== null) out.push(parseListen(inet.port, creds(inet.username, inet.password)));
  const unix = d.unixHttpServer;
  if (unix !== null) {
    out.push({
      kind: 'unix',
      path: unix.file,
      chmod: unix.chmod,
      chown: unix.chown,
      credentials: creds(unix.username, unix.password),
    });
  }
  return out;
}
