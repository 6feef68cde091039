/**
 * supervisorctl's verbs that act on processes over any Backend: start, stop,
 * restart, signal (supervisorctl.py 4.2.5 do_start, do_stop, do_restart,
 * do_signal): which processes each name form reaches, the result lines and
 * the exit status.
 */
import { formatActionResult } from '../../control/format.ts';
import { resolveNames, type NameMatch } from '../../control/names.ts';
import { normalizeSignal } from '../../control/signals.ts';
import {
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  type ActionResult,
  type Backend,
  type ProcessStatus,
} from '../../control/types.ts';
import { CTL_EXIT, ExitStatus, exitForBadName, exitForFault, type CtlVerb } from '../errors.ts';
import { printJson, type CtlIO } from './ctl-io.ts';

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
        ? plan(all, names, (p) => !isRunning(p), 'ALREADY_STARTED')
        : plan(all, names, isRunning, 'NOT_RUNNING');
    io.progress?.(
      `${verb === 'start' ? 'starting' : 'stopping'} ${planned.todo.length} process(es)…`,
    );
    const results = planned.todo.length > 0 ? await b[verb](planned.todo) : [];
    report(verb, planned, results, ex, lines, json);
  } else {
    // supervisorctl: do_stop(names) then do_start(names). The backend restarts
    // in one go; the stop lines are derived from the state before.
    const stopPlan = plan(all, names, isRunning, 'NOT_RUNNING');
    const startPlan = plan(all, names, () => true, undefined);
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
  const planned = plan(all, names, (p) => SIGNALLABLE_STATES.includes(p.state), 'NOT_RUNNING');
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
