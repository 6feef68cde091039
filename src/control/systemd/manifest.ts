/**
 * The per-project manifest: which units a project installed, which process
 * each unit runs, and a hash of each group's effective config (its emitted
 * files plus the settings that live only in supctl: startsecs, autostart,
 * priority). Stored as `<unitDir>/.supctl/<project>.json` beside the units
 * it describes, so units and manifest are restored together.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import type { Process } from '../../model/process.ts';
import { unitName, unitNameComponent } from '../../emit/systemd/escape.ts';
import type { EmittedFile } from '../../emit/types.ts';
import { BackendError } from '../types.ts';

export const MANIFEST_DIR = '.supctl';

export interface ManifestProcess {
  group: string;
  name: string;
  namespec: string;
  unit: string;
  startsecs: number;
  autostart: boolean;
  priority: number;
  /** An absolute log file, `journal`, or null (discarded). */
  stdout: string | null;
  stderr: string | null;
}

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
    const m = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Manifest;
    if (m.version === 1) out.push(m);
  }
  return out;
}

function logTarget(
  d: Deployment,
  p: Process,
  s: 'stdout' | 'stderr',
  unit: string,
  logDir: string,
): string | null {
  if (s === 'stderr' && p.redirect_stderr) return null;
  const file = s === 'stdout' ? p.stdout_logfile : p.stderr_logfile;
  const syslog = s === 'stdout' ? p.stdout_syslog : p.stderr_syslog;
  if (file === null) return syslog ? 'journal' : null;
  if (file === '/dev/null') return null;
  if (file === 'AUTO') return join(logDir, `${unit}.${s === 'stdout' ? 'out' : 'err'}`);
  if (isAbsolute(file)) return file;
  return join(p.directory ?? d.supervisord.directory ?? dirname(d.configFile), file);
}

/** The processes of `d` with the unit each runs in (as emitSystemd names them). */
export function processesOf(d: Deployment, project: string, logDir: string): ManifestProcess[] {
  const out: ManifestProcess[] = [];
  for (const g of d.groups) {
    for (const info of g.programs) {
      const procs = g.processes.filter((p) => p.program === info.name);
      if (procs.length === 0 || procs.some((p) => p.argv.length === 0)) continue;
      const base = unitName(project, info.name, '');
      const units =
        procs.length === 1
          ? [`${base}.service`]
          : procs.map((p) => `${base}@${p.instance}.service`);
      procs.forEach((p, i) => {
        const unit = units[i]!;
        out.push({
          group: g.name,
          name: p.name,
          namespec: g.name === p.name ? p.name : `${g.name}:${p.name}`,
          unit,
          startsecs: p.startsecs,
          autostart: p.autostart,
          priority: p.priority,
          stdout: logTarget(d, p, 'stdout', unit, logDir),
          stderr: logTarget(d, p, 'stderr', unit, logDir),
        });
      });
    }
  }
  return out;
}

/** Unit name a file belongs to, without suffix or instance: `proj-web` for `proj-web@1.service.d/x`. */
function fileBase(path: string): string {
  let unit = path.split('/')[0]!;
  if (unit.endsWith('.d')) unit = unit.slice(0, -2);
  const at = unit.indexOf('@');
  if (at >= 0) return unit.slice(0, at);
  const dot = unit.lastIndexOf('.');
  return dot >= 0 ? unit.slice(0, dot) : unit;
}

/** group name → sha256 of its files and supctl-only settings. */
export function groupHashes(
  d: Deployment,
  project: string,
  files: EmittedFile[],
  procs: ManifestProcess[],
): Record<string, string> {
  const owner = new Map<string, string>();
  for (const g of d.groups) {
    owner.set(unitName(project, g.name, ''), g.name);
    for (const info of g.programs) owner.set(unitName(project, info.name, ''), g.name);
  }
  const hashes: Record<string, string> = {};
  for (const g of d.groups) {
    const h = createHash('sha256');
    h.update(JSON.stringify({ priority: g.priority, type: g.kind, socket: g.socket ?? null }));
    for (const f of files) {
      if (owner.get(fileBase(f.path)) !== g.name) continue;
      h.update(`\0${f.path}\0${f.mode}\0${f.content}`);
    }
    for (const p of procs) if (p.group === g.name) h.update(`\0${JSON.stringify(p)}`);
    hashes[g.name] = h.digest('hex');
  }
  return hashes;
}
