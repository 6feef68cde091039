/**
 * Runs the key table on one unit file: every row writes its directives and
 * returns its outcome; the directives are then put in the order a reader
 * expects in the file, whatever the row order.
 */
import { formatOrigin } from '../../model/origin.ts';
import type { ServiceContext } from './context.ts';
import { UnitSyntaxError } from './escape.ts';
import type { Directive, ProgramFindings } from './findings.ts';
import { PROGRAM_KEYS, PROGRAM_RULES } from './keys.ts';
import type { SupervisordRule } from './section-keys.ts';
import { SUPERVISORD_KEYS, SUPERVISORD_RULES } from './section-keys.ts';

/** [Service] directives in file order. */
const SERVICE_ORDER = [
  'Type',
  'ExecStart',
  'WorkingDirectory',
  'UMask',
  'User',
  'EnvironmentFile',
  'Environment',
  'Restart',
  'RestartForceExitStatus',
  'SuccessExitStatus',
  'RestartSec',
  'KillMode',
  'KillSignal',
  'TimeoutStopSec',
  'SendSIGKILL',
  'StandardOutput',
  'StandardError',
  'SyslogIdentifier',
  'LimitNOFILE',
  'Sockets',
  'StandardInput',
];

/** [Socket] directives in file order. */
const SOCKET_ORDER = [
  'ListenStream',
  'Accept',
  'SocketMode',
  'SocketUser',
  'SocketGroup',
  'Backlog',
  'Service',
];

/** A stable sort by `order`; a directive missing from it is a bug in the table. */
function ordered(list: Directive[], order: string[]): Directive[] {
  const rank = (d: Directive) => {
    const i = order.indexOf(d.key);
    if (i < 0) throw new Error(`supctl: ${d.key}= has no place in the unit file order`);
    return i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

/** Fills c.service, c.unit and c.socket from the key table; outcomes go to `f`. */
export function applyKeyTable(c: ServiceContext, f: ProgramFindings): void {
  for (const key of PROGRAM_KEYS) {
    try {
      f.record(key, PROGRAM_RULES[key].apply(c));
    } catch (e) {
      // the value's own file:line, section and key, in front of what systemd cannot take
      if (e instanceof UnitSyntaxError) {
        throw new UnitSyntaxError(`${formatOrigin(f.origin(key))}: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }
  for (const key of SUPERVISORD_KEYS) {
    const rule: SupervisordRule = SUPERVISORD_RULES[key];
    if (rule.service) c.service.push(...rule.service(c.d));
  }
  c.service = ordered(c.service, SERVICE_ORDER);
  if (c.socket !== null) c.socket = ordered(c.socket, SOCKET_ORDER);
}
