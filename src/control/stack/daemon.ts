/**
 * supervisorctl's verbs about supervisord itself, on backends with no such
 * daemon (systemd, Docker) and on a stack mixing them:
 * - clear: truncate the log files the backend writes (systemd's AUTO or
 *   named files); a journal or a container log cannot be cleared per
 *   program, and the result says why.
 * - shutdown: supervisord would stop every program and exit; here every
 *   program stops (nothing exits: systemd and dockerd run on).
 * - reload: supervisord would stop every program and start its autostart
 *   ones again; here the same, without rereading the config (`update` does).
 * A supervisord member answers with its own daemon's call.
 */
import { truncateSync } from 'node:fs';
import { sortProcesses } from '../names.ts';
import { typedNamespec } from '../supervisord/daemon.ts';
import {
  RUNNING_STATES,
  type ActionResult,
  type Backend,
  type ClearResult,
  type ProcessStatus,
} from '../types.ts';
import { StackBackend } from './index.ts';

function clearOne(p: ProcessStatus): ClearResult {
  const files = [...new Set([p.logfiles?.stdout ?? '', p.logfiles?.stderr ?? ''])].filter(Boolean);
  if (files.length === 0) {
    const why =
      p.logfiles === undefined
        ? 'Docker keeps the container log and has no call to truncate it'
        : 'its output goes to the journal, which cannot be cleared for one unit, or is discarded';
    return { namespec: p.namespec, outcome: 'failed', why };
  }
  for (const f of files) {
    try {
      truncateSync(f, 0);
    } catch (e) {
      // a log not written yet is already clear
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { namespec: p.namespec, outcome: 'failed', why: `${f}: ${(e as Error).message}` };
    }
  }
  return { namespec: p.namespec, outcome: 'cleared' };
}

/** clear over the log files `rows` name: `all`, or each name as supervisord's clearProcessLogs reads it. */
export function clearLogFiles(rows: ProcessStatus[], names: readonly string[]): ClearResult[] {
  if (names.includes('all')) return sortProcesses(rows).map(clearOne);
  return names.map((n) => {
    const spec = typedNamespec(n);
    const p = rows.find((r) => r.namespec === spec);
    return p ? clearOne(p) : { namespec: spec, outcome: 'no such process' };
  });
}

export async function clearLogs(b: Backend, names: readonly string[]): Promise<ClearResult[]> {
  if (!(b instanceof StackBackend)) {
    return b.clearLogs ? b.clearLogs(names) : clearLogFiles(await b.list(), names);
  }
  const rows = await b.list();
  if (names.includes('all')) {
    const per = await Promise.all(b.members.map((m) => clearLogs(m.backend, ['all'])));
    return per.flat();
  }
  const out: ClearResult[] = [];
  for (const n of names) {
    const p = rows.find((r) => r.namespec === typedNamespec(n));
    const m = p && b.memberOf(p);
    out.push(
      ...(m
        ? await clearLogs(m.backend, [n])
        : [{ namespec: typedNamespec(n), outcome: 'no such process' as const }]),
    );
  }
  return out;
}

/** The failures of stopping every program that runs. */
async function stopEverything(b: Backend): Promise<ActionResult[]> {
  const running = (await b.list()).filter((p) => RUNNING_STATES.includes(p.state));
  if (running.length === 0) return [];
  return (await b.stop(running)).filter((r) => !r.ok);
}

/** Stops every program, then starts the autostart ones, as a restarted supervisord would. */
async function restartEverything(b: Backend): Promise<ActionResult[]> {
  const failed = await stopEverything(b);
  const auto = new Set((await b.avail()).filter((e) => e.autostart).map((e) => e.namespec));
  const todo = (await b.list()).filter(
    (p) => auto.has(p.namespec) && !RUNNING_STATES.includes(p.state),
  );
  if (todo.length > 0) failed.push(...(await b.start(todo)).filter((r) => !r.ok));
  return failed;
}

interface DaemonOutcome {
  /** A supervisord that was already shutting down (SHUTDOWN_STATE). */
  shuttingDown: boolean;
  /** Programs that did not stop (shutdown) or stop and start again (reload). */
  failed: ActionResult[];
}

/** supervisorctl's shutdown (`stop`) or reload (`restart`) over any backend. */
export async function daemonVerb(b: Backend, verb: 'shutdown' | 'reload'): Promise<DaemonOutcome> {
  const members = b instanceof StackBackend ? b.members.map((m) => m.backend) : [b];
  const out: DaemonOutcome = { shuttingDown: false, failed: [] };
  for (const m of members) {
    const own =
      verb === 'shutdown'
        ? m.shutdownDaemon && (() => m.shutdownDaemon!())
        : m.restartDaemon && (() => m.restartDaemon!());
    if (own) {
      if ((await own()) === 'shutting down') out.shuttingDown = true;
    } else {
      out.failed.push(
        ...(verb === 'shutdown' ? await stopEverything(m) : await restartEverything(m)),
      );
    }
  }
  return out;
}

/** maintail's source: the backend's own daemon log, or a stack's supervisord's; none on systemd/Docker. */
export function mainLogOf(b: Backend): Backend['mainLog'] | undefined {
  const withLog =
    b instanceof StackBackend ? b.members.find((m) => m.backend.mainLog !== undefined)?.backend : b;
  return withLog?.mainLog && ((req, sink) => withLog.mainLog!(req, sink));
}

/** fg's input: the backend (or the stack member) that forwards stdin to `p`, if any. */
export function stdinOf(b: Backend, p: ProcessStatus): Backend['sendStdin'] | undefined {
  const m = b instanceof StackBackend ? b.memberOf(p)?.backend : b;
  return m?.sendStdin && ((name, text) => m.sendStdin!(name, text));
}
