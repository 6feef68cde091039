/**
 * clear, maintail, shutdown, reload, open, fg: supervisorctl 4.2.5's lines
 * and exit statuses over fakes (the real daemons: test/integration/
 * cli-supervisord-daemon.test.ts and dropin-daemon.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ctlClear,
  ctlDaemon,
  ctlFg,
  ctlMaintail,
  ctlOpen,
} from '../../../src/cli/commands/ctl-daemon.ts';
import { BackendError, type MainLogRequest } from '../../../src/control/types.ts';
import { FakeBackend, proc, recordIO } from '../../control/fake-backend.ts';

test('clear: usage, supervisorctl lines on stdout, why on stderr, exit 1 on any failure', async () => {
  const b = new FakeBackend([
    proc('jr', 'jr', 'RUNNING', { logfiles: { stdout: '', stderr: '' } }),
  ]);
  let r = recordIO();
  assert.equal(await ctlClear(b, [], r.io), 1);
  assert.equal(r.out[0], 'Error: clear requires a process name');
  assert.equal(r.out[1], "clear <name>\t\tClear a process' log files.");
  r = recordIO();
  assert.equal(await ctlClear(b, ['jr', 'x'], r.io), 1);
  assert.deepEqual(r.out, ['jr: ERROR (failed)', 'x: ERROR (no such process)']);
  assert.match(r.err[0]!, /^supctl: jr: .*journal/);
});

test('maintail: argument errors; refused with one line where no supervisord runs', async () => {
  const b = new FakeBackend([proc('web', 'web')]);
  for (const [args, line] of [
    [['-1', '-2'], 'Error: too many arguments'],
    [['x'], 'Error: bad argument x'],
    [['-f1'], 'Error: bad argument -f1'],
  ] as const) {
    const r = recordIO();
    assert.equal(await ctlMaintail(b, [...args], r.io), 1);
    assert.equal(r.out[0], line);
  }
  const r = recordIO();
  assert.equal(await ctlMaintail(b, [], r.io), 1);
  assert.equal(r.out.length, 1);
  assert.match(r.out[0]!, /no supervisord runs these programs/);
});

test("maintail: the daemon's log, its bytes asked, a newline after; its fault line", async () => {
  const b = new FakeBackend([]);
  const asked: MainLogRequest[] = [];
  Object.assign(b, {
    mainLog: (req: MainLogRequest, sink: (c: Buffer) => void) => {
      asked.push(req);
      sink(Buffer.from('INFO started'));
      return Promise.resolve();
    },
  });
  const r = recordIO();
  assert.equal(await ctlMaintail(b, ['-100'], r.io), 0);
  assert.equal(r.raw(), 'INFO started\n');
  assert.deepEqual(asked[0], { bytes: 100, follow: false, signal: undefined });
  Object.assign(b, {
    mainLog: () =>
      Promise.reject(new BackendError('NOT_FOUND', 'supervisord: ERROR (no log file)')),
  });
  const e = recordIO();
  assert.equal(await ctlMaintail(b, [], e.io), 1);
  assert.deepEqual(e.out, ['supervisord: ERROR (no log file)']);
});

test('shutdown/reload: usage, the question, their lines and exit statuses', async () => {
  const b = new FakeBackend([proc('web', 'web')]);
  let r = recordIO();
  assert.equal(await ctlDaemon(b, 'shutdown', ['x'], r.io), 1);
  assert.deepEqual(r.out, [
    'Error: shutdown accepts no arguments',
    'shutdown \tShut the remote supervisord down.',
  ]);

  r = recordIO();
  const asked: string[] = [];
  const no = (q?: string) => (asked.push(q ?? ''), Promise.resolve('n'));
  assert.equal(await ctlDaemon(b, 'shutdown', [], r.io, no), 0);
  assert.deepEqual(asked, ['Really shut the remote supervisord process down y/N? ']);
  assert.deepEqual(r.out, []);
  assert.equal(b.procs[0]!.state, 'RUNNING');

  r = recordIO();
  assert.equal(await ctlDaemon(b, 'shutdown', [], r.io, () => Promise.resolve('Yes')), 0);
  assert.deepEqual(r.out, ['Shut down']);
  assert.equal(b.procs[0]!.state, 'STOPPED');

  r = recordIO();
  assert.equal(await ctlDaemon(b, 'reload', [], r.io), 0);
  assert.deepEqual(r.out, ['Restarted supervisord']);
  assert.equal(b.procs[0]!.state, 'RUNNING');

  // a start that fails: its line, no success line, exit 1
  b.startFaults.set('web', 'SPAWN_ERROR');
  r = recordIO();
  assert.equal(await ctlDaemon(b, 'reload', [], r.io), 1);
  assert.equal(r.out.length, 1);
  assert.match(r.out[0]!, /^web: ERROR/);
});

test('shutdown/reload of a supervisord: already shutting down, already gone', async () => {
  const sd = new FakeBackend([]);
  Object.assign(sd, {
    shutdownDaemon: () => Promise.resolve('shutting down'),
    restartDaemon: () => Promise.resolve('shutting down'),
  });
  let r = recordIO();
  assert.equal(await ctlDaemon(sd, 'shutdown', [], r.io), 0);
  assert.deepEqual(r.out, ['ERROR: already shutting down']);
  r = recordIO();
  assert.equal(await ctlDaemon(sd, 'reload', [], r.io), 1);
  assert.deepEqual(r.out, ['ERROR: already shutting down']);
  Object.assign(sd, {
    shutdownDaemon: () =>
      Promise.reject(new BackendError('UNREACHABLE', 'unix:///x.sock refused connection')),
  });
  r = recordIO();
  assert.equal(await ctlDaemon(sd, 'shutdown', [], r.io), 1);
  assert.deepEqual(r.out, ['ERROR: unix:///x.sock refused connection (already shut down?)']);
});

test('open: the scheme checked, then the status of the new server', async () => {
  let r = recordIO();
  let opened = 0;
  const at = () => (opened++, Promise.resolve(new FakeBackend([proc('web', 'web')])));
  assert.equal(await ctlOpen('ftp://h', r.io, at), 1);
  assert.deepEqual(r.out, ['ERROR: url must be http:// or unix://']);
  assert.equal(opened, 0);
  r = recordIO();
  assert.equal(await ctlOpen('unix:///run/s.sock', r.io, at), 0);
  assert.equal(opened, 1);
  assert.match(r.out[0]!, /^web\s+RUNNING/);
});

test('fg: names, not running; output followed; input forwarded until the end of input', async () => {
  const b = new FakeBackend([proc('web', 'web'), proc('off', 'off', 'STOPPED')]);
  for (const [names, line] of [
    [[], 'ERROR: no process name supplied'],
    [['a', 'b'], 'ERROR: too many process names supplied'],
    [['nosuch'], 'ERROR: bad process name supplied'],
    [['off'], 'ERROR: process not running'],
  ] as const) {
    const r = recordIO();
    assert.equal(await ctlFg(b, [...names], r.io, undefined, undefined), 1);
    assert.equal(r.out[0], line);
  }
  // no stdin forwarding (systemd/Docker): follows until Ctrl-C
  const r = recordIO();
  const ac = new AbortController();
  ac.abort();
  assert.equal(await ctlFg(b, ['web'], r.io, ac.signal, () => Promise.resolve('x')), 0);
  assert.deepEqual(r.out, ['==> Press Ctrl-C to exit <==', 'Exiting foreground']);
  assert.equal(r.raw(), 'out-line\nerr-line\n');
  assert.match(r.err[0]!, /does not forward input/);

  const sent: string[] = [];
  Object.assign(b, { sendStdin: (_n: string, t: string) => (sent.push(t), Promise.resolve(true)) });
  const input = ['one', 'two'];
  const f = recordIO();
  assert.equal(
    await ctlFg(b, ['web'], f.io, undefined, () => Promise.resolve(input.shift() ?? null)),
    0,
  );
  assert.deepEqual(sent, ['one\n', 'two\n']);
  assert.deepEqual(f.out, ['==> Press Ctrl-C to exit <==', 'Exiting foreground']);

  // the process dies: supervisorctl's two lines
  Object.assign(b, { sendStdin: () => Promise.resolve(false) });
  const k = recordIO();
  assert.equal(await ctlFg(b, ['web'], k.io, undefined, () => Promise.resolve('x')), 0);
  assert.deepEqual(k.out.slice(1), ['Process got killed', 'Exiting foreground']);
});
