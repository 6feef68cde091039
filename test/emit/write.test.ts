import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsafePathError, safeJoin, writeFilesAtomically } from '../../src/emit/write.ts';

const out = () => mkdtempSync(join(tmpdir(), 'supctl-write-'));

test('safeJoin refuses every path that could leave --out', () => {
  const dir = out();
  for (const bad of [
    '../x',
    'a/../../x',
    '/etc/passwd',
    '',
    'a//b',
    './x',
    'a/./b',
    'a\\..\\b',
    'x\0y',
    '..',
  ]) {
    assert.throws(() => safeJoin(dir, bad), UnsafePathError, JSON.stringify(bad));
  }
  assert.equal(safeJoin(dir, 'a/b.service'), join(dir, 'a', 'b.service'));
  assert.equal(
    safeJoin(dir, 'weird name\\x2d.service'.replace('\\', '_')),
    join(dir, 'weird name_x2d.service'),
  );
});

test('writeFilesAtomically writes all files with their modes, or none', () => {
  const dir = out();
  writeFilesAtomically(dir, [
    { path: 'a.service', content: 'A\n', mode: 0o644 },
    { path: 'env/a.env', content: 'SECRET=1\n', mode: 0o600 },
  ]);
  assert.equal(readFileSync(join(dir, 'a.service'), 'utf8'), 'A\n');
  assert.equal(statSync(join(dir, 'env/a.env')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'a.service')).mode & 0o777, 0o644);

  const dir2 = out();
  assert.throws(() =>
    writeFilesAtomically(dir2, [
      { path: 'ok.service', content: 'x', mode: 0o644 },
      { path: '../escape', content: 'x', mode: 0o644 },
    ]),
  );
  assert.deepEqual(readdirSync(dir2), [], 'nothing written when one path is bad');
  assert.throws(
    () =>
      writeFilesAtomically(dir2, [
        { path: 'dup', content: 'x', mode: 0o644 },
        { path: 'dup', content: 'y', mode: 0o644 },
      ]),
    UnsafePathError,
  );
  assert.equal(existsSync(join(dir2, 'dup')), false);
});
