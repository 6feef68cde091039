/**
 * supervisorctl's verbs over any Backend: name resolution, output and exit
 * codes as supervisorctl 4.2.5 (supervisorctl.py do_status, do_start,
 * do_stop, do_restart, do_signal, do_tail, do_pid, do_avail, do_reread,
 * do_update). Output goes through a CtlIO so the one-shot CLI, the
 * interactive shell and the unit tests share every line.
 */
import { normalizeSignal } from '../../control/signals.ts';
import {
  formatActionResult,
  formatAvail,
  formatChanges,
  formatStatusLines,
  formatUpdate,
} from '../../control/format.ts';
import { resolveNames, splitNamespec, type NameMatch } from '../../control/names.ts';
import {
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  STOPPED_STATES,
  type ActionResult,
  type Backend,
  type ChangeSet,
  type ProcessStatus,
} from '../../control/types.ts';
import type { Deployment } from '../../model/deployment.ts';
import { CTL_EXIT, ExitStatus, exitForBadName, exitForFault, type CtlVerb } from '../errors.ts';

export interface CtlIO {
  /** One line of the verb's output (stdout). */
  out(line: string): void;
  /** Raw bytes (tail). */
  write(chunk: Buffer | string): void;
  /** A diagnostic line (stderr). */
  err(line: string): void;
  /** Progress for long operations; only set on a terminal. */
  progress?: (line: string) => void;
  json: boolean;
  wide: boolean;
}

