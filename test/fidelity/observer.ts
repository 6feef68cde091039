/**
 * One observer for all three runtimes: it takes a scenario's steps through
 * the control facade (Backend) and turns the facade's answers and the
 * program's results dir into the scenario's measurements. Nothing here
 * knows which runtime it talks to, except that a host pid can be killed
 * (cleanup of a forked child a runtime left running).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError, type ProcessState, type ProcessStatus } from '../../src/control/types.ts';
import type { Runtime } from './runtimes.ts';
import type { Measure, Scenario, Step } from './scenarios.ts';

/** A deadline for waits, generous: the machine is loaded. */
const WAIT_MS = 60_000;

interface Event {
  ev: string;
  t: number;
  fields: Record<string, string>;
}

function events(dir: string, file: string): Event[] {
  const path = join(dir, `${file}.ev`);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [ev = '', ...rest] = l.split(' ');
      const fields = Object.fromEntries(
        rest.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      return { ev, t: Number(fields.t), fields };
    });
}

const secs = (x: number): string => x.toFixed(1);
/** The file name a process writes under: its process name (after the group). */
const fileOf = (namespec: string): string => namespec.slice(namespec.indexOf(':') + 1);

async function find(r: Runtime, namespecs: string[]): Promise<ProcessStatus[]> {
  const all = await r.backend.list();
  return namespecs.map((n) => {
    const p = all.find((x) => x.namespec === n);
    if (p === undefined) throw new Error(`${r.name}: the facade lists no process ${n}`);
    return p;
  });
}

