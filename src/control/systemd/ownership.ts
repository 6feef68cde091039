/**
 * What supctl may write and delete in a unit directory: only files it wrote
 * and recorded. A unit name that already means something to systemd (a
 * file supctl did not write, a distribution unit, a systemd.special(7)
 * target) is refused before anything is written; `remove` deletes only
 * recorded files that still carry supctl's header.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_MARK } from '../../emit/systemd/unit-files.ts';
import { BackendError } from '../types.ts';
import type { Manager } from './manager.ts';
import { allManifests, MANIFEST_DIR, type Manifest } from './manifest.ts';

/** True when the file at `full` says supctl generated it (its header line). */
export function carriesHeader(full: string): boolean {
  try {
    return readFileSync(full, 'utf8').slice(0, 4096).includes(HEADER_MARK);
  } catch {
    return false;
  }
}

/**
 * Refuses to install `files` for `project` when any of them is not ours to
 * write: a file already in the unit directory that this project's manifest
 * does not list, or a unit systemd already loads from somewhere else.
 */
export async function checkOwnership(
  mgr: Manager,
  unitDir: string,
  project: string,
  old: Pick<Manifest, 'files'> | null,
  files: string[],
): Promise<void> {
  const ours = new Set(old?.files ?? []);
  const fresh = files.filter((f) => !ours.has(f));
  const others = new Map<string, string>();
  for (const m of allManifests(unitDir)) {
    if (m.project === project) continue;
    for (const f of m.files) others.set(f, m.project);
  }
  for (const f of fresh) {
    const owner = others.get(f);
    if (owner !== undefined) {
      throw new BackendError(
        'CONFLICT',
        `${f} belongs to supctl project ${owner}: choose another --name for ${project}`,
      );
    }
    if (existsSync(join(unitDir, f))) {
      throw new BackendError(
        'CONFLICT',
        `${join(unitDir, f)} exists and supctl did not write it for project ${project}: refusing to overwrite it (choose another --name, or move that file)`,
      );
    }
  }
  // units by name: the manager also knows the ones in /usr/lib, /etc and /run; a template
  // (`x@.service`) cannot be asked for by name, one of its instances can
  const names = fresh
    .filter((f) => !f.includes('/') && !f.startsWith(MANIFEST_DIR))
    .map((f) => f.replace('@.', '@supctl-probe.'));
  for (const u of await mgr.listUnitsByNames(names)) {
    if (u.load !== 'not-found') {
      throw new BackendError(
        'CONFLICT',
        `systemd already has a unit ${u.name} (${u.load}, ${u.active}) that supctl did not write: refusing to shadow it (choose another --name)`,
      );
    }
  }
}