function printJson(io: CtlIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

// ------------------------------------------------------------------ status --

export async function ctlStatus(b: Backend, names: string[], io: CtlIO): Promise<number> {
  const all = await b.list({ detail: io.wide });
  const r = resolveNames(all, names, { emptyMeansAll: true });
  const ex = new ExitStatus();
  // supervisorctl: `all` is sorted; named processes come in the order named
  const rows = r.all ? r.targets : r.names.flatMap((m) => m.matches);
  for (const m of r.bad) ex.set(exitForBadName('status', m.error!.kind));
  for (const p of rows) if (STOPPED_STATES.includes(p.state)) ex.set(CTL_EXIT.statusNotRunning);
  if (io.json) {
    printJson(io, { processes: rows, errors: badJson(r.bad) });
  } else {
    for (const m of r.bad) io.out(m.error!.line);
    for (const line of formatStatusLines(rows, { wide: io.wide })) io.out(line);
  }
  return ex.code;
}

function badJson(bad: NameMatch[]): { name: string; error: string }[] {
  return bad.map((m) => ({ name: m.spec.spec, error: m.error!.kind }));
}

// ----------------------------------------------------- start / stop / signal --

const USAGE_LINES: Record<'start' | 'stop' | 'restart', string[]> = {
  start: [
    'start <name>\t\tStart a process',
    'start <gname>:*\t\tStart all processes in a group',
    'start <name> <name>\tStart multiple processes or groups',
    'start all\t\tStart all processes',
  ],
  stop: [
    'stop <name>\t\tStop a process',
    'stop <gname>:*\t\tStop all processes in a group',
    'stop <name> <name>\tStop multiple processes or groups',
    'stop all\t\tStop all processes',
  ],
  restart: [
    'restart <name>\t\tRestart a process',
    'restart <gname>:*\tRestart all processes in a group',
    'restart <name> <name>\tRestart multiple processes or groups',
    'restart all\t\tRestart all processes',
    'Note: restart does not reread config files. For that, see reread and update.',
  ],
};

interface Planned {
  /** Lines and results in supervisorctl's order. */
  items: (
    { kind: 'bad'; match: NameMatch } | { kind: 'proc'; proc: ProcessStatus; pre?: ActionResult }
  )[];
  /** Processes the backend must act on, each once. */
  todo: ProcessStatus[];
}

/**
 * Which processes a verb acts on. Group and `all` forms skip the processes the
 * verb does not apply to (supervisor's make_allfunc with isRunning /
 * isNotRunning / isSignallable); a single named process gets the fault
 * supervisord would raise (ALREADY_STARTED, NOT_RUNNING).
 */
function plan(
  verb: CtlVerb,
  all: ProcessStatus[],
  names: string[],
  applies: (p: ProcessStatus) => boolean,
  fault: ActionResult['fault'],
): Planned {
  const r = resolveNames(all, names);
  const items: Planned['items'] = [];
  const todo: ProcessStatus[] = [];
  const seen = new Set<string>();
  const add = (p: ProcessStatus, single: boolean): void => {
    const key = p.ref || p.namespec;
    if (seen.has(key)) return;
    seen.add(key);
    if (applies(p)) {
      todo.push(p);
      items.push({ kind: 'proc', proc: p });
    } else if (single) {
      items.push({ kind: 'proc', proc: p, pre: { namespec: p.namespec, ok: false, fault } });
    }
  };
  for (const m of r.names) {
    if (m.error !== undefined) {
      items.push({ kind: 'bad', match: m });
      continue;
    }
    const single = !r.all && m.spec.process !== null;
    for (const p of m.matches) add(p, single);
  }
  void verb;
  return { items, todo };
}

function isRunning(p: ProcessStatus): boolean {
  return RUNNING_STATES.includes(p.state);
}

/** Prints a verb's planned items with the backend's results; returns the exit status. */
function report(
  verb: CtlVerb,
  planned: Planned,
  results: ActionResult[],
  ex: ExitStatus,
  lines: string[],
  json: unknown[],
): void {
  const byName = new Map(results.map((r) => [r.namespec, r]));
  for (const it of planned.items) {
    if (it.kind === 'bad') {
      const m = it.match;
      lines.push(m.error!.line);
      ex.set(exitForBadName(verb, m.error!.kind));
      json.push({ name: m.spec.spec, action: verb, ok: false, error: m.error!.kind });
      continue;
    }
    const res = it.pre ??
      byName.get(it.proc.namespec) ?? {
        namespec: it.proc.namespec,
        ok: false,
        fault: 'FAILED' as const,
        message: 'ERROR (no result from the backend)',
      };
    lines.push(formatActionResult(verb, res));
    ex.set(exitForFault(verb, res.ok ? undefined : (res.fault ?? 'FAILED')));
    json.push({ action: verb, ...res });
  }
}

export async function ctlStartStop(
  b: Backend,
  verb: 'start' | 'stop' | 'restart',
  names: string[],
  io: CtlIO,
): Promise<number> {
  if (names.length === 0) {
    io.err(`Error: ${verb} requires a process name`);
    for (const l of USAGE_LINES[verb]) io.err(l);
    return verb === 'start' ? CTL_EXIT.invalidArgs : CTL_EXIT.generic;
  }
  const all = await b.list();
  const ex = new ExitStatus();
  const lines: string[] = [];
  const json: unknown[] = [];
  if (verb === 'start' || verb === 'stop') {
    const planned =
      verb === 'start'
        ? plan('start', all, names, (p) => !isRunning(p), 'ALREADY_STARTED')
        : plan('stop', all, names, isRunning, 'NOT_RUNNING');
    io.progress?.(
      `${verb === 'start' ? 'starting' : 'stopping'} ${planned.todo.length} process(es)…`,
    );
    const results = planned.todo.length > 0 ? await b[verb](planned.todo) : [];
    report(verb, planned, results, ex, lines, json);
  } else {
    // supervisorctl: do_stop(names) then do_start(names). The backend restarts
    // in one go; the stop lines are derived from the state before.
    const stopPlan = plan('stop', all, names, isRunning, 'NOT_RUNNING');
    const startPlan = plan('start', all, names, () => true, undefined);
    io.progress?.(`restarting ${startPlan.todo.length} process(es)…`);
    const results = startPlan.todo.length > 0 ? await b.restart(startPlan.todo) : [];
    const stopResults: ActionResult[] = stopPlan.todo.map((p) => ({
      namespec: p.namespec,
      ok: true,
    }));
    report('stop', stopPlan, stopResults, ex, lines, json);
    report('start', startPlan, results, ex, lines, json);
  }
  if (io.json) printJson(io, { results: json });
  else for (const l of lines) io.out(l);
  return ex.code;
}

export { normalizeSignal };

export async function ctlSignal(b: Backend, args: string[], io: CtlIO): Promise<number> {
  if (args.length < 2) {
    io.err('Error: signal requires a signal name and a process name');
    io.err('signal <signal name> <name>\t\tSignal a process');
    io.err('signal <signal name> <gname>:*\t\tSignal all processes in a group');
    io.err('signal <signal name> <name> <name>\tSignal multiple processes or groups');
    io.err('signal <signal name> all\t\tSignal all processes');
    return CTL_EXIT.generic;
  }
  const [sigArg, ...names] = args as [string, ...string[]];
  const sig = normalizeSignal(sigArg);
  const all = await b.list();
  const planned = plan(
    'signal',
    all,
    names,
    (p) => SIGNALLABLE_STATES.includes(p.state),
    'NOT_RUNNING',
  );
  let results: ActionResult[];
  if (sig === null) {
    // supervisord checks the signal before the state, per process
    planned.items = planned.items.map((it) =>
      it.kind === 'proc'
        ? { ...it, pre: { namespec: it.proc.namespec, ok: false, fault: 'BAD_SIGNAL' as const } }
        : it,
    );
    results = [];
  } else {
    results = planned.todo.length > 0 ? await b.signal(planned.todo, sig) : [];
  }
  const ex = new ExitStatus();
  const lines: string[] = [];
  const json: unknown[] = [];
  report('signal', planned, results, ex, lines, json);
  if (io.json) printJson(io, { signal: sig ?? sigArg, results: json });
  else for (const l of lines) io.out(l);
  return ex.code;
}

// --------------------------------------------------------------------- pid --

/**
 * `pid NAME…`: one pid a line, 0 (and exit 7) for a process that is not
 * running, `No such process NAME` (exit 1) for a bad name. supervisorctl's
 * bare `pid` prints supervisord's own pid; there is no such daemon here, so a
 * bare `pid` is `pid all`. Group names (`g:*`) expand to their processes.
 */
export async function ctlPid(b: Backend, names: string[], io: CtlIO): Promise<number> {
  const all = await b.list();
  const r = resolveNames(all, names, { emptyMeansAll: true });
  const ex = new ExitStatus();
  const lines: string[] = [];
  const json: unknown[] = [];
  for (const m of r.names) {
    if (m.error !== undefined) {
      lines.push(`No such process ${m.spec.spec}`);
      ex.set(CTL_EXIT.generic);
      json.push({ name: m.spec.spec, pid: null, error: m.error.kind });
      continue;
    }
    for (const p of m.matches) {
      const pid = p.pid ?? 0;
      lines.push(String(pid));
      if (pid === 0 && !r.all) ex.set(CTL_EXIT.notRunning);
      json.push({ name: p.namespec, pid: p.pid });
    }
  }
  if (io.json) printJson(io, json);
  else for (const l of lines) io.out(l);
  return ex.code;
}

// -------------------------------------------------------------------- tail --

export interface TailArgs {
  follow: boolean;
  /** supervisorctl's positional words: [-N] name [stdout|stderr]. */
  words: string[];
  signal?: AbortSignal;
}

export async function ctlTail(b: Backend, t: TailArgs, io: CtlIO): Promise<number> {
  const args = [...t.words];
  if (args.length < 1 && !t.follow) {
    io.err('Error: too few arguments');
    return CTL_EXIT.generic;
  }
  if (args.length > 3) {
    io.err('Error: too many arguments');
    return CTL_EXIT.generic;
  }
  let follow = t.follow;
  let bytes = 1600;
  if (args[0]?.startsWith('-')) {
    const what = args.shift()!.slice(1);
    if (what === 'f') follow = true;
    else if (/^\d+$/.test(what)) bytes = Number(what);
    else {
      io.err(`Error: bad argument -${what}`);
      return CTL_EXIT.generic;
    }
  }
  const name = args[0];
  if (name === undefined) {
    io.err('Error: tail requires process name');
    return CTL_EXIT.generic;
  }
  let channel: 'stdout' | 'stderr' = 'stdout';
  if (args.length > 1) {
    const c = args[args.length - 1]!.toLowerCase();
    if (c !== 'stdout' && c !== 'stderr') {
      io.err(`Error: bad channel '${c}'`);
      return CTL_EXIT.generic;
    }
    channel = c;
  }
  const all = await b.list();
  const spec = splitNamespec(name);
  const target =
    spec.process === null
      ? undefined
      : all.find((p) => p.group === spec.group && p.name === spec.process);
  if (target === undefined) {
    io.out(`${name}: ERROR (no such process name)`);
    return CTL_EXIT.generic;
  }
  const req = { channel, bytes, follow, ...(t.signal ? { signal: t.signal } : {}) };
  if (io.json && !follow) {
    const chunks: Buffer[] = [];
    await b.logs(target, req, (c) => chunks.push(c));
    printJson(io, { name: target.namespec, channel, data: Buffer.concat(chunks).toString('utf8') });
    return 0;
  }
  await b.logs(target, req, (c) =>
    io.json
      ? io.out(JSON.stringify({ name: target.namespec, channel, data: c.toString('utf8') }))
      : io.write(c),
  );
  return 0;
}

// ------------------------------------------------------------------- avail --

export async function ctlAvail(b: Backend, io: CtlIO): Promise<number> {
  const entries = await b.avail();
  if (io.json) printJson(io, entries);
  else for (const l of formatAvail(entries)) io.out(l);
  return 0;
}

// ------------------------------------------- reread / update / apply / remove --

export async function ctlReread(b: Backend, d: Deployment, io: CtlIO): Promise<number> {
  const changes = await b.plan(d);
  if (io.json) printJson(io, changes);
  else for (const l of formatChanges(changes)) io.out(l);
  return 0;
}

/**
 * `update` (only what changed: new programs start, changed ones restart,
 * disappeared ones stop and go) and `apply` (install everything, start the
 * project). `--dry-run` prints the change set only.
 */
export async function ctlApply(
  b: Backend,
  d: Deployment,
  io: CtlIO,
  opts: { onlyChanges: boolean; dryRun: boolean; project: string },
): Promise<number> {
  if (opts.dryRun) {
    const changes = await b.plan(d);
    if (io.json) printJson(io, { dryRun: true, changes });
    else {
      for (const l of formatChanges(changes)) io.out(l);
      io.out(`(dry run: nothing changed in project ${opts.project})`);
    }
    return 0;
  }
  io.progress?.(`${opts.onlyChanges ? 'updating' : 'applying'} project ${opts.project}…`);
  const res = await b.apply(d, { dryRun: false, onlyChanges: opts.onlyChanges });
  if (io.json) {
    printJson(io, { project: opts.project, changes: res.changes, written: res.written });
    return 0;
  }
  const lines = formatUpdate(res.changes);
  if (lines.length === 0 && opts.onlyChanges) io.out('No config updates to processes');
  for (const l of lines) io.out(l);
  if (!opts.onlyChanges) io.out(`${opts.project}: applied (${countGroups(res.changes)})`);
  return 0;
}

function countGroups(c: ChangeSet): string {
  return `${c.added.length} added, ${c.changed.length} changed, ${c.removed.length} removed`;
}

export async function ctlRemove(
  b: Backend,
  io: CtlIO,
  project: string | undefined,
): Promise<number> {
  const before = await b.list().catch(() => [] as ProcessStatus[]);
  io.progress?.(`removing project ${project ?? ''}…`);
  await b.remove();
  if (io.json) printJson(io, { project: project ?? null, removed: before.map((p) => p.namespec) });
  else io.out(`${project ?? 'project'}: removed (${before.length} process(es))`);
  return 0;
}
