/**
 * [fcgi-program:x] → PROJECT-x.socket + the service taking the listening
 * socket on fd 0 (StandardInput=socket), as supervisor dup's it to fd 0
 * (process.py:764-779). socket_mode defaults to supervisor's 0700
 * (systemd's default would be 0666); socket_owner `user[:group]`.
 */
import type { Group } from '../../model/group.ts';
import { escapePathValue } from './escape.ts';
import type { Directive, ProgramFindings } from './findings.ts';

export function listenAddress(url: string): { kind: 'unix' | 'tcp'; address: string } | null {
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

export function socketDirectives(g: Group, f: ProgramFindings): Directive[] | null {
  const url = g.socket;
  if (url === undefined) return null;
  const addr = listenAddress(url);
  if (addr === null) {
    f.add('socket', 'NONE', `socket URL ${url} is neither unix:// nor tcp://; no socket unit`);
    return null;
  }
  const out: Directive[] = [{ key: 'ListenStream', value: escapePathValue(addr.address) }];
  out.push({ key: 'Accept', value: 'no' });
  if (addr.kind === 'unix') {
    const mode = g.socket_mode ?? 0o700;
    out.push({ key: 'SocketMode', value: `0${mode.toString(8).padStart(3, '0')}` });
    f.add('socket_mode', 'EXACT', `SocketMode=0${mode.toString(8)}`);
    if (g.socket_owner) {
      const [user, group] = g.socket_owner.split(':');
      if (user) out.push({ key: 'SocketUser', value: escapePathValue(user) });
      if (group) out.push({ key: 'SocketGroup', value: escapePathValue(group) });
      f.add('socket_owner', 'EXACT', `SocketUser=/SocketGroup= ${g.socket_owner}`);
    }
  }
  if (g.socket_backlog !== null && g.socket_backlog !== undefined) {
    out.push({ key: 'Backlog', value: String(g.socket_backlog) });
    f.add('socket_backlog', 'EXACT', `Backlog=${g.socket_backlog}`);
  }
  f.add(
    'socket',
    'APPROX',
    'systemd owns the socket (PROJECT-PROGRAM.socket) and passes it on fd 0; the socket exists while the socket unit is active, not only while the program runs',
  );
  return out;
}
