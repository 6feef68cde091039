/** toParseJson: exactly the shape of shared/reference/parse-json.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from './tmpconf.ts';

const PROCESS_FIELDS = [
  'name',
  'command',
  'argv',
  'directory',
  'umask',
  'priority',
  'autostart',
  'autorestart',
  'exitcodes',
  'startsecs',
  'startretries',
  'stopwaitsecs',
  'stopsignal',
  'stopasgroup',
  'killasgroup',
  'user',
  'redirect_stderr',
  'stdout_logfile',
  'stderr_logfile',
  'stdout_logfile_maxbytes',
  'stderr_logfile_maxbytes',
  'stdout_logfile_backups',
  'stderr_logfile_backups',
  'stdout_capture_maxbytes',
  'stderr_capture_maxbytes',
  'stdout_events_enabled',
  'stderr_events_enabled',
  'stdout_syslog',
  'stderr_syslog',
  'environment',
  'serverurl',
];

const CONFIG =
  '[supervisord]\nenvironment=G=1\n[program:p]\ncommand=/bin/p\n[fcgi-program:f]\ncommand=/bin/f\nsocket=tcp://h:9\n' +
  '[eventlistener:e]\ncommand=/bin/e\nevents=TICK_60,PROCESS_LOG\n[group:a_group]\n';

test('every process has every field, and nothing else', () => {
  const j = parseJson(CONFIG);
  for (const g of j.groups)
    for (const p of g.processes)
      assert.deepEqual(Object.keys(p).sort(), [...PROCESS_FIELDS].sort());
});

test('groups sorted by name with type; fcgi socket; eventlistener events, buffer_size, result_handler', () => {
  const j = parseJson(CONFIG);
  assert.deepEqual(
    j.groups.map((g) => Object.keys(g).sort()),
    [
      ['name', 'priority', 'processes', 'type'],
      ['buffer_size', 'events', 'name', 'priority', 'processes', 'result_handler', 'type'],
      ['name', 'priority', 'processes', 'socket', 'type'],
      ['name', 'priority', 'processes', 'type'],
    ],
  );
  assert.deepEqual(
    j.groups.map((g) => [g.name, g.type]),
    [
      ['a_group', 'program'],
      ['e', 'eventlistener'],
      ['f', 'fcgi-program'],
      ['p', 'program'],
    ],
  );
  assert.equal(j.groups[2]?.socket, 'tcp://h:9');
  assert.deepEqual(j.groups[1]?.events, ['PROCESS_LOG', 'TICK_60']);
  assert.equal(j.groups[1]?.buffer_size, 10);
  assert.equal(j.groups[1]?.result_handler, 'supervisor.dispatchers:default_handler');
  assert.deepEqual(j.groups[3]?.processes[0]?.environment, { G: '1' });
});

test('the JSON is plain data (JSON round trip changes nothing)', () => {
  const j = parseJson(CONFIG);
  assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
});
