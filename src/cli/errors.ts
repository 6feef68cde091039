import type { BackendError } from '../control/types.ts';
import { type FaultCode } from '../control/types.ts';

/**
 * Exit codes, in one place. 1 = the environment refused (an --out path, a
 * write); 2 = a config supervisor rejects, a value a target cannot express,
 * bad usage; 70 = a bug.
 */
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
function exitForBackendError(err: BackendError): number {
  return err.code === 'UNREACHABLE' ? CTL_EXIT.unknown : CTL_EXIT.generic;
}

/** How the CLI reports one error class. */
interface ErrorRule {
  /** The exit status (README lists them). */
  exit: (err: Error) => number;
  /** Added to the message when it does not say what to do by itself. */
  hint?: string;
}

const fixed = (code: number) => (): number => code;

/**
 * Every error class under src/, by class name, and how the CLI reports it:
 * one line and an exit status. Names, not `instanceof`, so this table loads
 * no emitter or backend (`supctl --help` stays light). A class listed as
 * INTERNAL is a bug when it reaches the CLI (src/config turns it into a
 * ConfigError); it and anything unlisted exit 70 with a stack.
 * test/cli/errors.test.ts checks that every `class X extends Error` is here.
 */
export const ERROR_RULES: Readonly<Record<string, ErrorRule | 'INTERNAL'>> = {
  ConfigError: { exit: fixed(EXIT.config) },
  UsageError: { exit: fixed(EXIT.config) },
  ComposeError: { exit: fixed(EXIT.config) },
  KubernetesError: { exit: fixed(EXIT.config) },
  UnitSyntaxError: {
    exit: fixed(EXIT.config),
    hint: 'systemd cannot express this value: change it in the config',
  },
  UnsafePathError: { exit: fixed(EXIT.failure) },
  BackendError: { exit: (e) => exitForBackendError(e as BackendError) },
  MigrateError: { exit: fixed(EXIT.failure) },
  ShlexError: 'INTERNAL',
  PyFormatError: 'INTERNAL',
  PyValueError: 'INTERNAL',
  DatatypeError: 'INTERNAL',
  // the supervisord backend's session turns both into BackendErrors
  XmlRpcError: 'INTERNAL',
  XmlRpcFault: 'INTERNAL',
  // serve answers it as an XML-RPC fault; it never reaches the CLI
  RpcFault: 'INTERNAL',
};

function ruleFor(err: unknown): ErrorRule | undefined {
  if (!(err instanceof Error)) return undefined;
  const rule = ERROR_RULES[err.constructor.name];
  if (rule !== undefined && rule !== 'INTERNAL') return rule;
  // EACCES, ENOSPC, EROFS ... writing --out: the user's environment, not a bug
  if (isNodeFsError(err)) return { exit: fixed(EXIT.failure) };
  return undefined;
}

export function exitCodeFor(err: unknown): number {
  const rule = ruleFor(err);
  return rule === undefined ? EXIT.internal : rule.exit(err as Error);
}

/** One line for an error a user can cause; a stack only for a bug. */
export function messageFor(err: unknown): string {
  const rule = ruleFor(err);
  if (rule !== undefined) {
    const msg = (err as Error).message.replace(/\s*\n\s*/g, ' ');
    return rule.hint === undefined ? msg : `${msg} (${rule.hint})`;
  }
  if (err instanceof Error) return `internal error: ${err.stack ?? err.message}`;
  return `internal error: ${String(err)}`;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function isNodeFsError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    'syscall' in err
  );
}
