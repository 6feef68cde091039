import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { diffGroups } from '../../src/control/systemd/apply.ts';
import { acquireLock } from '../../src/control/systemd/lock.ts';
import { takeOver } from '../../src/control/lock.ts';
import { BackendError } from '../../src/control/types.ts';
import { startTime } from '../../src/control/usage/proc.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-lock-'));
/** PID STARTTIME TOKEN of this process. */
const OURS = new RegExp(`^${process.pid} ${startTime(process.pid)} [0-9a-f]{32}\\n$`);
after(() => rmSync(dir, { recursive: true, force: true }));

test('a held lock makes the second apply wait, then CONFLICT', async () => {
  const file = join(dir, 'a', 'p.lock');
  const release = await acquireLock(file, 1_000);
  assert.match(readFileSync(file, 'utf8'), OURS);
  await assert.rejects(
    acquireLock(file, 200),
    (e: unknown) => e instanceof BackendError && e.code === 'CONFLICT',
  );
  release();
  assert.ok(!existsSync(file));
  const again = await acquireLock(file, 200);
  again();
});

test('the waiter gets the lock as soon as it is released', async () => {
  const file = join(dir, 'b.lock');
  const release = await acquireLock(file, 1_000);
  const order: string[] = [];
  const second = acquireLock(file, 5_000).then((r) => {
    order.push('second');
    return r;
  });
  await new Promise((r) => setTimeout(r, 150));
  order.push('first done');
  release();
  (await second)();
  assert.deepEqual(order, ['first done', 'second']);
});

test('a lock left by a dead process is stale and taken over', async () => {
  const file = join(dir, 'c.lock');
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  writeFileSync(file, `${dead} ${startTime(process.pid)} 0123abcd\n`);
  const release = await acquireLock(file, 500);
  assert.match(readFileSync(file, 'utf8'), OURS);
  release();
});

test('a pid now used by another process (other start time) does not keep a stale lock', async () => {
  const file = join(dir, 'd.lock');
  // our own pid, alive, but started at another time: the lock's owner is gone
  writeFileSync(file, `${process.pid} ${startTime(process.pid)! + 1} 0123abcd\n`);
  const release = await acquireLock(file, 500);
  assert.match(readFileSync(file, 'utf8'), OURS);
  release();
});

test('release() leaves a lock that is no longer ours', async () => {
  const file = join(dir, 'e.lock');
  const release = await acquireLock(file, 500);
  const theirs = `${process.ppid} ${startTime(process.ppid)} 4567ef\n`;
  writeFileSync(file, theirs); // taken over meanwhile
  release();
  assert.equal(readFileSync(file, 'utf8'), theirs);
  rmSync(file);
});

test('a waiter that judged a lock stale late does not remove the lock taken over meanwhile', async () => {
  const file = join(dir, 'g.lock');
  writeFileSync(file, `999999999 1 0123abcd\n`);
  const stale = { pid: 999999999, startTime: 1, token: '0123abcd' };
  const release = await acquireLock(file, 500); // A takes it over
  const fresh = readFileSync(file, 'utf8');
  takeOver(file, stale, 'B'); // B saw the stale lock before A replaced it
  assert.equal(readFileSync(file, 'utf8'), fresh);
  release();
  assert.ok(!existsSync(file));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('g.lock')),
    [],
    'no guard or temp file left',
  );
});

test('many processes racing for a stale lock hold it one at a time', () => {
  const file = join(dir, 'f.lock');
  const log = join(dir, 'f.log');
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  writeFileSync(file, `${dead} 1 0123abcd\n`);
  writeFileSync(log, '');
  // each holder logs `+pid`, waits, logs `-pid`: overlapping holders interleave
  const script = `
    import { appendFileSync } from 'node:fs';
    import { acquireLock } from ${JSON.stringify(new URL('../../src/control/lock.ts', import.meta.url).href)};
    const [file, log, go] = process.argv.slice(1);
    while (Date.now() < Number(go)) {}
    const release = await acquireLock(file, 30000);
    appendFileSync(log, '+' + process.pid + '\\n');
    await new Promise((r) => setTimeout(r, 30));
    appendFileSync(log, '-' + process.pid + '\\n');
    release();
  `;
  const go = String(Date.now() + 1500);
  const n = 6;
  const runs = spawnSync(
    'sh',
    [
      '-c',
      `for i in $(seq ${n}); do "$0" --import tsx --input-type=module -e "$1" "$2" "$3" "$4" & done; wait`,
      process.execPath,
      script,
      file,
      log,
      go,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(runs.status, 0, runs.stderr);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2 * n, lines.join(' '));
  for (let i = 0; i < lines.length; i += 2) {
    assert.equal(lines[i]!.slice(1), lines[i + 1]!.slice(1), `overlap: ${lines.join(' ')}`);
  }
  assert.ok(!existsSync(file));
});

test('reread diff by group hash', () => {
  assert.deepEqual(diffGroups({ a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' }), {
    added: ['d'],
    changed: ['b'],
    removed: ['c'],
  });
});
