/**
 * apply / update / reread / remove of one project: emit, install atomically
 * beside a manifest, Reload, enable and start. Any failure restores the
 * previous files and manifest, reloads, and puts the touched units back, so
 * the old programs keep running. A lock file serializes applies.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import { planSystemd } from '../../emit/systemd/plan.ts';
import { makeRenderer } from '../../emit/systemd/render.ts';
import { renderSystemd } from '../../emit/systemd/unit-files.ts';
import type { EmittedFile } from '../../emit/types.ts';
import { writeFilesAtomically } from '../../emit/write.ts';
import type { ApplyOptions, ApplyResult, ChangeSet } from '../types.ts';
import { BackendError } from '../types.ts';
import { failpoint } from '../failpoint.ts';
import { groupProgress, type ProgressSink } from '../progress.ts';
import { acquireLock } from './lock.ts';
import { carriesHeader, checkOwnership } from './ownership.ts';
import { HEADER_MARK } from '../../emit/systemd/unit-files.ts';
import { clearStopped } from './stops.ts';
import type { Manager, JobOutcome } from './manager.ts';
import type { Manifest, ManifestProcess } from './manifest.ts';
import { groupHashes, lockPath, manifestPath, processesOf, readManifest } from './manifest.ts';

export interface ProjectContext {
  mgr: Manager;
  project: string;
  scope: 'user' | 'system';
  unitDir: string;
  /** This project's directory for AUTO logs. */
  logDir: string;
  lockTimeoutMs: number;
}

interface Planned {
  files: EmittedFile[];
  manifest: Manifest;
  old: Manifest | null;
  changes: ChangeSet;
}

export function diffGroups(old: Record<string, string>, next: Record<string, string>): ChangeSet {
  const sort = (a: string[]) => a.sort();
  return {
    added: sort(Object.keys(next).filter((g) => !(g in old))),
    changed: sort(Object.keys(next).filter((g) => g in old && old[g] !== next[g])),
    removed: sort(Object.keys(old).filter((g) => !(g in next))),
  };
}

function planFor(c: ProjectContext, d: Deployment): Planned {
  const sd = planSystemd(d, {
    project: c.project,
    scope: c.scope,
    inlineEnv: false,
    logrotate: false,
    autoLogDir: c.logDir,
  });
  const files = renderSystemd(sd, makeRenderer());
  const groups = groupHashes(d, sd, files);
  const old = readManifest(c.unitDir, c.project);
  const manifest: Manifest = {
    version: 1,
    project: c.project,
    scope: c.scope,
    configFile: d.configFile,
    target: sd.projectTarget.file,
    logDir: c.logDir,
    files: files.map((f) => f.path),
    groups,
    processes: processesOf(sd),
    appliedAt: Date.now(),
  };
  return { files, manifest, old, changes: diffGroups(old?.groups ?? {}, groups) };
}

export function plan(c: ProjectContext, d: Deployment): ChangeSet {
  return planFor(c, d).changes;
}

/** The bytes and mode of each path (null: did not exist), to put back on failure. */
function snapshot(unitDir: string, rels: Iterable<string>): Map<string, EmittedFile | null> {
  const out = new Map<string, EmittedFile | null>();
  for (const rel of rels) {
    const full = join(unitDir, rel);
    if (!existsSync(full)) {
      out.set(rel, null);
      continue;
    }
    out.set(rel, {
      path: rel,
      content: readFileSync(full, 'utf8'),
      mode: statSync(full).mode & 0o777,
    });
  }
  return out;
}

function removeFiles(unitDir: string, rels: Iterable<string>): void {
  for (const rel of rels) {
    const full = join(unitDir, rel);
    rmSync(full, { force: true });
    const dir = dirname(full);
    if (dir !== unitDir && dir.endsWith('.d')) {
      try {
        rmdirSync(dir); // only when empty
      } catch {
        /* not empty or gone */
      }
    }
  }
}

function restore(unitDir: string, saved: Map<string, EmittedFile | null>): void {
  const back = [...saved.values()].filter((f): f is EmittedFile => f !== null);
  const gone = [...saved].filter(([, f]) => f === null).map(([rel]) => rel);
  removeFiles(unitDir, gone);
  if (back.length > 0) writeFilesAtomically(unitDir, back);
}

const unitsOf = (
  ps: ManifestProcess[],
  groups: Set<string>,
  pick = (_p: ManifestProcess) => true,
) => ps.filter((p) => groups.has(p.group) && pick(p)).map((p) => p.unit);

function failures(outcomes: JobOutcome[]): JobOutcome[] {
  return outcomes.filter((o) => o.result !== 'done');
}

function describeFailures(what: string, fails: JobOutcome[]): string {
  const list = fails
    .slice(0, 5)
    .map((f) => `${f.unit} (${f.error ? f.error.message : f.result})`)
    .join(', ');
  return `${what} failed for ${list}${fails.length > 5 ? ` and ${fails.length - 5} more` : ''}`;
}

