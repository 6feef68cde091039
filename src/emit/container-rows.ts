/**
 * Key-table rows that read the same in every container target (compose,
 * kubernetes): no fcgi socket is created, and there are no supervisor
 * events. They need no context, so one row serves every table.
 */
import type { Fidelity } from '../model/finding.ts';
import { none, type Outcome } from './outcome.ts';

interface ContextFreeRow {
  target: string;
  best: Fidelity;
  apply: () => Outcome;
}

const row = (message: string): ContextFreeRow => ({
  target: 'NONE',
  best: 'NONE',
  apply: () => none(message),
});

export const NO_SOCKET_ROWS = {
  socket_owner: row('socket_owner: no socket is created'),
  socket_mode: row('socket_mode: no socket is created'),
  socket_backlog: row('socket_backlog: no socket is created'),
};

/** eventlisteners get no service or workload; these rows exist for completeness. */
export const NO_EVENT_ROWS = {
  events: row('events: no event listeners'),
  buffer_size: row('buffer_size: no event listeners'),
  result_handler: row('result_handler: no event listeners'),
};
