/**
 * Where supervisorctl would connect, from a parsed config and its -s/-u/-p
 * flags (supervisor 4.2.5 ClientOptions: the flags win, then
 * [supervisorctl] serverurl/username/password, serverurl defaulting to
 * http://localhost:9001; a unix:// path normalized).
 *
 * supervisorctl refuses a config without [supervisorctl]. supctl reads
 * whole supervisord configs, where that section is often missing, so it
 * then falls back to the server supervisord itself opens ([unix_http_server]
 * file first, else [inet_http_server] port) with that section's credentials;
 * `source` says which rule applied.
 */
import type { Deployment } from '../../model/deployment.ts';

interface ServerSettings {
  serverUrl: string;
  username: string | null;
  password: string | null;
  source: 'flags' | 'supervisorctl' | 'unix_http_server' | 'inet_http_server' | 'default';
}

interface ServerFlags {
  serverUrl?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

const DEFAULT_SERVER_URL = 'http://localhost:9001';

/** inet_http_server's port value (`host:port`, `:port`, `port`) as a URL to connect to. */
export function inetUrl(port: string): string {
  const i = port.lastIndexOf(':');
  const host = i < 0 ? '' : port.slice(0, i);
  const p = i < 0 ? port : port.slice(i + 1);
  // an empty host or `*` listens everywhere: connect through loopback
  return `http://${host === '' || host === '*' ? 'localhost' : host}:${p.trim()}`;
}

export function discoverServer(d: Deployment | null, flags: ServerFlags = {}): ServerSettings {
  let base: ServerSettings = {
    serverUrl: DEFAULT_SERVER_URL,
    username: null,
    password: null,
    source: 'default',
  };
  if (d?.supervisorctl) {
    const c = d.supervisorctl;
    base = {
      serverUrl: c.serverurl ?? DEFAULT_SERVER_URL,
      username: c.username,
      password: c.password,
      source: 'supervisorctl',
    };
  } else if (d?.unixHttpServer) {
    const u = d.unixHttpServer;
    base = {
      serverUrl: `unix://${u.file}`,
      username: u.username,
      password: u.password,
      source: 'unix_http_server',
    };
  } else if (d?.inetHttpServer) {
    const s = d.inetHttpServer;
    base = {
      serverUrl: inetUrl(s.port),
      username: s.username,
      password: s.password,
      source: 'inet_http_server',
    };
  }
  const anyFlag =
    flags.serverUrl !== undefined || flags.username !== undefined || flags.password !== undefined;
  return {
    serverUrl: flags.serverUrl ?? base.serverUrl,
    username: flags.username ?? base.username,
    password: flags.password ?? base.password,
    source: anyFlag ? 'flags' : base.source,
  };
}