export async function apply(
  c: ProjectContext,
  d: Deployment,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const release = await acquireLock(lockPath(c.unitDir, c.project), c.lockTimeoutMs);
  try {
    const p = planFor(c, d);
    const manifestRel = relative(c.unitDir, manifestPath(c.unitDir, c.project));
    const written = [...p.files.map((f) => join(c.unitDir, f.path)), join(c.unitDir, manifestRel)];
    await checkOwnership(
      c.mgr,
      c.unitDir,
      c.project,
      p.old,
      p.files.map((f) => f.path),
    );
    if (opts.dryRun) return { changes: p.changes, written };
    failpoint('systemd:apply:locked');
    await install(c, p, manifestRel, opts);
    return { changes: p.changes, written };
  } finally {
    release();
  }
}

async function install(
  c: ProjectContext,
  p: Planned,
  manifestRel: string,
  opts: ApplyOptions,
): Promise<void> {
  const { mgr } = c;
  const oldProcs = p.old?.processes ?? [];
  const newProcs = p.manifest.processes;
  const newFiles = new Set(p.files.map((f) => f.path));
  const saved = snapshot(c.unitDir, new Set([...(p.old?.files ?? []), ...newFiles, manifestRel]));

  const added = new Set(p.changes.added);
  const changed = new Set(p.changes.changed);
  const removed = new Set(p.changes.removed);
  const newUnits = new Set(newProcs.map((x) => x.unit));
  const starts = opts.noStart !== true;
  const toStart = starts ? unitsOf(newProcs, added, (x) => x.autostart) : [];
  const toRestart = starts ? unitsOf(newProcs, changed, (x) => x.autostart) : [];
  const unchanged = new Set(
    Object.keys(p.manifest.groups).filter((g) => !added.has(g) && !changed.has(g)),
  );
  if (!opts.onlyChanges && starts)
    toStart.push(...unitsOf(newProcs, unchanged, (x) => x.autostart));
  // changed groups: processes that are gone or no longer autostart are stopped (supervisor removes them)
  const toStopNow = [
    ...unitsOf(newProcs, changed, (x) => !x.autostart),
    ...unitsOf(oldProcs, changed, (x) => !newUnits.has(x.unit)),
  ];
  const toStopAfter = unitsOf(oldProcs, removed, (x) => !newUnits.has(x.unit));

  // What this run really did, for the rollback: nothing is undone that did not happen.
  const ran = { started: [] as string[], restarted: [] as string[], stopped: [] as string[] };
  let touched = false;
  try {
    mkdirSync(c.logDir, { recursive: true });
    touched = true;
    // First a journal: every file this run may leave behind is recorded, and the groups it
    // changes are marked pending, so a run killed from here on is finished by the next update.
    writeFilesAtomically(c.unitDir, [manifestFile(manifestRel, journal(p))]);
    failpoint('systemd:apply:journal');
    writeFilesAtomically(c.unitDir, p.files);
    removeFiles(
      c.unitDir,
      (p.old?.files ?? []).filter((f) => !newFiles.has(f)),
    );
    failpoint('systemd:apply:files');
    await mgr.reload();
    await mgr.enableUnitFiles([p.manifest.target]);
    failpoint('systemd:apply:reloaded');
    ran.started = toStart;
    ran.restarted = toRestart;
    ran.stopped = toStopNow;
    const groupOf = new Map([...oldProcs, ...newProcs].map((x) => [x.unit, x.group]));
    const group = (u: string) => groupOf.get(u) ?? u;
    const startedOne = groupProgress(
      'start',
      [...toStart, ...toRestart].map(group),
      opts.onProgress,
    );
    const tell = (o: JobOutcome) => startedOne(group(o.unit));
    const [started, restarted, stopped] = await Promise.all([
      mgr.jobs('StartUnit', toStart, undefined, tell),
      mgr.jobs('RestartUnit', toRestart, undefined, tell),
      mgr.jobs('StopUnit', toStopNow),
    ]);
    const bad = [...failures(started), ...failures(restarted), ...failures(stopped)];
    if (bad.length > 0) throw new BackendError('FAILED', describeFailures('start', bad));
    failpoint('systemd:apply:started');
    if (!opts.onlyChanges && starts) {
      const [t] = await mgr.jobs('StartUnit', [p.manifest.target]);
      if (t && t.result !== 'done')
        throw new BackendError('FAILED', describeFailures('start', [t]));
    }
  } catch (e) {
    if (!touched) throw e;
    const why = e instanceof Error ? e.message : String(e);
    try {
      await rollback(c, p, saved, ran.started, ran.restarted, ran.stopped);
    } catch (e2) {
      throw new BackendError(
        'FAILED',
        `apply of ${c.project} failed: ${why}; the rollback failed too: ${(e2 as Error).message}`,
        { cause: e },
      );
    }
    throw new BackendError(
      e instanceof BackendError ? e.code : 'FAILED',
      `apply of ${c.project} failed: ${why}; the previous units were restored`,
      { cause: e },
    );
  }
  // only now, after everything new runs: removed groups go away
  await mgr.jobs('StopUnit', toStopAfter);
  await Promise.all(toStopAfter.map((u) => mgr.resetFailed(u)));
  failpoint('systemd:apply:removed');
  // the journal's pending marks go last: until here a killed run is redone by the next update
  writeFilesAtomically(c.unitDir, [manifestFile(manifestRel, p.manifest)]);
}

