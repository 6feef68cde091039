/** [include] refuses a FIFO or a device: reading one would block forever or never end. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-include-special-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function setup(name: string, files: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'conf.d'), { recursive: true });
  writeFileSync(join(d, 'conf.d', 'a.conf'), '[program:a]\ncommand=/bin/a\n');
  const main = join(d, 'supervisord.conf');
  writeFileSync(main, `[supervisord]\n\n[include]\nfiles = ${files}\n`);
  return main;
}

function rejects(main: string, kind: string, special: string): void {
  assert.throws(
    () => loadConfig(main, { env: {}, hostNodeName: 'h' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.code, 'E_INCLUDE');
      assert.equal(e.file, main);
      assert.equal(e.line, 4);
      assert.ok(!e.message.includes('\n'), 'one line');
      assert.ok(e.message.startsWith(`${main}:4: [include] files: `), e.message);
      assert.ok(e.message.includes(`${special}, which is ${kind}`), e.message);
      return true;
    },
  );
}

test('a FIFO matched by [include] is a ConfigError at the include line, not a hang', () => {
  const main = setup('fifo', 'conf.d/*');
  const fifo = join(dir, 'fifo', 'conf.d', 'b.conf');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // a hang would time out the test; a child keeps the runner safe either way
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { loadConfig } from ${JSON.stringify(new URL('../../src/config/load.ts', import.meta.url).href)};
       try { loadConfig(${JSON.stringify(main)}, { env: {}, hostNodeName: 'h' }); console.log('read'); }
       catch (e) { console.log(e.code); }`,
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  assert.equal(r.signal, null, 'loadConfig hung on the FIFO');
  assert.equal(r.stdout.trim(), 'E_INCLUDE', r.stderr);
  rejects(main, 'a FIFO', fifo);
});

test('a character device (/dev/zero, which never ends) is refused, also through a symlink', () => {
  const main = setup('dev', 'conf.d/*.conf');
  const link = join(dir, 'dev', 'conf.d', 'zero.conf');
  symlinkSync('/dev/zero', link);
  rejects(main, 'a character device', link);
});

test('regular files and directories matched by [include] are read and skipped as before', () => {
  const main = setup('dir', 'conf.d/*');
  mkdirSync(join(dir, 'dir', 'conf.d', 'sub'));
  const d = loadConfig(main, { env: {}, hostNodeName: 'h' });
  assert.deepEqual(
    d.groups.map((g) => g.name),
    ['a'],
  );
});
