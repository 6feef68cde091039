import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  advertPaths,
  readAdvert,
  removeAdvert,
  stackKey,
  writeAdvert,
} from '../../../src/control/serve-client/advert.ts';
import { processesFromServe } from '../../../src/control/serve-client/client.ts';

test('one stack, one path; another project, scope or bus, another path', () => {
  const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/a', XDG_RUNTIME_DIR: '/run/x' };
  const k = stackKey('systemd', 'user', 'app', env)!;
  const p = advertPaths(k, env);
  assert.deepEqual(
    advertPaths(stackKey('systemd', undefined, 'app', { ...env, SUPCTL_SCOPE: 'user' })!, env),
    p,
  );
  assert.notEqual(advertPaths({ ...k, project: 'other' }, env).file, p.file);
  assert.notEqual(advertPaths({ ...k, scope: 'system' }, env).file, p.file);
  assert.notEqual(
    advertPaths(k, { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/b' }).file,
    p.file,
  );
  assert.equal(stackKey('systemd', 'user', undefined, env), null);
});

test('an advert of a dead pid is ignored; garbage is ignored; remove only removes our own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-advert-'));
  const file = join(dir, 'x.json');
  writeAdvert(file, { pid: process.pid, socket: '/nowhere.sock' });
  assert.deepEqual(readAdvert(file), { pid: process.pid, socket: '/nowhere.sock' });
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  const deadPid = Number(dead.stdout);
  removeAdvert(file, { pid: deadPid, socket: '/nowhere.sock' });
  assert.notEqual(readAdvert(file), null, 'another pid did not remove ours');
  writeAdvert(file, { pid: deadPid, socket: '/nowhere.sock' });
  assert.equal(readAdvert(file), null);
  writeFileSync(file, '{not json');
  assert.equal(readAdvert(file), null);
});

test('no serve on the socket: null (the caller asks the backend)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-advert-'));
  assert.equal(await processesFromServe(join(dir, 'none.sock')), null);
});