function manifestFile(path: string, m: Manifest): EmittedFile {
  return { path, content: JSON.stringify(m, null, 2) + '\n', mode: 0o644 };
}

/**
 * The manifest written before anything else: the new one, but listing the
 * old files and processes too, and with every added or changed group's hash
 * replaced by PENDING, so the next plan sees them as changed.
 */
function journal(p: Planned): Manifest {
  const groups: Record<string, string> = { ...(p.old?.groups ?? {}) };
  for (const g of [...p.changes.added, ...p.changes.changed]) groups[g] = PENDING;
  const units = new Set(p.manifest.processes.map((x) => x.unit));
  return {
    ...p.manifest,
    files: [...new Set([...(p.old?.files ?? []), ...p.manifest.files])],
    groups,
    processes: [
      ...p.manifest.processes,
      ...(p.old?.processes ?? []).filter((x) => !units.has(x.unit)),
    ],
  };
}

/** The hash of a group whose apply has not finished. */
const PENDING = 'pending';

async function rollback(
  c: ProjectContext,
  p: Planned,
  saved: Map<string, EmittedFile | null>,
  started: string[],
  restarted: string[],
  stopped: string[],
): Promise<void> {
  const { mgr } = c;
  restore(c.unitDir, saved);
  await mgr.reload();
  const oldUnits = new Set((p.old?.processes ?? []).map((x) => x.unit));
  const oldAuto = new Set((p.old?.processes ?? []).filter((x) => x.autostart).map((x) => x.unit));
  // units this apply brought up that did not exist before go down again
  const fresh = started.filter((u) => !oldUnits.has(u));
  await mgr.jobs('StopUnit', fresh);
  await Promise.all(fresh.map((u) => mgr.resetFailed(u)));
  // units it restarted or stopped run their previous config again
  const back = [...restarted, ...stopped].filter((u) => oldAuto.has(u));
  await Promise.all(back.map((u) => mgr.resetFailed(u)));
  await mgr.jobs('RestartUnit', back);
  if (p.old === null) {
    try {
      await mgr.disableUnitFiles([p.manifest.target]);
    } catch {
      /* it was never enabled */
    }
  }
}

export async function remove(c: ProjectContext, onProgress?: ProgressSink): Promise<void> {
  const release = await acquireLock(lockPath(c.unitDir, c.project), c.lockTimeoutMs);
  try {
    const m = readManifest(c.unitDir, c.project);
    if (m === null) {
      throw new BackendError('NOT_FOUND', `no supctl project ${c.project} in ${c.unitDir}`);
    }
    const units = [...new Set(m.processes.map((x) => x.unit))];
    const sockets = m.files.filter((f) => f.endsWith('.socket'));
    try {
      await c.mgr.disableUnitFiles([m.target]);
    } catch {
      /* not enabled */
    }
    const groupOf = new Map(m.processes.map((x) => [x.unit, x.group]));
    const stoppedOne = groupProgress('stop', [...groupOf.values()], onProgress);
    await c.mgr.jobs('StopUnit', [m.target, ...sockets, ...units], undefined, (o) => {
      const g = groupOf.get(o.unit);
      if (g !== undefined) stoppedOne(g);
    });
    failpoint('systemd:remove:stopped');
    // only what we recorded, and only while it still says we wrote it
    const present = m.files.filter((f) => existsSync(join(c.unitDir, f)));
    const foreign = present.filter((f) => !carriesHeader(join(c.unitDir, f)));
    removeFiles(c.unitDir, [
      ...present.filter((f) => !foreign.includes(f)),
      relative(c.unitDir, manifestPath(c.unitDir, c.project)),
    ]);
    await c.mgr.reload();
    await Promise.all(units.map((u) => c.mgr.resetFailed(u)));
    clearStopped(c.unitDir, units);
    if (foreign.length > 0) {
      throw new BackendError(
        'CONFLICT',
        `removed project ${c.project} but left ${foreign.map((f) => join(c.unitDir, f)).join(', ')}: no longer supctl's (its "${HEADER_MARK}" header is gone)`,
      );
    }
  } finally {
    release();
  }
}
