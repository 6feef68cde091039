/**
 * supervisorctl's read verbs over any Backend: status, pid, tail, avail
 * (supervisorctl.py 4.2.5 do_status, do_pid, do_tail, do_avail).
 */
import { stateColour } from '../colour.ts';
import { formatAvail, formatStatusLines } from '../../control/format.ts';
import { resolveNames, splitNamespec, type NameMatch } from '../../control/names.ts';
import { StackBackend } from '../../control/stack/index.ts';
import {
  BackendError,
  STOPPED_STATES,
  type Backend,
  type ProcessStatus,
} from '../../control/types.ts';
import { declaredChecks, type Watched } from '../../health/checks.ts';
import { probeRunning } from '../../health/once.ts';
import { healthWords } from '../../health/state.ts';
import { CTL_EXIT, ExitStatus, exitForBadName } from '../errors.ts';
import { str, strs, type Args } from '../options.ts';
import { withBackend } from './control.ts';
import { printJson, type CtlIO } from './ctl-io.ts';
import { loadForCli } from './load.ts';
import { advertPaths, readAdvert, stackKey } from '../../control/serve-client/advert.ts';
import { listedBackend, processesFromServe } from '../../control/serve-client/client.ts';

/** `status` one-shot: with `-c FILE`, the file's health checks are probed too. */
export async function runStatus(a: Args): Promise<number> {
  const file = str(a.configuration);
  const config =
    file === undefined ? undefined : { file, deployment: loadForCli(file, [], undefined) };
  const checks = config === undefined ? [] : declaredChecks(config.deployment);
  return withBackend(a, (b, io) => ctlStatus(b, strs(a.names), io, checks), config);
}

export async function ctlStatus(
  b: Backend,
  names: string[],
  io: CtlIO,
  checks: readonly Watched[] = [],
): Promise<number> {
  const all = await b.list({ detail: io.wide });
  const r = resolveNames(all, names, { emptyMeansAll: true });
  const ex = new ExitStatus();
  // supervisorctl: `all` is sorted; named processes come in the order named
  let rows = r.all ? r.targets : r.names.flatMap((m) => m.matches);
  if (checks.length > 0) {
    // the health goes after supervisorctl's description: `pid N, uptime H:MM:SS, healthy`
    const health = await probeRunning(rows, checks);
    rows = rows.map((p) => {
      const h = health.get(p.namespec);
      return h === undefined
        ? p
        : { ...p, description: `${p.description}, ${healthWords(h)}`, health: h };
    });
  }
  for (const m of r.bad) ex.set(exitForBadName('status', m.error!.kind));
  for (const p of rows) if (STOPPED_STATES.includes(p.state)) ex.set(CTL_EXIT.statusNotRunning);
  if (io.json) {
    printJson(io, { processes: rows, errors: badJson(r.bad) });
  } else {
    for (const m of r.bad) io.out(m.error!.line);
    const lines = formatStatusLines(rows, {
      wide: io.wide,
      ...(io.colour === true ? { paint: stateColour } : {}),
    });
    const col = io.wide ? backendColumn(b, rows) : null;
    // wide lines are one per row, after any header line
    const off = lines.length - rows.length;
    lines.forEach((line, i) => io.out(col ? `${line}  ${col(i - off)}` : line));
  }
  return ex.code;
}

/** status --wide: which backend runs each row, when more than one holds the stack's programs. */
function backendColumn(b: Backend, rows: ProcessStatus[]): ((i: number) => string) | null {
  if (!(b instanceof StackBackend) || b.holders(rows).size < 2) return null;
  return (i) => (i < 0 ? 'BACKEND' : (b.memberOf(rows[i]!)?.name ?? '-'));
}

/**
 * `status` through a running `supctl serve` of the same stack (its advert,
 * src/control/serve-client/): one local request instead of the bus. null
 * when there is none, it is stale or it does not answer: ask the backend.
 */
export async function statusViaServe(a: Args, names: string[]): Promise<number | null> {
  if (a.configuration !== undefined) return null; // a stack file may span backends
  const { resolveGlobals, stdIO } = await import('./control.ts');
  const r = resolveGlobals(a);
  const key = stackKey(r.backend.name, a.scope, r.project);
  const ad = key === null ? null : readAdvert(advertPaths(key).file);
  const ps = ad === null ? null : await processesFromServe(ad.socket);
  return ps === null ? null : ctlStatus(listedBackend(ps), names, stdIO(a));
}

function badJson(bad: NameMatch[]): { name: string; error: string }[] {
  return bad.map((m) => ({ name: m.spec.spec, error: m.error!.kind }));
}

/**
 * `pid NAME…`: one pid a line, 0 (and exit 7) for a process that is not
 * running, `No such process NAME` (exit 1) for a bad name. supervisorctl's
 * bare `pid` prints supervisord's own pid: so does a backend with a daemon
 * (supervisord); on the others a bare `pid` is `pid all`. Group names
 * (`g:*`) expand to their processes.
 */
export async function ctlPid(b: Backend, names: string[], io: CtlIO): Promise<number> {
  if (names.length === 0 && b.daemonPid) {
    const pid = await b.daemonPid();
    if (io.json) printJson(io, { daemon: true, pid });
    else io.out(String(pid));
    return 0;
  }
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

interface TailArgs {
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
  try {
    if (io.json && !follow) {
      const chunks: Buffer[] = [];
      await b.logs(target, req, (c) => chunks.push(c));
      const data = Buffer.concat(chunks).toString('utf8');
      printJson(io, { name: target.namespec, channel, data });
      return 0;
    }
    await b.logs(target, req, (c) =>
      io.json
        ? io.out(JSON.stringify({ name: target.namespec, channel, data: c.toString('utf8') }))
        : io.write(c),
    );
  } catch (e) {
    return tailFailed(e, name, target.namespec, io);
  }
  // supervisorctl prints the log text with output(), which adds a newline; a follow streams raw
  if (!follow && !io.json) io.write('\n');
  return 0;
}

/**
 * A log the backend has none of, or cannot read: supervisorctl's line on
 * stdout (`web: ERROR (no log file)`) and exit 1, under the name as typed.
 * A backend whose message is already that line (supervisord's) keeps its
 * words; another's detail goes in the parentheses. Anything else (the
 * daemon unreachable) is thrown to the CLI's one error line.
 */
function tailFailed(e: unknown, typed: string, namespec: string, io: CtlIO): number {
  if (!(e instanceof BackendError) || (e.code !== 'NOT_FOUND' && e.code !== 'FAILED')) throw e;
  const own = `${namespec}: ERROR (`;
  const line = e.message.startsWith(own)
    ? `${typed}: ${e.message.slice(namespec.length + 2)}`
    : `${typed}: ERROR (${e.message})`;
  if (io.json) printJson(io, { name: namespec, error: line });
  else io.out(line);
  return CTL_EXIT.generic;
}

export async function ctlAvail(b: Backend, io: CtlIO): Promise<number> {
  const entries = await b.avail();
  if (io.json) printJson(io, entries);
  else for (const l of formatAvail(entries)) io.out(l);
  return 0;
}
