/**
 * A new backend or target is a folder plus one registration line: a
 * test-only backend and a test-only target, registered through the
 * registries' own functions, run `status` and `convert` through the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { registerBackend } from '../../src/control/backends.ts';
import { registerTarget } from '../../src/emit/targets.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-reg-'));
const OPENED = join(dir, 'opened.json');

/** supctl with the test registrations (fixtures/supctl-registered.ts), in its own process. */
function supctl(
  args: string[],
  env: Record<string, string> = {},
): { out: string; err: string; code: number | null } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'test/cli/fixtures/supctl-registered.ts', ...args],
    { encoding: 'utf8', env: { ...process.env, SUPCTL_TEST_OPENED: OPENED, ...env } },
  );
  return { out: r.stdout, err: r.stderr, code: r.status };
}

const opened = (): unknown => JSON.parse(readFileSync(OPENED, 'utf8'));

test('status runs on a backend registered by a test, with its own option and environment', () => {
  const r = supctl(['status', '--backend', 'testbackend', '--colour', 'red', '--name', 'p'], {
    SUPCTL_TEST_COLOUR: 'blue',
  });
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /^g:a {30}STOPPED {3}Not started$/m);
  assert.match(r.out, /^web {30}RUNNING/m);
  assert.deepEqual(opened(), {
    project: 'p',
    options: { colour: 'red' },
    env: { SUPCTL_TEST_COLOUR: 'blue' },
  });
  // its option may also come before the verb; SUPCTL_BACKEND names it as well
  const before = supctl(['--colour', 'green', 'pid', 'web'], { SUPCTL_BACKEND: 'testbackend' });
  assert.equal(before.code, 0, before.err);
  assert.equal(before.out, '100\n');
  assert.deepEqual(opened(), { options: { colour: 'green' }, env: {} });
  // and --help lists it
  assert.match(supctl(['status', '--help']).out, /testbackend: a colour/);
});

test('convert writes through a target registered by a test, with its own option', () => {
  const conf = join(dir, 'demo.conf');
  writeFileSync(conf, '[program:web]\ncommand=/bin/true\n[program:api]\ncommand=/bin/true\n');
  const out = join(dir, 'out');
  const r = supctl(['convert', conf, '--to', 'testtarget', '--out', out, '--flavour', 'hot']);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(join(out, 'demo.txt'), 'utf8'), 'flavour=hot\napi\nweb\n');
  // its default applies when the option is not given
  const d = supctl(['convert', conf, '--to', 'testtarget', '--out', out, '--name', 'x']);
  assert.equal(d.code, 0, d.err);
  assert.equal(readFileSync(join(out, 'x.txt'), 'utf8'), 'flavour=plain\napi\nweb\n');
  assert.match(supctl(['convert', '--help']).out, /"testtarget"/);
});

test('the registries refuse a name registered twice', () => {
  assert.throws(() =>
    registerBackend({
      name: 'systemd',
      describe: '',
      options: {},
      env: {},
      load: () => import('./fixtures/test-backend/index.ts'),
    }),
  );
  assert.throws(() =>
    registerTarget({
      name: 'compose',
      describe: '',
      options: {},
      load: () => import('./fixtures/test-target/index.ts'),
    }),
  );
});
