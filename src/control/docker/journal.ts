/**
 * What an apply must remember across its own death: the ids of the
 * containers it stops while they run. Everything else a crashed apply
 * leaves is visible in the daemon (temporary names, never-started
 * containers), but "this stopped container was running" is not, and a
 * next update with a config that keeps it would otherwise leave it down.
 *
 * One small file beside the project's lock, read and written only while
 * holding that lock, replaced atomically (rename), removed when an apply
 * or remove has nothing left to finish.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { BackendError } from '../types.ts';

export function journalPath(lock: string): string {
  return `${lock}.journal`;
}

/** The ids a crashed run stopped while they ran; none when there is no journal. */
export function readJournal(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new BackendError('FAILED', `cannot read ${file}: ${(e as Error).message}`);
  }
  // a journal this version cannot read is dropped: the worst case is a container left stopped
  return text.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l));
}

export function writeJournal(file: string, ids: readonly string[]): void {
  if (ids.length === 0) return clearJournal(file);
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, [...new Set(ids)].map((id) => `${id}\n`).join(''), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new BackendError('FAILED', `cannot write ${file}: ${(e as Error).message}`);
  }
}

export function clearJournal(file: string): void {
  rmSync(`${file}.tmp`, { force: true });
  rmSync(file, { force: true });
}
