/**
 * Behaviour of generated units on the real systemd user manager, for the
 * rows the key table calls EXACT (and the kill-group rows, to pin down
 * exactly how the APPROX ones differ). Each expectation is supervisor
 * 4.2.5's documented behaviour (supervisor-semantics.md §2-5).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { emitSystemd } from '../../src/emit/systemd/index.ts';
import type { Process } from '../../src/model/index.ts';
import { deployment, program, proc } from '../emit/systemd/fixture.ts';
import { describeWithHarness, waitFor } from './harness.ts';
import { connectManager, type Manager } from './systemd-manager.ts';

const PROG = `import json, os, signal, subprocess, sys, time
out = os.environ["B_OUT"]
name = os.environ["SUPERVISOR_PROCESS_NAME"]
mode = sys.argv[1]
def log(ev, **kw):
    with open(os.path.join(out, name + ".log"), "a") as f:
        f.write(json.dumps(dict(ev=ev, t=time.time(), **kw)) + "\\n")
with open(os.path.join(out, name + ".starts"), "a") as f:
    f.write("x\\n")
n = sum(1 for _ in open(os.path.join(out, name + ".starts")))
um = os.umask(0)
os.umask(um)
log("start", n=n, pid=os.getpid(), cwd=os.getcwd(), umask=um)
def handler(sig, frame):
    log("signal", sig=signal.Signals(sig).name)
    if sig == signal.SIGCONT or mode == "ignore":
        return
    if mode == "slowstop":
        time.sleep(0.5)
    log("exit")
    os._exit(0)
if mode in ("trap", "ignore", "slowstop"):
    for s in signal.valid_signals():
        if s in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD):
            continue
        try:
            signal.signal(s, handler)
        except (OSError, ValueError):
            pass
if n == 1:
    if mode.startswith(("exit:", "kill:")):
        # let the start job finish first: an exit before the manager has seen the exec
        # fails the job (Type=exec), which happened here on a loaded machine
        time.sleep(0.5)
    if mode.startswith("exit:"):
        sys.exit(int(mode[5:]))
    if mode.startswith("kill:"):
        os.kill(os.getpid(), getattr(signal, "SIG" + mode[5:]))
    if mode == "child":
        p = subprocess.Popen(["/bin/sleep", "1000"])
        log("child", pid=p.pid)
    if mode == "print":
        sys.stdout.write("to-stdout\\n"); sys.stdout.flush()
        sys.stderr.write("to-stderr\\n"); sys.stderr.flush()
        sys.stdout.write("again-stdout\\n"); sys.stdout.flush()
while True:
    time.sleep(1000)
`;

interface Ev {
  ev: string;
  t: number;
  n?: number;
  pid?: number;
  cwd?: string;
  umask?: number;
  sig?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describeWithHarness('systemd behaviour of the EXACT rows', (h) => {
  let m: Manager;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-beh-'));
  const script = join(dir, 'prog.py');
  const project = `beh${process.pid}`;
  const extraPids: number[] = [];
  const events = (name: string): Ev[] => {
    const f = join(dir, `${name}.log`);
    if (!existsSync(f)) return [];
    return readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Ev);
  };
  const unit = (name: string) => `${project}-${name}.service`;
  const state = async (name: string) => ({
    active: (await m.prop(unit(name), 'Unit', 'ActiveState')) as string,
    sub: (await m.prop(unit(name), 'Unit', 'SubState')) as string,
    restarts: (await m.prop(unit(name), 'Service', 'NRestarts')) as number,
    code: (await m.prop(unit(name), 'Service', 'ExecMainCode')) as number,
    status: (await m.prop(unit(name), 'Service', 'ExecMainStatus')) as number,
  });

  const specs: { name: string; mode: string; over: Partial<Process> }[] = [];
  const spec = (name: string, mode: string, over: Partial<Process> = {}) => {
    specs.push({ name, mode, over });
    return name;
  };
  // restart decisions (exitcodes=0,2)
  const uexp = { autorestart: 'unexpected' as const, exitcodes: [0, 2] };
  const rExpected = spec('r-exit2', 'exit:2', uexp);
  const rZero = spec('r-exit0', 'exit:0', uexp);
  const rUnexpected = spec('r-exit3', 'exit:3', uexp);
  const rTerm = spec('r-sigterm', 'kill:TERM', uexp);
  const rHup = spec('r-sighup', 'kill:HUP', uexp);
  const rKill = spec('r-sigkill', 'kill:KILL', uexp);
  const rNoZero = spec('r-exit0-not-in-codes', 'exit:0', { exitcodes: [2] });
  const rAlways = spec('r-always-exit0', 'exit:0', { autorestart: 'true' });
  const rNever = spec('r-never-exit3', 'exit:3', { autorestart: 'false' });
  const rNeverSig = spec('r-never-sigterm', 'kill:TERM', { autorestart: 'false' });
  // stop
  const sUsr1 = spec('s-usr1', 'trap', { stopsignal: 'USR1' });
  const sKill = spec('s-sigkill', 'ignore', { stopwaitsecs: 2 });
  const kProcess = spec('k-process', 'child', {});
  const kMixed = spec('k-mixed', 'child', { killasgroup: true });
  const kGroup = spec('k-group', 'child', { stopasgroup: true, killasgroup: true });
  // process setup
  const cwd = spec('cwd-umask', 'trap', { directory: '/tmp', umask: 0o027 });
  const logs = spec('logs', 'print', {
    stdout_logfile: join(dir, 'logs.out'),
    stderr_logfile: join(dir, 'logs.err'),
  });
  const redirect = spec('redirect', 'print', {
    stdout_logfile: join(dir, 'redirect.out'),
    redirect_stderr: true,
  });
  // ordering: low starts first, stops last
  const low = spec('o-low', 'slowstop', { priority: 10 });
  const high = spec('o-high', 'slowstop', { priority: 20 });

  before(async () => {
    writeFileSync(script, PROG);
    m = await connectManager(h);
    const groups = specs.map((s) =>
      program(
        s.name,
        [
          proc(s.name, {
            argv: ['/usr/bin/python3', script, s.mode],
            startsecs: 0,
            stdout_logfile: null,
            stderr_logfile: null,
            environment: { B_OUT: dir },
            ...s.over,
          }),
        ],
        {},
        { priority: s.over.priority ?? 999 },
      ),
    );
    const r = emitSystemd(deployment(groups), {
      project,
      scope: 'user',
      inlineEnv: false,
      logrotate: false,
    });
    await m.install(r.files);
    const results = await m.start(specs.map((s) => unit(s.name)).filter((u) => !u.includes('-o-')));
    assert.deepEqual(
      Object.values(results).filter((x) => x !== 'done'),
      [],
    );
  });
  after(async () => {
    await m.cleanup();
    m.close();
    for (const pid of extraPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const restarted = (name: string) =>
    waitFor(`${name} to be started a second time`, async () => {
      const s = await state(name);
      return events(name).filter((e) => e.ev === 'start').length >= 2 && s.restarts >= 1
        ? true
        : undefined;
    });
  const notRestarted = async (name: string) => {
    const s = await waitFor(`${name} to settle`, async () => {
      const st = await state(name);
      return st.active === 'inactive' || st.active === 'failed' ? st : undefined;
    });
    assert.equal(s.restarts, 0, `${name} NRestarts`);
    assert.equal(events(name).filter((e) => e.ev === 'start').length, 1, `${name} starts`);
    return s;
  };

  void test('autorestart=unexpected: an exit status in exitcodes is not restarted', async () => {
    await notRestarted(rExpected);
    await notRestarted(rZero);
  });
  void test('autorestart=unexpected: an exit status outside exitcodes is restarted', async () => {
    await restarted(rUnexpected);
    await restarted(rNoZero); // exit 0 when exitcodes=2
  });
  void test('autorestart=unexpected: every signal death is restarted (also SIGTERM/SIGHUP)', async () => {
    await restarted(rTerm);
    await restarted(rHup);
    await restarted(rKill);
  });
  void test('autorestart=true restarts after exit 0; autorestart=false never restarts', async () => {
    await restarted(rAlways);
    await notRestarted(rNever);
    await notRestarted(rNeverSig);
  });

  void test('stopsignal: the program receives exactly that signal first (then SIGCONT)', async () => {
    await waitFor('s-usr1 up', () => (events(sUsr1).length > 0 ? true : undefined));
    assert.deepEqual(Object.values(await m.stop([unit(sUsr1)])), ['done']);
    const sigs = events(sUsr1)
      .filter((e) => e.ev === 'signal')
      .map((e) => e.sig);
    assert.equal(sigs[0], 'SIGUSR1');
    assert.ok(
      sigs.every((s) => s === 'SIGUSR1' || s === 'SIGCONT'),
      sigs.join(','),
    );
  });

  void test('stopwaitsecs: a program ignoring the stop signal is SIGKILLed', async () => {
    await waitFor('s-sigkill up', () => (events(sKill).length > 0 ? true : undefined));
    await m.stop([unit(sKill)]);
    const s = await state(sKill);
    assert.equal(s.code, 2, 'killed by a signal (CLD_KILLED)');
    assert.equal(s.status, 9, 'SIGKILL');
    const sigs = events(sKill)
      .filter((e) => e.ev === 'signal')
      .map((e) => e.sig);
    assert.ok(sigs.includes('SIGTERM'), 'it got SIGTERM first');
    const prop = (await m.prop(unit(sKill), 'Service', 'TimeoutStopUSec')) as bigint | number;
    assert.equal(BigInt(prop), 2_000_000n);
  });

  const childOf = async (name: string) =>
    waitFor(`${name} child`, () => events(name).find((e) => e.ev === 'child')?.pid);

  void test('stopasgroup=false killasgroup=false (KillMode=process): the child survives, as under supervisor', async () => {
    const child = await childOf(kProcess);
    extraPids.push(child);
    await m.stop([unit(kProcess)]);
    assert.ok(alive(child), 'child still running after the stop');
  });
  void test('killasgroup=true (KillMode=mixed): the child is killed when main exits (supervisor would leave it: APPROX)', async () => {
    const child = await childOf(kMixed);
    extraPids.push(child);
    await m.stop([unit(kMixed)]);
    await waitFor('mixed child gone', () => (alive(child) ? undefined : true));
  });
  void test('stopasgroup=true (KillMode=control-group): the child gets the stop signal too, as under supervisor', async () => {
    const child = await childOf(kGroup);
    extraPids.push(child);
    await m.stop([unit(kGroup)]);
    await waitFor('group child gone', () => (alive(child) ? undefined : true));
  });

  void test('directory and umask reach the program', async () => {
    const start = await waitFor('cwd start', () => events(cwd).find((e) => e.ev === 'start'));
    assert.equal(start.cwd, '/tmp');
    assert.equal(start.umask, 0o027);
  });

  void test('stdout/stderr go to their files; redirect_stderr puts both in the stdout file in order', async () => {
    const outFile = join(dir, 'logs.out');
    const errFile = join(dir, 'logs.err');
    await waitFor('log files', () =>
      existsSync(outFile) && readFileSync(outFile, 'utf8').includes('again') ? true : undefined,
    );
    assert.equal(readFileSync(outFile, 'utf8'), 'to-stdout\nagain-stdout\n');
    assert.equal(readFileSync(errFile, 'utf8'), 'to-stderr\n');
    const red = join(dir, 'redirect.out');
    await waitFor('redirect file', () =>
      existsSync(red) && readFileSync(red, 'utf8').includes('again') ? true : undefined,
    );
    assert.equal(readFileSync(red, 'utf8'), 'to-stdout\nto-stderr\nagain-stdout\n');
    assert.equal(events(logs).length > 0, true);
    assert.equal(events(redirect).length > 0, true);
  });

  void test('priority: the lower priority starts first and is stopped only after the higher one exited', async () => {
    const target = `${project}.target`;
    assert.deepEqual(Object.values(await m.start([target])), ['done']);
    await waitFor('o-low start', () => events(low).find((e) => e.ev === 'start'));
    await waitFor('o-high start', () => events(high).find((e) => e.ev === 'start'));
    // systemd orders the exec()s (Type=exec), not the programs' own start-up
    const ts = async (n: string) =>
      BigInt((await m.prop(unit(n), 'Service', 'ExecMainStartTimestamp')) as bigint);
    const [lowTs, highTs] = [await ts(low), await ts(high)];
    assert.ok(lowTs > 0n && lowTs <= highTs, `low exec'd first (${lowTs} <= ${highTs})`);
    await m.stop([target]);
    // the target's own stop job ends first (targets order After= their Wants=)
    for (const n of [low, high]) {
      await waitFor(`${n} stopped`, async () =>
        (await state(n)).active === 'inactive' ? true : undefined,
      );
    }
    const highExit = events(high).find((e) => e.ev === 'exit');
    const lowTerm = events(low).find((e) => e.ev === 'signal' && e.sig === 'SIGTERM');
    assert.ok(highExit && lowTerm, 'both were stopped');
    assert.ok(lowTerm.t >= highExit.t, 'low got its stop signal after high had exited');
  });
});
