import { exitCodeFor, messageFor } from './errors.ts';

/** Runs one command body; maps a thrown error to one line on stderr and an exit code. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (err) {
    process.stderr.write(`supctl: ${messageFor(err)}\n`);
    process.exitCode = exitCodeFor(err);
  }
}
