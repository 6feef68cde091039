/**
 * Every error class under src/ is in errors.ts's table; each one a user can
 * cause prints one line (no stack) and exits with its documented status,
 * through the CLI's own mapping and, for the common ones, through bin/supctl.
 */
import { MigrateError } from '../../src/control/migrate/errors.ts';
import { RpcFault } from '../../src/serve/faults.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_RULES, EXIT, exitCodeFor, messageFor, UsageError } from '../../src/cli/errors.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { DatatypeError } from '../../src/config/datatypes.ts';
import { PyFormatError } from '../../src/config/pyformat.ts';
import { PyValueError } from '../../src/config/pyprim.ts';
import { ShlexError } from '../../src/config/shlex.ts';
import { BackendError } from '../../src/control/types.ts';
import { ComposeError } from '../../src/emit/compose/index.ts';
import { KubernetesError } from '../../src/emit/kubernetes/index.ts';
import { UnitSyntaxError } from '../../src/emit/systemd/escape.ts';
import { UnsafePathError } from '../../src/emit/write.ts';
import { allManifests, readManifest } from '../../src/control/systemd/manifest.ts';
import { XmlRpcError, XmlRpcFault } from '../../src/xmlrpc/types.ts';

/** `class X extends Error` in every .ts file under src/. */
function errorClassesInSource(dir = 'src'): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...errorClassesInSource(p));
    else if (p.endsWith('.ts')) {
      for (const m of readFileSync(p, 'utf8').matchAll(
        /^(?:export )?class (\w+) extends Error\b/gm,
      )) {
        out.push(m[1]!);
      }
    }
  }
  return out.sort();
}

/** One instance of each class, and the status README documents for it (null: a bug, 70). */
const SAMPLES: Record<string, [Error, number | null]> = {
  ConfigError: [
    new ConfigError('E_VALUE', 'not a boolean', { file: 'a.conf', line: 3, key: 'autostart' }),
    EXIT.config,
  ],
  UsageError: [new UsageError('--set x: expected KEY=VALUE'), EXIT.config],
  ComposeError: [new ComposeError('E_IMAGE', 'no image for program "web"'), EXIT.config],
  KubernetesError: [
    new KubernetesError('E_NAME', 'web_a, web-a would all be named web-a'),
    EXIT.config,
  ],
  UnitSyntaxError: [new UnitSyntaxError('path "/a\\u0001" holds control characters'), EXIT.config],
  UnsafePathError: [new UnsafePathError('refusing to write "../x": outside out'), EXIT.failure],
  BackendError: [new BackendError('FAILED', 'cannot read the manifest m.json'), 1],
  ShlexError: [new ShlexError('No closing quotation'), null],
  PyFormatError: [new PyFormatError('key', "'x'", 'x'), null],
  PyValueError: [new PyValueError('bad'), null],
  DatatypeError: [new DatatypeError('bad'), null],
  XmlRpcError: [new XmlRpcError('PARSE', 'not XML'), null],
  XmlRpcFault: [new XmlRpcFault(10, 'BAD_NAME: web'), null],
  RpcFault: [new RpcFault('BAD_NAME', 'web'), null],
  MigrateError: [new MigrateError('migrate web: step checked failed: not installed: web'), 1],
};

function assertOneLine(msg: string, what: string): void {
  assert.doesNotMatch(msg, /\n/, `${what}: one line`);
  assert.doesNotMatch(msg, /^\s+at /m, `${what}: no stack`);
  assert.doesNotMatch(msg, /internal error/, `${what}: not reported as a bug`);
}

test('every error class under src/ is in the CLI table, and has a sample here', () => {
  const classes = errorClassesInSource();
  assert.ok(classes.length >= 10, classes.join(', '));
  assert.deepEqual(classes, Object.keys(ERROR_RULES).sort(), 'src/cli/errors.ts ERROR_RULES');
  assert.deepEqual(classes, Object.keys(SAMPLES).sort(), 'SAMPLES in this test');
});

