/**
 * The stack lookup's systemd side: projects applied from one config file
 * in both scopes (temp unit dirs with manifests), and which scopes a
 * caller reaches (root: the system scope, plus the user manager when its
 * bus is there; others: their own first, then the system's).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stackScopes, systemdProjects } from '../../../src/control/stack/find.ts';
import { MANIFEST_DIR } from '../../../src/control/systemd/manifest.ts';

const root = mkdtempSync(path.join(tmpdir(), 'supctl-find-'));
const conf = path.join(root, 'app.conf');
writeFileSync(conf, '[program:web]\ncommand=/bin/true\n');

function manifest(unitDir: string, project: string, configFile: string): void {
  mkdirSync(path.join(unitDir, MANIFEST_DIR), { recursive: true });
  const m = {
    version: 1,
    project,
    scope: 'user',
    configFile,
    processes: [],
    files: [],
    groups: {},
  };
  writeFileSync(path.join(unitDir, MANIFEST_DIR, `${project}.json`), JSON.stringify(m));
}

test('projects of one file in both scopes; another file, an empty dir ignored', () => {
  const user = path.join(root, 'user');
  const system = path.join(root, 'system');
  manifest(user, 'app-user', conf);
  manifest(system, 'app-sys', path.join(root, '.', 'app.conf'));
  manifest(system, 'other', path.join(root, 'other.conf'));
  const found = systemdProjects(conf, [
    { scope: 'user', unitDir: user },
    { scope: 'system', unitDir: system },
    { scope: 'system', unitDir: path.join(root, 'none') },
  ]);
  assert.deepEqual(found, [
    { scope: 'user', project: 'app-user' },
    { scope: 'system', project: 'app-sys' },
  ]);
});

test('scopes: explicit or SUPCTL_SCOPE one; a named unit dir one; else every reachable one', () => {
  const never = () => false;
  const scopesOf = (r: ReturnType<typeof stackScopes>) => r.map((s) => s.scope);
  assert.deepEqual(scopesOf(stackScopes('user', {}, 0, never)), ['user']);
  assert.deepEqual(scopesOf(stackScopes(undefined, { SUPCTL_SCOPE: 'system' }, 1000, never)), [
    'system',
  ]);
  const one = stackScopes(undefined, { SUPCTL_SYSTEMD_UNIT_DIR: '/tmp/u' }, 1000, never);
  assert.deepEqual(one, [{ scope: 'user', unitDir: '/tmp/u' }]);
  // non-root: its own manager first, then the system's unit dir
  assert.deepEqual(scopesOf(stackScopes(undefined, {}, 1000, never)), ['user', 'system']);
  // root: the system scope; the user manager only when its bus is there
  assert.deepEqual(scopesOf(stackScopes(undefined, {}, 0, never)), ['system']);
  const env = { XDG_RUNTIME_DIR: '/run/user/0' };
  const seen: string[] = [];
  const exists = (p: string) => (seen.push(p), true);
  assert.deepEqual(scopesOf(stackScopes(undefined, env, 0, exists)), ['system', 'user']);
  assert.deepEqual(seen, ['/run/user/0/bus']);
  const bus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/x/bus,guid=1' };
  const asked: string[] = [];
  stackScopes(undefined, bus, 0, (p) => (asked.push(p), true));
  assert.deepEqual(asked, ['/run/x/bus']);
});
