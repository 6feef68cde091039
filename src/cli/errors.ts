import { ConfigError } from '../config/errors.ts';

/** Exit codes, in one place. 2 = a config supervisor rejects / bad usage. */
export const EXIT = { ok: 0, failure: 1, config: 2, internal: 70 } as const;

export function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError) return EXIT.config;
  if (err instanceof UsageError) return EXIT.config;
  return EXIT.internal;
}

export function messageFor(err: unknown): string {
  if (err instanceof ConfigError || err instanceof UsageError) return err.message;
  if (err instanceof Error) return `internal error: ${err.stack ?? err.message}`;
  return `internal error: ${String(err)}`;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
