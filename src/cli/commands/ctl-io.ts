import type { ProgressRenderer } from '../progress.ts';

/**
 * Where a verb's output goes: the one-shot CLI, the interactive shell and
 * the unit tests each give their own, and share every line.
 */
export interface CtlIO {
  /** One line of the verb's output (stdout). */
  out(line: string): void;
  /** Raw bytes (tail). */
  write(chunk: Buffer | string): void;
  /** A diagnostic line (stderr). */
  err(line: string): void;
  /** Progress for long operations; only set on a terminal. */
  progress?: (line: string) => void;
  /** Per-group progress of apply/update/uninstall (src/cli/progress.ts); none with --json. */
  steps?: ProgressRenderer | undefined;
  json: boolean;
  wide: boolean;
  /** Colour the output (src/cli/colour.ts decides). */
  colour?: boolean;
}

/** One JSON document, as every verb prints with --json. */
export function printJson(io: CtlIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
