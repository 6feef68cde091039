/**
 * `supctl migrate FILE --to systemd|docker [GROUP...]` and `--rollback`:
 * opens supervisord (from FILE, or -s/-u/-p) and the new side, runs
 * src/control/migrate/, and prints each group step as it happens (on a
 * terminal, as the live progress line).
 */
import { backendEntry } from '../../control/backends.ts';
import { realConfigPath } from '../../control/config-path.ts';
import { discoverServer } from '../../control/supervisord/discover.ts';
import { Session } from '../../control/supervisord/session.ts';
import type { Backend } from '../../control/types.ts';
import { journalPath, journalsOf, readJournal } from '../../control/migrate/journal.ts';
import { sessionOldSide } from '../../control/migrate/old-side.ts';
import { migrate, rollback } from '../../control/migrate/index.ts';
import { selectGroups, subset } from '../../control/migrate/plan.ts';
import type { MigrateEvent } from '../../control/migrate/steps.ts';
import { defaultProjectName } from '../../emit/project-name.ts';
import { formatReport } from '../../emit/report.ts';
import { targetEntry } from '../../emit/targets.ts';
import type { Deployment } from '../../model/deployment.ts';
import { UsageError } from '../errors.ts';
import { str, strs, type Args } from '../options.ts';
import { loadForCli } from './load.ts';
import { progressRenderer, type ProgressRenderer } from '../progress.ts';

/** How long a group gets to reach RUNNING on the new side. */
const START_TIMEOUT_MS = 120_000;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function eventLine(e: MigrateEvent): string {
  const down = e.downtimeMs === undefined ? '' : ` (downtime ${e.downtimeMs} ms)`;
  return `migrate: ${e.group}: ${e.step}${down}${e.detail === undefined ? '' : `: ${e.detail}`}`;
}

/** Steps whose line stays on a terminal too: the downtime, a failure, a group put back. */
const KEPT = new Set<MigrateEvent['step']>(['started-new', 'failed', 'restored', 'rolled-back']);

/**
 * Where migrate's step events go. Off a terminal (or with --json): one
 * line per step on stdout. On one: the live progress line (the step,
 * which group of how many, elapsed) on stderr, and only the lines worth
 * keeping printed above it.
 */
export function stepPrinter(
  total: number,
  live: ProgressRenderer | undefined,
  print: (line: string) => void = out,
  now: () => number = Date.now,
): { emit: (e: MigrateEvent) => void; end: () => void } {
  if (live === undefined) return { emit: (e) => print(eventLine(e)), end: () => undefined };
  const start = now();
  const seen: string[] = [];
  return {
    emit: (e) => {
      if (!seen.includes(e.group)) seen.push(e.group);
      if (KEPT.has(e.step) || e.detail !== undefined) {
        live.end();
        print(eventLine(e));
      }
      live.sink({
        phase: e.step,
        group: e.group,
        index: seen.indexOf(e.group) + 1,
        total: Math.max(total, seen.length),
        elapsedMs: now() - start,
      });
    },
    end: () => live.end(),
  };
}

/** The live line only when both streams are a terminal: a piped stdout keeps every step line. */
function liveRenderer(a: Args): ProgressRenderer | undefined {
  if (process.stdout.isTTY !== true || process.stderr.isTTY !== true) return undefined;
  return progressRenderer(process.stderr, { json: a.json === true });
}

function newSideOptions(a: Args, to: string): Record<string, unknown> {
  if (to === 'systemd') return str(a.scope) === undefined ? {} : { scope: str(a.scope) };
  const images = strs(a.image);
  return images.length === 0 ? {} : { image: images };
}

async function openNew(
  to: string,
  project: string,
  options: Record<string, unknown>,
  timeoutMs: number | undefined,
): Promise<Backend> {
  const e = backendEntry(to)!;
  const env: Record<string, string> = {};
  for (const k of Object.keys(e.env)) if (process.env[k]) env[k] = process.env[k];
  const { open } = await e.load();
  return open({ project, timeoutMs, options, env });
}

