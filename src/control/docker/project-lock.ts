/** The per-project apply lock that apply and remove run under, with the journal beside it. */
import { acquireLock } from '../lock.ts';
import type { DockerClient } from './client.ts';
import { journalPath } from './journal.ts';
import { lockPath } from './lock-path.ts';

/** An apply on vfs storage can take minutes; a waiting one should outlast it. */
const LOCK_TIMEOUT_MS = 300_000;

/**
 * Runs `fn` holding the project's apply lock (another run's temp containers
 * are not leftovers), with the journal's path. A lock left by a killed run
 * is taken over (lock.ts). `step` names the failpoints, literally, so the
 * crash test can find every one in the source.
 */
export async function locked<T>(
  client: DockerClient,
  project: string,
  step: { locked: () => void; unlocking: () => void },
  fn: (journal: string) => Promise<T>,
): Promise<T> {
  const lock = lockPath(client.host, project);
  const release = await acquireLock(lock, LOCK_TIMEOUT_MS);
  try {
    step.locked();
    const r = await fn(journalPath(lock));
    step.unlocking();
    return r;
  } finally {
    release();
  }
}
