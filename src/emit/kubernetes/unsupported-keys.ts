/** The key table's rows for what Kubernetes has no counterpart of: supervisord's URL, fcgi sockets, events. */
import { none, type Rule } from './rule.ts';

export const UNSUPPORTED_KEYS = {
  serverurl: {
    target: 'NONE',
    best: 'NONE',
    apply: () =>
      none('serverurl: there is no supervisord in the pod; SUPERVISOR_SERVER_URL is not set'),
  },
  socket: {
    target: 'NONE (fcgi socket on fd 0)',
    best: 'NONE',
    always: true,
    apply: (c) =>
      c.w.group.kind === 'fcgi-program'
        ? none(
            `socket=${c.w.group.socket ?? ''}: Kubernetes cannot pass a listening socket as fd 0; the program starts without it`,
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
  // eventlisteners get no workload (see index.ts); these rows exist for completeness.
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
} satisfies Record<string, Rule>;
