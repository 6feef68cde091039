/**
 * The per-project manifest: which units a project installed, which process
 * each unit runs, and a hash of each group's effective config (its emitted
 * files plus the settings that live only in supctl: startsecs, autostart,
 * priority). Stored as `<unitDir>/.supctl/<project>.json` beside the units
 * it describes, so units and manifest are restored together.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import { unitNameComponent } from '../../emit/systemd/escape.ts';
import type { PlannedProcess, SystemdPlan } from '../../emit/systemd/plan.ts';
import type { EmittedFile } from '../../emit/types.ts';
import { BackendError } from '../types.ts';

export const MANIFEST_DIR = '.supctl';

/** One process as installed: the plan's entry, stored as it is. */
export type ManifestProcess = PlannedProcess;

export interface Manifest {
  version: 1;
  project: string;
  scope: 'user' | 'system';
  configFile: string;
  /** The project target (enabled, started by apply). */
  target: string;
  logDir: string;
  /** Every file installed, relative to the unit dir. */
  files: string[];
  /** group name → hash of its effective config. */
  groups: Record<string, string>;
  processes: ManifestProcess[];
  appliedAt: number;
}

export function manifestPath(unitDir: string, project: string): string {
  return join(unitDir, MANIFEST_DIR, `${unitNameComponent(project)}.json`);
}

export function lockPath(unitDir: string, project: string): string {
  return join(unitDir, MANIFEST_DIR, `${unitNameComponent(project)}.lock`);
}

export function readManifest(unitDir: string, project: string): Manifest | null {
  const p = manifestPath(unitDir, project);
  if (!existsSync(p)) return null;
  return readManifestFile(p);
}

/** One manifest file; a corrupt one is a one-line BackendError naming it. */
function readManifestFile(p: string): Manifest {
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as Manifest;
    if (m.version !== 1) throw new Error(`unknown manifest version ${String(m.version)}`);
    return m;
  } catch (e) {
    throw new BackendError('FAILED', `cannot read the manifest ${p}: ${(e as Error).message}`);
  }
}

/** Every project with a manifest in `unitDir`. */
export function allManifests(unitDir: string): Manifest[] {
  const dir = join(unitDir, MANIFEST_DIR);
  if (!existsSync(dir)) return [];
  const out: Manifest[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    out.push(readManifestFile(join(dir, f)));
  }
  return out;
}

/** The processes of a plan, with the unit each runs in and where its logs go. */
export function processesOf(plan: SystemdPlan): ManifestProcess[] {
  return plan.services.flatMap((s) => s.processes);
}

/** The group that owns each file of a plan (project-wide files have none). */
function fileOwners(plan: SystemdPlan): Map<string, string> {
  const owner = new Map<string, string>();
  for (const t of plan.groupTargets) if (t.group !== null) owner.set(t.file, t.group);
  for (const s of plan.services) {
    owner.set(s.file, s.group);
    for (const e of s.envFiles) owner.set(e.path, s.group);
    if (s.socket) owner.set(s.socket.file, s.group);
  }
  return owner;
}

/**
 * A unit's text without its ordering lines: After=/Before= name other groups'
 * units, and a group is not "changed" because another group came or went
 * (supervisord compares each group's own config). The group's own priorities
 * are hashed from the plan. The files are still rewritten on every apply.
 */
const withoutOrdering = (text: string): string => text.replace(/^(After|Before)=.*\n/gm, '');

/** group name → sha256 of its files and supctl-only settings. */
export function groupHashes(
  d: Deployment,
  plan: SystemdPlan,
  files: EmittedFile[],
): Record<string, string> {
  const owner = fileOwners(plan);
  const procs = processesOf(plan);
  const hashes: Record<string, string> = {};
  for (const g of d.groups) {
    const h = createHash('sha256');
    h.update(JSON.stringify({ priority: g.priority, type: g.kind, socket: g.socket ?? null }));
    for (const f of files) {
      if (owner.get(f.path) !== g.name) continue;
      h.update(`\0${f.path}\0${f.mode}\0${withoutOrdering(f.content)}`);
    }
    for (const p of procs) if (p.group === g.name) h.update(`\0${JSON.stringify(p)}`);
    hashes[g.name] = h.digest('hex');
  }
  return hashes;
}
