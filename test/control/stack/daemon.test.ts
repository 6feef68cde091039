/**
 * clear/shutdown/reload where no supervisord runs the programs: clear
 * truncates the log files the backend names and refuses journal and
 * container logs; shutdown stops every program; reload stops them and
 * starts the autostart ones; a stack sends each member its own meaning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { clearLogFiles, clearLogs, daemonVerb } from '../../../src/control/stack/daemon.ts';
import { StackBackend } from '../../../src/control/stack/index.ts';
import { FakeBackend, proc } from '../fake-backend.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'supctl-clear-'));
const file = (name: string, text = 'old output\n') => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

test('clear: files emptied, journal and container refused with why, unknown names', () => {
  const out = file('web.out');
  const err = file('web.err');
  const rows = [
    proc('web', 'web', 'RUNNING', { logfiles: { stdout: out, stderr: err } }),
    proc('jr', 'jr', 'RUNNING', { logfiles: { stdout: '', stderr: '' } }),
    proc('box', 'box'),
    proc('new', 'new', 'RUNNING', { logfiles: { stdout: path.join(dir, 'never'), stderr: '' } }),
  ];
  const r = clearLogFiles(rows, ['web', 'jr', 'box', 'new', 'nosuch', 'g:*']);
  assert.deepEqual(
    r.map((x) => [x.namespec, x.outcome]),
    [
      ['web', 'cleared'],
      ['jr', 'failed'],
      ['box', 'failed'],
      ['new', 'cleared'],
      ['nosuch', 'no such process'],
      ['g:None', 'no such process'],
    ],
  );
  assert.equal(readFileSync(out, 'utf8'), '');
  assert.equal(readFileSync(err, 'utf8'), '');
  assert.match(r[1]!.why!, /journal/);
  assert.match(r[2]!.why!, /Docker/);
  // `all`: every process, in supervisor's order
  assert.deepEqual(
    clearLogFiles(rows, ['all']).map((x) => x.namespec),
    ['box', 'jr', 'new', 'web'],
  );
});

test('clear on a stack: each name to the member that runs it', async () => {
  const a = new FakeBackend([
    proc('web', 'web', 'RUNNING', { logfiles: { stdout: file('a'), stderr: '' } }),
  ]);
  const asked: string[][] = [];
  const sd = new FakeBackend([proc('old', 'old', 'RUNNING', { project: 'supervisord' })]);
  Object.assign(sd, {
    clearLogs: (names: readonly string[]) => {
      asked.push([...names]);
      return Promise.resolve(names.map((namespec) => ({ namespec, outcome: 'cleared' as const })));
    },
  });
  const s = new StackBackend(
    [
      { name: 'systemd', backend: a },
      { name: 'supervisord', backend: sd },
    ],
    a,
    'none',
  );
  const r = await clearLogs(s, ['old', 'web', 'gone']);
  assert.deepEqual(
    r.map((x) => `${x.namespec} ${x.outcome}`),
    ['old cleared', 'web cleared', 'gone no such process'],
  );
  assert.deepEqual(asked, [['old']]);
  assert.deepEqual(
    (await clearLogs(s, ['all'])).map((x) => x.namespec),
    ['web', 'all'],
  );
});

test('shutdown stops what runs; reload restarts and leaves a manual program stopped', async () => {
  const b = new FakeBackend([
    proc('web', 'web'),
    proc('idle', 'idle', 'STOPPED'),
    proc('w', 'w', 'BACKOFF'),
  ]);
  assert.deepEqual(await daemonVerb(b, 'shutdown'), { shuttingDown: false, failed: [] });
  assert.deepEqual(
    b.calls.filter((c) => c.startsWith('stop')),
    ['stop web w'],
  );
  assert.ok(b.procs.every((p) => p.state === 'STOPPED'));

  b.calls = [];
  b.procs[0]!.state = 'RUNNING';
  b.startFaults.set('w', 'SPAWN_ERROR');
  const r = await daemonVerb(b, 'reload');
  assert.deepEqual(
    b.calls.filter((c) => !c.startsWith('list')),
    ['stop web', 'start web w'],
  );
  assert.deepEqual(
    r.failed.map((x) => x.namespec),
    ['w'],
  );
  assert.equal(b.procs.find((p) => p.name === 'idle')!.state, 'STOPPED');
});

test('a stack: supervisord shuts down by its own call, the others stop their programs', async () => {
  const a = new FakeBackend([proc('web', 'web')]);
  const sd = new FakeBackend([proc('old', 'old')]);
  Object.assign(sd, { shutdownDaemon: () => Promise.resolve('shutting down' as const) });
  const s = new StackBackend(
    [
      { name: 'systemd', backend: a },
      { name: 'supervisord', backend: sd },
    ],
    a,
    'none',
  );
  assert.deepEqual(await daemonVerb(s, 'shutdown'), { shuttingDown: true, failed: [] });
  assert.deepEqual(
    a.calls.filter((c) => c.startsWith('stop')),
    ['stop web'],
  );
  assert.deepEqual(
    sd.calls.filter((c) => c.startsWith('stop')),
    [],
  );
});
