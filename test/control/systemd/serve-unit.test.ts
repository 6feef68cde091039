import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnitSyntaxError } from '../../../src/emit/systemd/escape.ts';
import { serveUnitName, serveUnitText } from '../../../src/control/systemd/serve-unit.ts';
import { HEADER_MARK } from '../../../src/emit/systemd/unit-files.ts';

const spec = {
  project: 'demo',
  scope: 'user' as const,
  argv: [
    '/usr/bin/node',
    '/opt/sup ctl/bin/supctl',
    'serve',
    '--backend=systemd',
    '--configuration=/etc/my "apps"/100%/$HOME/a\\b.conf',
  ],
  env: { XDG_RUNTIME_DIR: '/run/user/0', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/x y/bus%' },
};

const line = (text: string, key: string): string[] =>
  text.split('\n').filter((l) => l.startsWith(`${key}=`));

test('the unit name keeps a project with a dash apart from its programs', () => {
  assert.equal(serveUnitName('demo'), 'demo-supctl-serve.service');
  assert.equal(serveUnitName('a-b'), 'a\\x2db-supctl-serve.service');
});

test('ExecStart quotes every word: spaces, quotes, % and $ and backslashes survive', () => {
  const text = serveUnitText(spec);
  assert.deepEqual(line(text, 'ExecStart'), [
    'ExecStart="/usr/bin/node" "/opt/sup ctl/bin/supctl" "serve" "--backend=systemd" ' +
      '"--configuration=/etc/my \\"apps\\"/100%%/$$HOME/a\\\\b.conf"',
  ]);
});

test('Environment= lines are quoted, % escaped, sorted by name', () => {
  assert.deepEqual(line(serveUnitText(spec), 'Environment'), [
    'Environment="DBUS_SESSION_BUS_ADDRESS=unix:path=/run/x y/bus%%"',
    'Environment="XDG_RUNTIME_DIR=/run/user/0"',
  ]);
});

test('the header marks it as supctl-written (remove deletes only such files); install target per scope', () => {
  const text = serveUnitText(spec);
  assert.ok(text.split('\n')[0]!.includes(HEADER_MARK));
  assert.deepEqual(line(text, 'WantedBy'), ['WantedBy=default.target']);
  assert.deepEqual(line(serveUnitText({ ...spec, scope: 'system' }), 'WantedBy'), [
    'WantedBy=multi-user.target',
  ]);
});

test('a project name with a line break stays on its line in Description=', () => {
  const text = serveUnitText({ ...spec, project: 'x\ny' });
  assert.deepEqual(line(text, 'Description'), ['Description=supctl serve for project "x\\ny"']);
});

test('a line break in an argument is C-escaped inside its quotes, never a raw line', () => {
  const text = serveUnitText({ ...spec, argv: ['/usr/bin/node', 'a\nb'] });
  assert.deepEqual(line(text, 'ExecStart'), ['ExecStart="/usr/bin/node" "a\\nb"']);
  assert.throws(
    () => serveUnitText({ ...spec, argv: [] }),
    (e: unknown) => e instanceof UnitSyntaxError,
  );
});
