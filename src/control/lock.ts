/**
 * One apply at a time per project, for either backend: a lock file holding
 * `PID STARTTIME TOKEN`. It is written under a temporary name and linked
 * into place, so it never exists half-written, and link(2) fails when
 * another holder's lock is there.
 *
 * A lock is stale when its process is gone, or when that pid now belongs
 * to a later process (start time differs). Taking a stale lock over: only
 * the waiter that creates `LOCK.takeover.TOKEN` (O_EXCL, TOKEN = the stale
 * lock's) may remove it, and it re-reads the lock first, so a lock another
 * waiter has taken meanwhile is never removed. release() removes the lock
 * only while it still holds our token.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { startTime } from './usage/proc.ts';
import { BackendError } from './types.ts';

interface Owner {
  pid: number;
  startTime: number;
  token: string;
}

/**
 * The takeover guard is held only within one synchronous step; one older
 * than this belongs to a waiter killed inside that step.
 */
const GUARD_STALE_MS = 10_000;

function readOwner(file: string): Owner | 'gone' | 'garbage' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  const m = /^(\d+) (\d+) ([0-9a-f]+)\n$/.exec(text);
  return m ? { pid: Number(m[1]), startTime: Number(m[2]), token: m[3]! } : 'garbage';
}

function alive(o: Owner): boolean {
  return startTime(o.pid) === o.startTime;
}

/** Writes `content` to a fresh file beside `file` and links it in place; false when `file` exists. */
function publish(file: string, content: string): boolean {
  const tmp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Removes the stale lock `seen` unless another waiter got there first. Exported for its test. */
export function takeOver(file: string, seen: Owner | 'garbage', me: string): void {
  const guard = `${file}.takeover.${seen === 'garbage' ? 'garbage' : seen.token}`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) rmSync(guard, { force: true });
    } catch {
      /* removed meanwhile */
    }
    return; // another waiter is taking over: the next round sees the result
  }
  try {
    writeSync(fd, me);
    closeSync(fd);
    const now = readOwner(file);
    const same =
      seen === 'garbage'
        ? now === 'garbage'
        : now !== 'gone' && now !== 'garbage' && now.token === seen.token;
    if (same) unlinkSync(file);
  } finally {
    rmSync(guard, { force: true });
  }
}

/** Takes the lock; resolves with its release function. Waits up to `timeoutMs`, then CONFLICT. */
export async function acquireLock(file: string, timeoutMs: number): Promise<() => void> {
  const since = startTime(process.pid);
  if (since === null) throw new BackendError('FAILED', 'cannot read /proc/self/stat for the lock');
  const me: Owner = { pid: process.pid, startTime: since, token: randomBytes(16).toString('hex') };
  const content = `${me.pid} ${me.startTime} ${me.token}\n`;
  const deadline = Date.now() + timeoutMs;
  let garbageSince: number | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    throw new BackendError('FAILED', `cannot create the lock ${file}: ${(e as Error).message}`);
  }
  for (;;) {
    try {
      if (publish(file, content)) return () => release(file, me.token);
    } catch (e) {
      throw new BackendError('FAILED', `cannot create the lock ${file}: ${(e as Error).message}`);
    }
    const owner = readOwner(file);
    if (owner === 'garbage') {
      // not written by this version (which never shows a partial lock): stale once it stays so
      garbageSince ??= Date.now();
      if (Date.now() - garbageSince > 2_000) takeOver(file, owner, content);
    } else if (owner !== 'gone' && !alive(owner)) {
      takeOver(file, owner, content);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner === 'gone' || owner === 'garbage' ? '?' : String(owner.pid);
      throw new BackendError(
        'CONFLICT',
        `another supctl apply holds ${file} (pid ${who}); try again when it is done`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes the lock if it is still ours (a lock taken over from us is the new holder's). */
function release(file: string, token: string): void {
  const o = readOwner(file);
  if (o !== 'gone' && o !== 'garbage' && o.token === token) rmSync(file, { force: true });
}
