/**
 * One apply at a time per project: an O_EXCL lock file holding the owner's
 * pid. A lock whose pid is gone (or which is unreadable for more than a
 * few seconds) is stale and taken over. Waits up to `timeoutMs`, then
 * CONFLICT.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackendError } from '../types.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock at `file` belongs to nobody (its owner died). */
function stale(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false; // gone already: the next open decides
  }
  const pid = Number(/^(\d+)/.exec(text)?.[1] ?? NaN);
  if (Number.isInteger(pid) && pid > 0) return !alive(pid);
  // being written right now, or garbage: stale once it is old
  try {
    return Date.now() - statSync(file).mtimeMs > 5_000;
  } catch {
    return false;
  }
}

/** Takes the lock; resolves with its release function. */
export async function acquireLock(file: string, timeoutMs: number): Promise<() => void> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BackendError('FAILED', `cannot create the lock ${file}: ${(e as Error).message}`);
      }
    }
    if (stale(file)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      let owner = '?';
      try {
        owner = readFileSync(file, 'utf8').trim();
      } catch {
        /* gone meanwhile */
      }
      throw new BackendError(
        'CONFLICT',
        `another supctl apply holds ${file} (pid ${owner}); try again when it is done`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
