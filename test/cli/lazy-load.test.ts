import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HEAVY = /node_modules\/(@jellybrick\/dbus-next|dockerode|docker-modem|ssh2)\//;

function loadedBy(args: string[]): { urls: string[]; status: number | null; stdout: string } {
  const log = join(mkdtempSync(join(tmpdir(), 'supctl-load-')), 'urls.txt');
  writeFileSync(log, '');
  const r = spawnSync(
    process.execPath,
    ['--import', './test/cli/load-hook.mjs', 'bin/supctl', ...args],
    {
      env: { ...process.env, SUPCTL_LOAD_LOG: log },
      encoding: 'utf8',
    },
  );
  return {
    urls: readFileSync(log, 'utf8').split('\n').filter(Boolean),
    status: r.status,
    stdout: r.stdout,
  };
}

test("--help, --version and every verb's --help load neither D-Bus nor Docker code", () => {
  for (const args of [
    ['--help'],
    ['--version'],
    ['status', '--help'],
    ['start', '--help'],
    ['tail', '--help'],
    ['apply', '--help'],
    ['sandbox', '--help'],
    ['parse', '--help'],
    ['convert', '--help'],
  ]) {
    const { urls, status, stdout } = loadedBy(args);
    assert.equal(status, 0, `supctl ${args.join(' ')} exit status`);
    assert.ok(stdout.length > 0, 'printed something');
    // the hook must really see the CLI's own modules, else the check below proves nothing
    assert.ok(
      urls.some((u) => u.endsWith('/dist/main.js')),
      `hook saw dist/main.js: ${urls.join(', ')}`,
    );
    const heavy = urls.filter((u) => HEAVY.test(u));
    assert.deepEqual(heavy, [], `supctl ${args.join(' ')} loaded heavy modules`);
  }
});

test('the bundle keeps D-Bus and Docker out of the entry chunk', () => {
  const meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as {
    outputs: Record<
      string,
      { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }
    >;
  };
  const main = meta.outputs['dist/main.js'];
  assert.ok(main, 'dist/main.js in the metafile');
  const staticImports = main.imports
    .filter((i) => i.kind === 'import-statement')
    .map((i) => i.path);
  for (const p of staticImports) assert.doesNotMatch(p, /dbus|dockerode/, `static import ${p}`);
  for (const input of Object.keys(main.inputs)) assert.doesNotMatch(input, HEAVY);
});

test('the XML-RPC code (the supervisord backend) loads only with that backend', () => {
  const meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as {
    outputs: Record<
      string,
      { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }
    >;
  };
  // every chunk dist/main.js loads before a verb runs: its static imports, transitively
  const eager = new Set<string>();
  const todo = ['dist/main.js'];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    const out = meta.outputs[f];
    if (eager.has(f) || out === undefined) continue;
    eager.add(f);
    for (const i of out.imports) if (i.kind === 'import-statement') todo.push(i.path);
  }
  const xmlrpc = (f: string) =>
    Object.keys(meta.outputs[f]!.inputs).some((i) => i.startsWith('src/xmlrpc/'));
  assert.ok(Object.keys(meta.outputs).some(xmlrpc), 'some chunk holds src/xmlrpc');
  assert.deepEqual([...eager].filter(xmlrpc), [], 'chunks loaded by every run');
});

test('--version prints the package version', () => {
  const r = spawnSync(process.execPath, ['bin/supctl', '--version'], { encoding: 'utf8' });
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.equal(r.stdout.trim(), pkg.version);
});

test('supctl with no verb and no terminal prints usage and exits 2 without loading a backend', () => {
  const { urls, status } = loadedBy([]);
  assert.equal(status, 2);
  assert.deepEqual(
    urls.filter((u) => HEAVY.test(u)),
    [],
  );
});

test('sandbox env loads no backend and prints export lines', () => {
  const { urls, status, stdout } = loadedBy(['sandbox', 'env', '--id', 'lazytest']);
  assert.equal(status, 0);
  assert.match(
    stdout,
    /^export DBUS_SESSION_BUS_ADDRESS='unix:path=\/run\/supctl-sb-lazytest\/user\/bus'$/m,
  );
  assert.deepEqual(
    urls.filter((u) => HEAVY.test(u)),
    [],
  );
});
