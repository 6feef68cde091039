/** The key table's rows for what Kubernetes has no counterpart of: supervisord's URL, fcgi sockets, events. */
import { NO_EVENT_ROWS, NO_SOCKET_ROWS } from '../container-rows.ts';
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
  ...NO_SOCKET_ROWS,
  ...NO_EVENT_ROWS,
} satisfies Record<string, Rule>;
