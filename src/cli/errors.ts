import { ConfigError } from '../config/errors.ts';
import { UnsafePathError } from '../emit/write.ts';
import { BackendError, type FaultCode } from '../control/types.ts';

/** Exit codes, in one place. 2 = a config supervisor rejects / bad usage. */
export const EXIT = { ok: 0, failure: 1, config: 2, internal: 70 } as const;

/**
 * The control verbs' exit codes: supervisorctl 4.2.5's (supervisorctl.py:47-62,
 * LSBInitExitStatuses / LSBStatusExitStatuses).
 */
export const CTL_EXIT = {
  ok: 0,
  /** GENERIC: any other error. */
  generic: 1,
  /** INVALID_ARGS: usage; `start` with no name or an unknown group. */
  invalidArgs: 2,
  /** status: a listed process is in STOPPED_STATES. */
  statusNotRunning: 3,
  /** status: an unknown name; any verb: cannot connect (supervisorctl's "refused connection"). */
  unknown: 4,
  /** start/stop/signal: SPAWN_ERROR, ABNORMAL_TERMINATION or NOT_RUNNING. */
  notRunning: 7,
} as const;

export type CtlVerb = 'start' | 'stop' | 'signal';

/** supervisorctl's set_exitstatus_from_xmlrpc_fault, with each verb's ignored fault. */
export function exitForFault(verb: CtlVerb, fault: FaultCode | undefined): number {
  if (fault === undefined) return CTL_EXIT.ok;
  if (verb === 'start' && fault === 'ALREADY_STARTED') return CTL_EXIT.ok;
  if (verb === 'stop' && fault === 'NOT_RUNNING') return CTL_EXIT.ok;
  if (fault === 'SPAWN_ERROR' || fault === 'ABNORMAL_TERMINATION' || fault === 'NOT_RUNNING')
    return CTL_EXIT.notRunning;
  return CTL_EXIT.generic;
}

/**
 * A name that names nothing: status → 4; start with an unknown group → 2;
 * everything else (an unknown process for start, any unknown name for
 * stop/signal/pid) → 1, as supervisorctl.
 */
export function exitForBadName(
  verb: CtlVerb | 'status' | 'pid' | 'tail',
  kind: 'no such group' | 'no such process',
): number {
  if (verb === 'status') return CTL_EXIT.unknown;
  if (verb === 'start' && kind === 'no such group') return CTL_EXIT.invalidArgs;
  return CTL_EXIT.generic;
}

/** supervisorctl assigns its exit status as it goes: the last failure wins. */
export class ExitStatus {
  code = 0;
  set(code: number): void {
    if (code !== 0) this.code = code;
  }
}

/** A backend failure: unreachable (4, as "refused connection") or anything else (1). */
export function exitForBackendError(err: BackendError): number {
  return err.code === 'UNREACHABLE' ? CTL_EXIT.unknown : CTL_EXIT.generic;
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof BackendError) return exitForBackendError(err);
  if (err instanceof ConfigError) return EXIT.config;
  if (err instanceof UsageError) return EXIT.config;
  if (err instanceof UnsafePathError) return EXIT.failure;
  if (isNodeFsError(err)) return EXIT.failure;
  return EXIT.internal;
}

export function messageFor(err: unknown): string {
  if (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    err instanceof UnsafePathError ||
    err instanceof BackendError
  )
    return err.message;
  if (isNodeFsError(err)) return err.message;
  if (err instanceof Error) return `internal error: ${err.stack ?? err.message}`;
  return `internal error: ${String(err)}`;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Errors from writing --out (EACCES, ENOSPC, EROFS ...) are the user's environment, not a bug. */
function isNodeFsError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    'syscall' in err
  );
}