function openOld(a: Args, d: Deployment): Session {
  const s = discoverServer(d, {
    serverUrl: str(a.serverurl) ?? process.env.SUPCTL_SERVERURL,
    username: str(a.username) ?? process.env.SUPCTL_USERNAME,
    password: str(a.password) ?? process.env.SUPCTL_PASSWORD,
  });
  return new Session({ serverUrl: s.serverUrl, username: s.username, password: s.password });
}

/** --dry-run: the groups in order, their processes, and the translation's findings. */
async function dryRun(d: Deployment, groups: string[], to: string, project: string, a: Args) {
  const picked = selectGroups(d, groups);
  for (const g of picked) {
    out(
      `would migrate ${g.name} (priority ${g.priority}) to ${to}: ${g.processes.map((p) => p.name).join(', ')}`,
    );
  }
  const t = targetEntry(to === 'docker' ? 'compose' : 'systemd')!;
  const options: Record<string, unknown> = {};
  for (const [k, o] of Object.entries(t.options))
    if (o.default !== undefined) options[k] = o.default;
  Object.assign(options, newSideOptions(a, to));
  const { emit } = await t.load();
  const r = emit(subset(d, new Set(picked.map((g) => g.name))), { project, options });
  const report = formatReport(r.findings, 'text');
  if (report !== '') process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
  return 0;
}

export async function runMigrate(a: Args): Promise<number> {
  const file = str(a.file)!;
  const groups = strs(a.groups);
  const d = loadForCli(file, strs(a.set), typeof a.values === 'string' ? a.values : undefined);
  const real = realConfigPath(file);
  const timeoutMs = typeof a.timeout === 'number' ? a.timeout : undefined;
  const session = openOld(a, d);
  const old = sessionOldSide(session);
  if (a.rollback === true && a['dry-run'] === true) {
    throw new UsageError('migrate --rollback takes no --dry-run');
  }
  if (a.rollback === true) {
    const to = str(a.to);
    const name = str(a.name);
    const journals = journalsOf(real).filter((f) => {
      const j = readJournal(f);
      return (
        j !== null &&
        (to === undefined || j.to === to) &&
        (name === undefined || j.project === name)
      );
    });
    const recorded = new Set(journals.flatMap((f) => Object.keys(readJournal(f)?.groups ?? {})));
    const steps = stepPrinter(groups.length > 0 ? groups.length : recorded.size, liveRenderer(a));
    let back;
    try {
      back = await rollback({
        d,
        groups,
        old,
        journals,
        open: (j) => openNew(j.to, j.project, j.options, timeoutMs),
        emit: steps.emit,
        startTimeoutMs: START_TIMEOUT_MS,
      });
    } finally {
      steps.end();
    }
    out(`rolled back: ${back.join(', ')}`);
    return 0;
  }
  const to = str(a.to);
  if (to !== 'systemd' && to !== 'docker')
    throw new UsageError('migrate needs --to systemd|docker');
  const project = str(a.name) ?? defaultProjectName(file);
  const journalFile = journalPath(real, to, project);
  if (a['dry-run'] === true) return dryRun(d, groups, to, project, a);
  const options = { ...(readJournal(journalFile)?.options ?? {}), ...newSideOptions(a, to) };
  const total = selectGroups(d, groups).length;
  const target = await openNew(to, project, options, timeoutMs);
  const steps = stepPrinter(total, liveRenderer(a));
  try {
    const r = await migrate({
      d,
      groups,
      to,
      project,
      options,
      editConfig: a['edit-config'] === true,
      old,
      target,
      journalFile,
      emit: steps.emit,
      startTimeoutMs: START_TIMEOUT_MS,
    });
    steps.end();
    out(`migrated to ${to} (project ${project}): ${r.moved.join(', ') || 'nothing'}`);
    for (const s of r.toRemove) {
      out(`remove from ${s.file}: lines ${s.first}-${s.last} [${s.section}]`);
    }
    return 0;
  } finally {
    steps.end();
    await target.close().catch(() => undefined);
  }
}
