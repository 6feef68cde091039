/**
 * [fcgi-program:x] → PROJECT-x.socket + the service taking the listening
 * socket on fd 0 (StandardInput=socket), as supervisor dup's it to fd 0
 * (process.py:764-779). socket_mode defaults to supervisor's 0700
 * (systemd's default would be 0666); socket_owner `user[:group]`.
 */
import type { Group } from '../../model/group.ts';
import type { ServiceContext } from './context.ts';
import { escapePathValue, octal } from './escape.ts';
import type { Outcome } from './findings.ts';
import { approx, exact, none } from './findings.ts';

interface ListenAddress {
  kind: 'unix' | 'tcp';
  /** ListenStream= value: a path, `port` or `host:port`. */
  address: string;
}

function listenAddress(url: string): ListenAddress | null {
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

/** The key table's socket rows: the .socket unit's directives and the service's wiring. */
export const socketRows = {
  socket: (c: ServiceContext): Outcome | undefined => {
    if (c.g.socket === undefined) return undefined;
    const addr = socketAddress(c.g);
    if (addr === null || c.socketFile === null) {
      return none(`socket URL ${c.g.socket} is neither unix:// nor tcp://; no socket unit`);
    }
    c.service.push({ key: 'Sockets', value: c.socketFile });
    c.service.push({ key: 'StandardInput', value: 'socket' });
    c.socket?.push({ key: 'ListenStream', value: escapePathValue(addr.address) });
    c.socket?.push({ key: 'Accept', value: 'no' });
    // a socket unit activates one service: the first instance; the others get it via Sockets=
    if (c.layout !== 'single') c.socket?.push({ key: 'Service', value: c.units[0]! });
    return approx(
      'systemd owns the socket (PROJECT-PROGRAM.socket) and passes it on fd 0; the socket exists while the socket unit is active, not only while the program runs',
    );
  },
  owner: (c: ServiceContext): Outcome | undefined => {
    const owner = c.g.socket_owner;
    if (socketAddress(c.g)?.kind !== 'unix' || !owner) return undefined;
    const [user, group] = owner.split(':');
    if (user) c.socket?.push({ key: 'SocketUser', value: escapePathValue(user) });
    if (group) c.socket?.push({ key: 'SocketGroup', value: escapePathValue(group) });
    return exact(`SocketUser=/SocketGroup= ${owner}`);
  },
  mode: (c: ServiceContext): Outcome | undefined => {
    if (socketAddress(c.g)?.kind !== 'unix') return undefined;
    const mode = c.g.socket_mode ?? 0o700;
    c.socket?.push({ key: 'SocketMode', value: octal(mode) });
    return exact(`SocketMode=0${mode.toString(8)}`);
  },
  backlog: (c: ServiceContext): Outcome | undefined => {
    const backlog = c.g.socket_backlog;
    if (socketAddress(c.g) === null || backlog === null || backlog === undefined) return undefined;
    c.socket?.push({ key: 'Backlog', value: String(backlog) });
    return exact(`Backlog=${backlog}`);
  },
};
