/** [include], conf.d fragments, %(here)s and templates across files (each checked against supervisor 4.2.5). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { ENV, HOST, load, loadError, tmpConfig } from './tmpconf.ts';

const commands = (d: ReturnType<typeof load>['d']): Record<string, string> =>
  Object.fromEntries(d.groups.flatMap((g) => g.processes.map((p) => [p.name, p.command])));

test('[include] files: globs relative to the main file, sorted per pattern, %(here)s per file', () => {
  const { dir, d } = load({
    'main.conf':
      '[supervisord]\n[include]\nfiles=b/*.conf a/*.conf %(host_node_name)s.ini\n[program:m]\ncommand=%(here)s/m\n',
    'a/2.conf': '[program:a2]\ncommand=%(here)s/a2\n',
    'a/1.conf': '[program:a1]\ncommand=%(here)s/a1\n[program:m]\nautostart=false\n',
    'a/.hidden.conf': '[program:hidden]\ncommand=x\n',
    'b/z.conf': '[program:bz]\ncommand=%(here)s/bz\n',
    'node1.ini': '[program:host]\ncommand=/h\n',
  });
  assert.deepEqual(d.files, [
    join(dir, 'main.conf'),
    join(dir, 'b/z.conf'),
    join(dir, 'a/1.conf'),
    join(dir, 'a/2.conf'),
    join(dir, 'node1.ini'),
  ]);
  assert.deepEqual(commands(d), {
    a1: join(dir, 'a/a1'),
    a2: join(dir, 'a/a2'),
    bz: join(dir, 'b/bz'),
    host: '/h',
    m: join(dir, 'm'),
  });
  // a later file extends a section of the main file
  assert.equal(d.groups.find((g) => g.name === 'm')?.processes[0]?.autostart, false);
});

test('[include]: a pattern matching nothing is a warning, not an error', () => {
  const { dir, d } = load({ 'main.conf': '[supervisord]\n[include]\nfiles=conf.d/*.conf\n' });
  assert.deepEqual(d.groups, []);
  assert.equal(
    d.warnings?.[0]?.message,
    `No file matches via include "${join(dir, 'conf.d/*.conf')}"`,
  );
  assert.equal(d.warnings?.[0]?.origin?.line, 3);
});

test('[include] without files is an error at the section header', () => {
  const { dir, err } = loadError({ 'main.conf': '[supervisord]\n\n[include]\nfoo=bar\n' });
  assert.equal(err.code, 'E_INCLUDE');
  assert.equal(err.file, join(dir, 'main.conf'));
  assert.equal(err.line, 3);
  assert.equal(err.section, 'include');
});

test('[include] files expands ENV_X and host_node_name; a matched directory is skipped', () => {
  const { d } = load(
    {
      'main.conf': '[supervisord]\n[include]\nfiles=%(ENV_CONFD)s/* \n',
      'conf.d/x.conf': '[program:x]\ncommand=/x\n',
      'conf.d/dir/y.conf': '[program:y]\ncommand=/y\n',
    },
    { env: { CONFD: 'conf.d' } },
  );
  assert.deepEqual(Object.keys(commands(d)), ['x']);
});

test('[include] glob: [seq] and ? as Python fnmatch', () => {
  const { d } = load({
    'main.conf': '[supervisord]\n[include]\nfiles=conf.d/[ab]?.conf\n',
    'conf.d/a1.conf': '[program:a1]\ncommand=/a1\n',
    'conf.d/b2.conf': '[program:b2]\ncommand=/b2\n',
    'conf.d/c3.conf': '[program:c3]\ncommand=/c3\n',
  });
  assert.deepEqual(Object.keys(commands(d)).sort(), ['a1', 'b2']);
});

test('an [include] inside an included file is not followed', () => {
  const { d } = load({
    'main.conf': '[supervisord]\n[include]\nfiles=one.conf\n',
    'one.conf': '[include]\nfiles=two.conf\n',
    'two.conf': '[program:two]\ncommand=/2\n',
  });
  assert.deepEqual(d.groups, []);
});

test("[DEFAULT] values with %(here)s take the directory of each section's file", () => {
  const { dir, d } = load({
    'main.conf':
      '[DEFAULT]\ndirectory=%(here)s/def\n[supervisord]\n[include]\nfiles=sub/*.conf\n[program:m]\ncommand=/m\n',
    'sub/s.conf': '[program:s]\ncommand=/s\n',
  });
  const dirs = Object.fromEntries(d.groups.map((g) => [g.name, g.processes[0]?.directory]));
  assert.deepEqual(dirs, { m: join(dir, 'def'), s: join(dir, 'sub/def') });
});

test('an error in an included file names that file and line', () => {
  const { dir, err } = loadError({
    'main.conf': '[supervisord]\n[include]\nfiles=conf.d/*.conf\n',
    'conf.d/bad.conf': '\n[program:bad]\ncommand=/b\nstartsecs=soon\n',
  });
  assert.equal(err.file, join(dir, 'conf.d/bad.conf'));
  assert.equal(err.line, 4);
  assert.equal(err.section, 'program:bad');
  assert.equal(err.key, 'startsecs');
});

test('a file without [supervisord] is a conf.d fragment: %(here)s is its directory', () => {
  const dir = tmpConfig({
    'conf.d/app.conf': '[program:app]\ncommand=%(here)s/run\n[include]\nfiles=ignored\n',
  });
  const d = loadConfig(join(dir, 'conf.d/app.conf'), { env: ENV, hostNodeName: HOST });
  assert.equal(d.fragment, true);
  assert.equal(d.configFile, join(dir, 'conf.d/app.conf'));
  assert.deepEqual(d.files, [join(dir, 'conf.d/app.conf')]);
  assert.equal(d.groups[0]?.processes[0]?.command, join(dir, 'conf.d/run'));
  assert.equal(d.supervisord.umask, 0o22, 'an empty [supervisord] holds the defaults');
});

test('a missing or unreadable main file is E_READ', () => {
  const dir = tmpConfig({});
  assert.throws(
    () => loadConfig(join(dir, 'nope.conf')),
    (err: unknown) => err instanceof Error && 'code' in err && err.code === 'E_READ',
  );
  assert.throws(
    () => loadConfig(dir),
    (err: unknown) => err instanceof Error && 'code' in err && err.code === 'E_READ',
  );
});

test('templates: with values, the main file and included files are rendered before parsing', () => {
  const { d } = load(
    {
      'main.conf':
        '[supervisord]\n[include]\nfiles=__CONFD__/*.conf\n[program: {{.app}}_web]\ncommand=/bin/{{ .app }}\n',
      'conf.d/x.conf': '[program:x]\ncommand=__BK_HOME__/x\n',
    },
    { values: { app: 'bk', CONFD: 'conf.d', __BK_HOME__: '/data' } },
  );
  assert.deepEqual(commands(d), { bk_web: '/bin/bk', x: '/data/x' });
});

test('templates: an unfilled placeholder in an included file names that file and line', () => {
  const { dir, err } = loadError(
    {
      'main.conf': '[supervisord]\n[include]\nfiles=x.conf\n',
      'x.conf': '[program:x]\ncommand={{.cmd}}\n',
    },
    { values: { other: '1' } },
  );
  assert.equal(err.code, 'E_TEMPLATE');
  assert.equal(err.file, join(dir, 'x.conf'));
  assert.equal(err.line, 2);
});

test('templates: without values a file is read verbatim, as supervisord reads it', () => {
  const { d } = load({
    'main.conf': '[supervisord]\n[program:x]\ncommand=/bin/x __NOT_A_PLACEHOLDER__ {{.y}}\n',
  });
  assert.equal(d.groups[0]?.processes[0]?.command, '/bin/x __NOT_A_PLACEHOLDER__ {{.y}}');
  assert.match(d.warnings?.[0]?.message ?? '', /\{\{\.y\}\} is read literally/);
});
