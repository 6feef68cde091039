/**
 * [fcgi-program:x] → PROJECT-x.socket + the service taking the listening
 * socket on fd 0 (StandardInput=socket), as supervisor dup's it to fd 0
 * (process.py:764-779). socket_mode defaults to supervisor's 0700
 * (systemd's default would be 0666); socket_owner `user[:group]`.
 */
import type { Group } from '../../model/group.ts';

export interface ListenAddress {
  kind: 'unix' | 'tcp';
  /** ListenStream= value: a path, `port` or `host:port`. */
  address: string;
}

export function listenAddress(url: string): ListenAddress | null {
  if (url.startsWith('unix://')) return { kind: 'unix', address: url.slice('unix://'.length) };
  if (url.startsWith('tcp://')) {
    const hp = url.slice('tcp://'.length);
    const i = hp.lastIndexOf(':');
    if (i < 0) return null;
    const host = hp.slice(0, i);
    const port = hp.slice(i + 1);
    return { kind: 'tcp', address: host === '' || host === '*' ? port : `${host}:${port}` };
  }
  return null;
}

/** The group's socket address, or null (not an fcgi-program, or a URL systemd cannot listen on). */
export function socketAddress(g: Group): ListenAddress | null {
  return g.socket === undefined ? null : listenAddress(g.socket);
}
