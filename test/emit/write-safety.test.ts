/** writeFilesAtomically against a hostile or careless --out: planted symlinks, predictable temp names, umask 000. */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UnsafePathError, writeFilesAtomically } from '../../src/emit/write.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'supctl-wsafe-'));

/** A file outside --out that no write may touch. */
function victim(): string {
  const f = join(fresh(), 'victim');
  writeFileSync(f, 'original\n');
  return f;
}

test('a symlink planted at a temp name is not written through (temp names are random, created exclusively)', () => {
  const out = fresh();
  const v = victim();
  // the names the previous version used: .PID.INDEX.supctl-tmp
  for (let i = 0; i < 3; i++) symlinkSync(v, join(out, `.${process.pid}.${i}.supctl-tmp`));
  writeFilesAtomically(out, [
    { path: 'a.service', content: 'A\n', mode: 0o644 },
    { path: 'b.service', content: 'B\n', mode: 0o644 },
  ]);
  assert.equal(readFileSync(v, 'utf8'), 'original\n');
  assert.equal(readFileSync(join(out, 'a.service'), 'utf8'), 'A\n');
  const left = readdirSync(out).filter(
    (n) => n.endsWith('.supctl-tmp') && !n.startsWith(`.${process.pid}.`),
  );
  assert.deepEqual(left, [], 'no temp file left');
});

test('a symlinked directory inside --out is refused, nothing is written through it', () => {
  const out = fresh();
  const elsewhere = fresh();
  symlinkSync(elsewhere, join(out, 'env'));
  assert.throws(
    () =>
      writeFilesAtomically(out, [
        { path: 'a.service', content: 'A\n', mode: 0o644 },
        { path: 'env/a.env', content: 'SECRET=1\n', mode: 0o600 },
      ]),
    (e: unknown) => e instanceof UnsafePathError && /env is a symlink/.test(e.message),
  );
  assert.deepEqual(readdirSync(elsewhere), []);
  assert.equal(existsSync(join(out, 'a.service')), false, 'all or nothing');
});

test('a symlink at the target itself is refused, its target left alone', () => {
  const out = fresh();
  const v = victim();
  symlinkSync(v, join(out, 'a.service'));
  assert.throws(
    () => writeFilesAtomically(out, [{ path: 'a.service', content: 'A\n', mode: 0o644 }]),
    UnsafePathError,
  );
  assert.equal(readFileSync(v, 'utf8'), 'original\n');
});

test('--out itself may be a symlink (the user chose it)', () => {
  const real = fresh();
  const link = join(fresh(), 'out');
  symlinkSync(real, link);
  writeFilesAtomically(link, [{ path: 'x/a.service', content: 'A\n', mode: 0o644 }]);
  assert.equal(readFileSync(join(real, 'x', 'a.service'), 'utf8'), 'A\n');
});

test('umask 000: directories are 0755 and files have exactly their mode', () => {
  const base = fresh();
  const out = join(base, 'new', 'out');
  const old = process.umask(0);
  try {
    writeFilesAtomically(out, [
      { path: 'd/e/a.service', content: 'A\n', mode: 0o644 },
      { path: 'd/a.env', content: 'S=1\n', mode: 0o600 },
    ]);
  } finally {
    process.umask(old);
  }
  for (const d of [join(base, 'new'), out, join(out, 'd'), join(out, 'd', 'e')]) {
    assert.equal(statSync(d).mode & 0o777, 0o755, d);
  }
  assert.equal(statSync(join(out, 'd/e/a.service')).mode & 0o777, 0o644);
  assert.equal(statSync(join(out, 'd/a.env')).mode & 0o777, 0o600);
});

test('umask 077 does not narrow a 0644 file; an existing directory keeps its mode', () => {
  const out = fresh();
  mkdirSync(join(out, 'keep'), { mode: 0o700 });
  const old = process.umask(0o077);
  try {
    writeFilesAtomically(out, [{ path: 'keep/a.service', content: 'A\n', mode: 0o644 }]);
  } finally {
    process.umask(old);
  }
  assert.equal(statSync(join(out, 'keep/a.service')).mode & 0o777, 0o644);
  assert.equal(statSync(join(out, 'keep')).mode & 0o777, 0o700);
});

test('temp files of a killed writer are removed on the next write; a live writer keeps its own', () => {
  const out = fresh();
  const dead = spawnSync('/bin/true').pid; // a pid that has exited
  const stale = `.a.service.${dead}.0123456789abcdef.supctl-tmp`;
  const live = `.a.service.${process.pid}.fedcba9876543210.supctl-tmp`;
  writeFileSync(join(out, stale), 'half\n');
  writeFileSync(join(out, live), 'busy\n');
  writeFilesAtomically(out, [{ path: 'a.service', content: 'A\n', mode: 0o644 }]);
  const names = readdirSync(out).sort();
  assert.deepEqual(names, [live, 'a.service'].sort());
});
