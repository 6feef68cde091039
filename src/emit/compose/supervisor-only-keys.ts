/**
 * The compose key table's rows for keys that only mean something under
 * supervisord: serverurl, the fcgi socket, the event listener keys.
 */
import { NO_EVENT_ROWS, NO_SOCKET_ROWS } from '../container-rows.ts';
import { none } from './rule.ts';
import type { ProgramKey } from './keys.ts';
import type { Rule } from './rule.ts';

export const SUPERVISOR_ONLY_RULES = {
  serverurl: {
    target: 'NONE',
    best: 'NONE',
    apply: () =>
      none('serverurl: there is no supervisord in the container; SUPERVISOR_SERVER_URL is not set'),
  },
  socket: {
    target: 'NONE (fcgi socket on fd 0)',
    best: 'NONE',
    always: true,
    apply: (c) =>
      c.plan.group.kind === 'fcgi-program'
        ? none(
            `socket=${c.plan.group.socket ?? ''}: Docker cannot create the socket and pass it as fd 0; the program starts without it`,
          )
        : undefined,
  },
  ...NO_SOCKET_ROWS,
  ...NO_EVENT_ROWS,
} satisfies Partial<Record<ProgramKey, Rule>>;
