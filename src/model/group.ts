import type { Origin } from './origin.ts';
import type { Process } from './process.ts';

export type ProgramKind = 'program' | 'fcgi-program' | 'eventlistener';

/** Program-level facts an emitter needs beyond the expanded processes. */
export interface ProgramInfo {
  /** Program name from the section header, e.g. `web` for `[program:web]`. */
  name: string;
  kind: ProgramKind;
  numprocs: number;
  numprocs_start: number;
  /** Every key written in the section (lower-cased, file order): "was this key written?". */
  written: string[];
  origin: Origin;
}

export interface Group {
  name: string;
  /** The section kind of its programs (every program of a group has the same). */
  kind: ProgramKind;
  priority: number;
  processes: Process[];
  /** Programs that feed this group (one for a homogeneous group, several for [group:x]). */
  programs: ProgramInfo[];
  /** fcgi-program only: the socket URL (unix:///path or tcp://host:port). */
  socket?: string;
  socket_owner?: string | null;
  socket_mode?: number | null;
  socket_backlog?: number | null;
  /** eventlistener only. */
  events?: string[];
  buffer_size?: number;
  result_handler?: string;
  origin: Origin;
}
