/**
 * `supctl install-shim` through bin/supctl in temp dirs: the link it makes
 * runs supctl as supervisorctl; a file or link it did not make is never
 * replaced or removed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = mkdtempSync(join(tmpdir(), 'supctl-shim-'));
const state = join(root, 'state');
const env = { ...process.env, SUPCTL_STATE_DIR: state };
const supctl = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/supctl', 'install-shim', ...args], { env, encoding: 'utf8' });
const self = realpathSync('bin/supctl');
const record = (): unknown => JSON.parse(readFileSync(join(state, 'shims.json'), 'utf8'));

after(() => rmSync(root, { recursive: true, force: true }));

test('installs a supervisorctl link to supctl, records it, runs as supervisorctl; again is a no-op', () => {
  const dir = mkdtempSync(join(root, 'bin-'));
  const link = join(dir, 'supervisorctl');
  let r = supctl('--dir', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readlinkSync(link), self);
  assert.deepEqual(record(), [link]);
  r = supctl('--dir', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /already there/);
  const help = spawnSync(link, ['-h'], { env, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^supervisorctl /m);
  r = supctl('--dir', dir, '--remove');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(link), false);
  assert.deepEqual(record(), []);
});

test('a supervisorctl that is not ours is refused and left as it was', () => {
  const dir = mkdtempSync(join(root, 'bin-'));
  const link = join(dir, 'supervisorctl');
  writeFileSync(link, '#!/bin/sh\necho the real one\n');
  const r = supctl('--dir', dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists and is not supctl's; left alone/);
  assert.equal(readFileSync(link, 'utf8'), '#!/bin/sh\necho the real one\n');
  const rm = supctl('--dir', dir, '--remove');
  assert.equal(rm.status, 1);
  assert.equal(existsSync(link), true);
});

test('--remove leaves a link to supctl that install-shim did not make', () => {
  const dir = mkdtempSync(join(root, 'bin-'));
  const link = join(dir, 'supervisorctl');
  symlinkSync(self, link);
  const r = supctl('--dir', dir, '--remove');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a supervisorctl shim supctl made; left alone/);
  assert.equal(readlinkSync(link), self);
});