test('each user error: one line, no stack, its documented exit status; bugs exit 70', () => {
  for (const [name, [err, code]] of Object.entries(SAMPLES)) {
    assert.equal(err.constructor.name, name);
    if (code === null) {
      assert.equal(ERROR_RULES[name], 'INTERNAL', name);
      assert.equal(exitCodeFor(err), EXIT.internal, name);
      continue;
    }
    assertOneLine(messageFor(err), name);
    assert.ok(messageFor(err).includes(err.message), name);
    assert.equal(exitCodeFor(err), code, name);
  }
  // every BackendError code: one line; unreachable is supervisorctl's 4, the rest 1
  for (const c of [
    'UNREACHABLE',
    'DENIED',
    'TIMEOUT',
    'NOT_FOUND',
    'CONFLICT',
    'FAILED',
  ] as const) {
    const e = new BackendError(c, `the ${c} case`);
    assertOneLine(messageFor(e), c);
    assert.equal(exitCodeFor(e), c === 'UNREACHABLE' ? 4 : 1, c);
  }
  // a file system refusal writing --out is the environment, not a bug
  const fs = Object.assign(new Error('EACCES: permission denied, open out/x'), {
    code: 'EACCES',
    syscall: 'open',
  });
  assertOneLine(messageFor(fs), 'EACCES');
  assert.equal(exitCodeFor(fs), EXIT.failure);
  // a real bug keeps its stack
  assert.match(
    messageFor(new TypeError('x is undefined')),
    /^internal error: TypeError.*\n\s+at /s,
  );
  assert.equal(exitCodeFor(new TypeError('x')), EXIT.internal);
});

test('a corrupt systemd manifest is one line and exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-err-'));
  mkdirSync(join(dir, '.supctl'), { recursive: true });
  const err = (() => {
    writeFileSync(join(dir, '.supctl', 'p.json'), '{ not json');
    try {
      readManifest(dir, 'p');
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(err instanceof BackendError, String(err));
  assertOneLine(messageFor(err), 'readManifest');
  assert.equal(exitCodeFor(err), 1);
});

test('a corrupt manifest among all projects is one line too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-err-'));
  mkdirSync(join(dir, '.supctl'), { recursive: true });
  writeFileSync(join(dir, '.supctl', 'p.json'), '{ not json');
  let err: unknown = null;
  try {
    allManifests(dir);
  } catch (e) {
    err = e;
  }
  assert.equal(exitCodeFor(err), 1);
});

function supctl(...args: string[]): { err: string; code: number | null } {
  const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });
  return { err: r.stderr, code: r.status };
}

test('through bin/supctl: the errors a user meets first are one line with their status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-err-'));
  const ok = join(dir, 'app.conf');
  writeFileSync(ok, '[program:web]\ncommand=/bin/true\n');
  const ctrl = join(dir, 'ctrl.conf');
  writeFileSync(ctrl, '[program:web]\ncommand=/bin/true\ndirectory=/tmp/a\u0001b\n');
  const bad = join(dir, 'bad.conf');
  writeFileSync(bad, '[program:web]\ncommand=/bin/true\nautostart=maybe\n');
  const out = join(dir, 'out');
  const cases: [string[], number, RegExp][] = [
    [['parse', bad], 2, /bad\.conf:3: \[program:web\] autostart: /],
    [['convert', ok, '--to', 'compose', '--out', out], 2, /needs --image IMAGE/],
    [['convert', ok, '--to', 'compose', '--image', 'nope=x', '--out', out], 2, /no program "nope"/],
    [['convert', ctrl, '--to', 'systemd', '--out', out], 2, /change it in the config/],
    [['convert', ok, '--to', 'nomad', '--out', out], 2, /Invalid values: .*see supctl --help/],
    [['status', '--frobnicate'], 2, /Unknown argument/],
    [['parse', ok, '--set', 'novalue'], 2, /--set novalue: expected KEY=VALUE/],
    [['status', '--backend', 'docker'], 4, /cannot reach the Docker daemon/],
    [['uninstall'], 2, /uninstall needs --name PROJECT/],
  ];
  for (const [args, code, line] of cases) {
    const r = supctl(...args);
    const what = `supctl ${args.join(' ')}`;
    assert.equal(r.code, code, `${what}: ${r.err}`);
    const lines = r.err.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${what}: ${r.err}`);
    assert.match(lines[0]!, /^supctl: /, what);
    assert.match(r.err, line, what);
    assert.doesNotMatch(r.err, /^\s+at |internal error/m, what);
  }
});
