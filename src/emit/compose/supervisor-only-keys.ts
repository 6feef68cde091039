/**
 * The compose key table's rows for keys that only mean something under
 * supervisord: serverurl, the fcgi socket, the event listener keys.
 */
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
  socket_owner: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('socket_owner: no socket is created'),
  },
  socket_mode: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('socket_mode: no socket is created'),
  },
  socket_backlog: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('socket_backlog: no socket is created'),
  },
  // eventlisteners get no service (see index.ts); these rows exist for completeness.
  events: { target: 'NONE', best: 'NONE', apply: () => none('events: no event listeners') },
  buffer_size: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('buffer_size: no event listeners'),
  },
  result_handler: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('result_handler: no event listeners'),
  },
} satisfies Partial<Record<ProgramKey, Rule>>;
