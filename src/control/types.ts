/**
 * The control facade: one interface every backend implements (systemd over
 * D-Bus, Docker over the Engine API, a live supervisord over XML-RPC).
 * States and fault codes are supervisor's, so one CLI prints the same table
 * and exit codes whatever runs the programs.
 */
import type { ProgressSink } from './progress.ts';
import type { Deployment } from '../model/deployment.ts';

/** supervisor's process states (supervisor/states.py). */
export type ProcessState =
  'STOPPED' | 'STARTING' | 'RUNNING' | 'BACKOFF' | 'STOPPING' | 'EXITED' | 'FATAL' | 'UNKNOWN';

export const STOPPED_STATES: readonly ProcessState[] = ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];
export const RUNNING_STATES: readonly ProcessState[] = ['RUNNING', 'BACKOFF', 'STARTING'];
export const SIGNALLABLE_STATES: readonly ProcessState[] = ['RUNNING', 'STARTING', 'STOPPING'];

/** One process as a backend sees it. Times are milliseconds since the epoch. */
export interface ProcessStatus {
  /** supervisor group name (`[group:x]` name, or the program's own name). */
  group: string;
  /** supervisor process name (after process_name expansion). */
  name: string;
  /** supervisorctl's display name: `name` when group === name, else `group:name`. */
  namespec: string;
  /** The supctl project the process belongs to. */
  project: string;
  state: ProcessState;
  /** supervisorctl's description column (pid/uptime, stop time, spawn error). */
  description: string;
  pid: number | null;
  /** When the current (or last) run started. */
  startedAt: number | null;
  /** When the last run ended, if it is not running. */
  stoppedAt: number | null;
  /** Exit status of the last run (-1 for a signal death, as supervisor), null if unknown. */
  exitStatus: number | null;
  /** Automatic restarts counted by the backend (systemd NRestarts, Docker RestartCount). */
  restarts: number | null;
  /** Only filled when detail was asked for (they cost extra calls). */
  cpuNsec: number | null;
  memoryBytes: number | null;
  /** The backend's own handle: unit name, container id. */
  ref: string;
  /** Log files a client could open, where the backend writes to files ('' for the journal, a container, discarded). */
  logfiles?: { stdout: string; stderr: string };
}

/** supervisor's XML-RPC fault names that the verbs report (supervisor/xmlrpc.py Faults). */
export type FaultCode =
  | 'BAD_NAME'
  | 'BAD_SIGNAL'
  | 'BAD_ARGUMENTS'
  | 'NOT_RUNNING'
  | 'ALREADY_STARTED'
  | 'SPAWN_ERROR'
  | 'ABNORMAL_TERMINATION'
  | 'FAILED'
  | 'NOT_EXECUTABLE'
  | 'NO_FILE';

/** The outcome of one verb on one process. */
export interface ActionResult {
  namespec: string;
  ok: boolean;
  fault?: FaultCode;
  /** supervisorctl-style message, e.g. "ERROR (spawn error)". */
  message?: string;
  /** supervisord's own fault text (its backend only): supervisorctl prints a FAILED stop or signal as just this. */
  faultString?: string;
}

export interface LogRequest {
  channel: 'stdout' | 'stderr';
  /** Last N bytes (supervisorctl `tail -N`); default 1600. */
  bytes?: number;
  follow: boolean;
  /** Ends a follow. */
  signal?: AbortSignal;
}

/** supervisorctl `clear`: one process's outcome (supervisorctl's _clearresult), and why it failed. */
export interface ClearResult {
  namespec: string;
  outcome: 'cleared' | 'no such process' | 'failed';
  /** Why a log could not be cleared, where supervisord would not have failed (journal, container). */
  why?: string;
}

/** supervisorctl `maintail`: the last `bytes` of the daemon's log, or follow it until `signal`. */
export interface MainLogRequest {
  bytes: number;
  follow: boolean;
  signal?: AbortSignal | undefined;
}

/** supervisorctl reread's view of a config change, by group name. */
export interface ChangeSet {
  added: string[];
  changed: string[];
  removed: string[];
}

export interface ApplyOptions {
  /** Only report what would be done. */
  dryRun: boolean;
  /** `update`: touch only added/changed/removed groups (apply does everything). */
  onlyChanges: boolean;
  /** Install only, start nothing (migrate starts each group itself, after supervisord stops it). */
  noStart?: boolean;
  /** Told as each group finishes a phase (create, start, stop...). */
  onProgress?: ProgressSink | undefined;
}

export interface RemoveOptions {
  /** Told as each group is stopped and removed. */
  onProgress?: ProgressSink | undefined;
}

export interface ApplyResult {
  changes: ChangeSet;
  /** Files or objects written, for the report. */
  written: string[];
}

/** `avail`: every configured process, in use or not. */
export interface AvailEntry {
  namespec: string;
  inUse: boolean;
  autostart: boolean;
  priority: number;
}

export interface Backend {
  /** Every process the backend manages for the selected project(s). */
  list(opts?: { detail?: boolean }): Promise<ProcessStatus[]>;
  start(targets: ProcessStatus[]): Promise<ActionResult[]>;
  stop(targets: ProcessStatus[]): Promise<ActionResult[]>;
  /** supervisorctl semantics: stop all named, then start all named. */
  restart(targets: ProcessStatus[]): Promise<ActionResult[]>;
  signal(targets: ProcessStatus[], signal: string): Promise<ActionResult[]>;
  /** Non-follow: resolves after the last chunk. Follow: until req.signal aborts. */
  logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void>;
  avail(): Promise<AvailEntry[]>;
  /** The pid of the daemon that runs the programs, for a bare `pid`; only a backend that has one. */
  daemonPid?(): Promise<number>;
  /** reread: what applying `d` would change. */
  plan(d: Deployment): Promise<ChangeSet>;
  /** apply / update. All or nothing: on failure the previous state keeps running. */
  apply(d: Deployment, opts: ApplyOptions): Promise<ApplyResult>;
  /** remove / uninstall the project. */
  remove(opts?: RemoveOptions): Promise<void>;
  /**
   * supervisorctl's `remove GROUP` / `add GROUP` where the daemon has them
   * (removeProcessGroup / addProcessGroup); a backend without them gets the
   * plan/apply route of src/control/stack/groups.ts.
   */
  removeGroup?(group: string): Promise<GroupEdit>;
  addGroup?(group: string): Promise<GroupEdit>;
  /**
   * What supervisorctl asks of supervisord itself (clear, maintail,
   * shutdown, reload, fg's input); a backend without them gets
   * src/control/stack/daemon.ts's meaning of each.
   */
  clearLogs?(names: readonly string[]): Promise<ClearResult[]>;
  mainLog?(req: MainLogRequest, sink: (chunk: Buffer) => void): Promise<void>;
  /** 'shutting down' when the daemon already is (SHUTDOWN_STATE). */
  shutdownDaemon?(): Promise<'done' | 'shutting down'>;
  restartDaemon?(): Promise<'done' | 'shutting down'>;
  /** false when the process no longer runs. */
  sendStdin?(namespec: string, text: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * What `remove`/`add GROUP` did: done, or refused as supervisord refuses it
 * (a process still running, the group already active, no such group).
 */
export type GroupEdit = 'done' | 'running' | 'active' | 'unknown';

/** A backend failure the CLI reports in one line (no bus, denied, no daemon). */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly code: 'UNREACHABLE' | 'DENIED' | 'TIMEOUT' | 'NOT_FOUND' | 'CONFLICT' | 'FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
