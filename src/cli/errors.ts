import { ConfigError } from '../config/errors.ts';
import { UnsafePathError } from '../emit/write.ts';

/** Exit codes, in one place. 2 = a config supervisor rejects / bad usage. */
export const EXIT = { ok: 0, failure: 1, config: 2, internal: 70 } as const;

export function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError) return EXIT.config;
  if (err instanceof UsageError) return EXIT.config;
  if (err instanceof UnsafePathError) return EXIT.failure;
  if (isNodeFsError(err)) return EXIT.failure;
  return EXIT.internal;
}

export function messageFor(err: unknown): string {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof UnsafePathError)
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
