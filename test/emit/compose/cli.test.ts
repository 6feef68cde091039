/** `supctl convert --to compose` through the CLI entry point (src/cli/main.ts). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const REPO = resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'supctl-cli-compose-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function supctl(args: string[]) {
  const code = `const { main } = await import(${JSON.stringify(join(REPO, 'src/cli/main.ts'))}); await main(['node', 'supctl', ...JSON.parse(process.env.ARGS)]);`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, ARGS: JSON.stringify(args) },
  });
}

void test('BK-LOG with --env-file: compose.yaml, .env and 0600 env files, report on stderr', () => {
  const out = join(tmp, 'bklog');
  const r = supctl([
    'convert',
    'examples/bklog/supervisord.conf.tmpl',
    '--values',
    'examples/bklog.values',
    '--to',
    'compose',
    '--out',
    out,
    '--image',
    'reg/bklog:1',
    '--env-file',
    '--name',
    'bk',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\d+ exact, \d+ approximated, \d+ not translatable/);
  assert.match(readFileSync(join(out, '.env'), 'utf8'), /^COMPOSE_PROJECT_NAME=bk$/m);
  assert.equal(statSync(join(out, 'bklog_uwsgi.env')).mode & 0o777, 0o600);
  assert.match(readFileSync(join(out, 'bklog_uwsgi.env'), 'utf8'), /^BK_ENV='production'$/m);
  assert.match(
    readFileSync(join(out, 'compose.yaml'), 'utf8'),
    /env_file:\n\s+- "bklog_uwsgi.env"/,
  );
});

void test('--strict fails on APPROX/NONE and writes nothing; unknown --image program is a usage error', () => {
  const out = join(tmp, 'strict');
  const r = supctl([
    'convert',
    'examples/bklog/supervisord.conf.tmpl',
    '--values',
    'examples/bklog.values',
    '--to',
    'compose',
    '--out',
    out,
    '--image',
    'x',
    '--strict',
  ]);
  assert.equal(r.status, 1);
  assert.throws(() => statSync(join(out, 'compose.yaml')));
  const bad = supctl([
    'convert',
    'examples/bklog/supervisord.conf.tmpl',
    '--values',
    'examples/bklog.values',
    '--to',
    'compose',
    '--out',
    out,
    '--image',
    'nope=x',
  ]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no program "nope"/);
});