async function waitStates(r: Runtime, procs: string[], states: ProcessState[]): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = await find(r, procs);
    if (now.every((p) => states.includes(p.state))) return;
    if (Date.now() > deadline) {
      const seen = now.map((p) => `${p.namespec}=${p.state}`).join(' ');
      throw new Error(`${r.name}: not ${states.join('/')} after ${WAIT_MS} ms: ${seen}`);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** What the steps left behind for the measurements. */
interface StepLog {
  stopSecs: Map<string, number>;
}

async function runStep(r: Runtime, s: Step, log: StepLog): Promise<void> {
  switch (s.do) {
    case 'wait':
      return waitStates(r, s.procs, s.states);
    case 'settle':
      return new Promise((res) => setTimeout(res, s.seconds * 1000));
    case 'start':
      await r.backend.start(await find(r, s.procs));
      return;
    case 'stop': {
      // one stop per process, concurrently: each is timed on its own
      const targets = await find(r, s.procs);
      await Promise.all(
        targets.map(async (p) => {
          const t0 = performance.now();
          const [res] = await r.backend.stop([p]);
          if (res?.ok !== true) throw new Error(`${r.name}: stop ${p.namespec}: ${res?.message}`);
          log.stopSecs.set(p.namespec, (performance.now() - t0) / 1000);
        }),
      );
    }
  }
}

async function logText(r: Runtime, namespec: string, channel: 'stdout' | 'stderr') {
  const [p] = await find(r, [namespec]);
  const chunks: Buffer[] = [];
  await r.backend.logs(p!, { channel, follow: false }, (c) => chunks.push(c));
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .join('|');
}

function heartbeat(dir: string, file: string): string {
  const path = join(dir, `${file}.hb`);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

/** Measures one value; heartbeats were read before (hb0) and after (hb1) a pause. */
async function measure(
  r: Runtime,
  m: Measure,
  dir: string,
  log: StepLog,
  hb: (file: string) => [string, string],
): Promise<string> {
  const file = m.proc === undefined ? '' : fileOf(m.proc);
  const ev = events(dir, file);
  const starts = ev.filter((e) => e.ev === 'start');
  const firstExit = ev.find((e) => e.ev === 'exit');
  switch (m.what) {
    case 'state':
      return (await find(r, [m.proc!]))[0]!.state;
    case 'starts':
      return String(starts.length);
    case 'restarted':
      return starts.length > 1 ? 'yes' : 'no';
    case 'gaps': {
      // in file order: an exit and the next start can share a clock tick
      const gaps: string[] = [];
      let exit: Event | undefined;
      for (const e of ev) {
        if (e.ev === 'exit') exit = e;
        if (e.ev === 'start' && exit !== undefined) gaps.push(secs(e.t - exit.t));
      }
      return gaps.join(' ') || 'none';
    }
    case 'relaunch': {
      const next =
        firstExit === undefined
          ? undefined
          : ev.slice(ev.indexOf(firstExit)).find((e) => e.ev === 'start');
      return firstExit === undefined || next === undefined ? 'none' : secs(next.t - firstExit.t);
    }
    case 'signal':
      return (
        ev
          .filter((e) => e.ev === 'sig')
          .map((e) => e.fields.sig)
          .join(' ') || 'none'
      );
    case 'childSignal':
      return (
        ev
          .filter((e) => e.ev === 'childsig')
          .map((e) => e.fields.sig)
          .join(' ') || 'none'
      );
    case 'childAlive': {
      const [a, b] = hb(file);
      return a !== '' && a !== b ? 'yes' : 'no';
    }
    case 'stopSecs': {
      const s = log.stopSecs.get(m.proc!);
      return s === undefined ? 'none' : secs(s);
    }
    case 'cwd':
    case 'umask':
    case 'var':
      return starts[0]?.fields[m.what] ?? 'none';
    case 'stdout':
    case 'stderr':
      return logText(r, m.proc!, m.what);
    case 'order':
      // spawn order as the facade reports it: start time, then pid (supervisord
      // reports whole seconds); not the programs' own first lines, whose order a
      // loaded machine shuffles even under supervisord
      return (await r.backend.list())
        .sort(
          (a, b) =>
            (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity) || (a.pid ?? 0) - (b.pid ?? 0),
        )
        .map((p) => p.namespec)
        .join(',');
    case 'namespecs':
      return (await r.backend.list())
        .map((p) => p.namespec)
        .sort()
        .join(',');
    case 'files':
      return readdirSync(dir)
        .filter((f) => f.endsWith('.ev'))
        .map((f) => f.slice(0, -3))
        .sort()
        .join(',');
  }
}

/** Kills the forked children a host runtime left running (by their recorded pid). */
function killChildren(r: Runtime, dir: string): void {
  if (r.name === 'docker') return; // container pids; the container took them with it
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ev'))) {
    for (const e of events(dir, f.slice(0, -3)).filter((x) => x.ev === 'child')) {
      try {
        process.kill(Number(e.fields.pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

/** Runs the scenario's steps on one runtime; returns each measurement's value, in order. */
export async function observe(r: Runtime, s: Scenario): Promise<string[]> {
  const log: StepLog = { stopSecs: new Map() };
  for (const step of s.steps) await runStep(r, step, log);
  const dir = await r.collect();
  const hb0 = new Map<string, string>();
  const needsBeat = s.measures.filter((m) => m.what === 'childAlive').map((m) => fileOf(m.proc!));
  for (const f of needsBeat) hb0.set(f, heartbeat(dir, f));
  if (needsBeat.length > 0) await new Promise((res) => setTimeout(res, 1500));
  const dir1 = needsBeat.length > 0 ? await r.collect() : dir;
  const hb = (f: string): [string, string] => [hb0.get(f) ?? '', heartbeat(dir1, f)];
  try {
    const out: string[] = [];
    for (const m of s.measures) {
      // a fault is an answer too: recorded as its code (each backend words it its own way)
      out.push(
        await measure(r, m, dir1, log, hb).catch((e: unknown) => {
          if (e instanceof BackendError) return `fault ${e.code}`;
          throw e;
        }),
      );
    }
    return out;
  } finally {
    killChildren(r, dir1);
  }
}
