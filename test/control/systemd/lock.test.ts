import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { diffGroups } from '../../../src/control/systemd/apply.ts';
import { acquireLock } from '../../../src/control/systemd/lock.ts';
import { BackendError } from '../../../src/control/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a held lock makes the second apply wait, then CONFLICT', async () => {
  const file = join(dir, 'a', 'p.lock');
  const release = await acquireLock(file, 1_000);
  assert.equal(readFileSync(file, 'utf8'), `${process.pid}\n`);
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
  writeFileSync(file, `${dead}\n`);
  const release = await acquireLock(file, 500);
  assert.equal(readFileSync(file, 'utf8'), `${process.pid}\n`);
  release();
});

test('reread diff by group hash', () => {
  assert.deepEqual(diffGroups({ a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' }), {
    added: ['d'],
    changed: ['b'],
    removed: ['c'],
  });
});
