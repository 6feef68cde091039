/** [group:x], [eventlistener:x], [fcgi-program:x]: supervisor 4.2.5's rules (checked against its parser). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, parseJson, rejectText } from './tmpconf.ts';

test('groups are sorted by name; type, priority per group', () => {
  const g = parseJson(
    '[supervisord]\n[program:zeta]\ncommand=z\npriority=1\n[program:alpha]\ncommand=a\n' +
      '[eventlistener:mid]\ncommand=m\nevents=TICK_60\n',
  ).groups;
  assert.deepEqual(
    g.map((x) => [x.name, x.type, x.priority]),
    [
      ['alpha', 'program', 999],
      ['mid', 'eventlistener', -1],
      ['zeta', 'program', 1],
    ],
  );
});

test('[group:x]: members leave their own groups; processes in programs= order', () => {
  const { d } = load({
    'main.conf':
      '[supervisord]\n[program:a]\ncommand=/bin/a\n[program:b]\ncommand=/bin/b\nnumprocs=2\n' +
      'process_name=%(program_name)s%(process_num)d\n[program:c]\ncommand=/bin/c %(group_name)s\n' +
      '[group:g]\nprograms=b, a\npriority=5\n',
  });
  assert.deepEqual(
    d.groups.map((g) => g.name),
    ['c', 'g'],
  );
  const g = d.groups[1];
  assert.equal(g?.kind, 'program');
  assert.equal(g?.priority, 5);
  assert.deepEqual(
    g?.processes.map((p) => p.name),
    ['b0', 'b1', 'a'],
  );
  assert.deepEqual(
    g?.programs.map((p) => p.name),
    ['b', 'a'],
  );
  assert.equal(d.groups[0]?.processes[0]?.command, '/bin/c c');
});

test('[group:x]: group_name is the group; an empty or missing programs= is an empty group', () => {
  const g = parseJson(
    '[supervisord]\n[program:a]\ncommand=/bin/a %(group_name)s\n[group:g]\nprograms=a\n[group:e]\n',
  ).groups;
  assert.equal(g.find((x) => x.name === 'g')?.processes[0]?.command, '/bin/a g');
  assert.deepEqual(g.find((x) => x.name === 'e')?.processes, []);
});

test('[group:x]: an unknown member is an error at the programs line', () => {
  const err = rejectText(
    '[supervisord]\n[program:a]\ncommand=a\n[group:g]\npriority=1\nprograms=a,nope\n',
  );
  assert.equal(err.section, 'group:g');
  assert.equal(err.key, 'programs');
  assert.equal(err.line, 6);
  assert.match(err.why, /unknown program or fcgi-program nope/);
});

test('[group:x]: a name that is both a program and an fcgi-program is ambiguous', () => {
  const err = rejectText(
    '[supervisord]\n[program:a]\ncommand=a\n[fcgi-program:a]\ncommand=a\nsocket=tcp://h:1\n[group:g]\nprograms=a\n',
  );
  assert.match(err.why, /ambiguous/);
});

test('[group:x]: a member fcgi-program is a plain program (no socket, socket keys unchecked)', () => {
  const g = parseJson(
    '[supervisord]\n[fcgi-program:f]\ncommand=/bin/f\nsocket_mode=bad\n[group:g]\nprograms=f\n',
  ).groups;
  assert.equal(g.length, 1);
  assert.equal(g[0]?.type, 'program');
  assert.equal(g[0]?.socket, undefined);
});

test('[eventlistener:x]: priority -1, events upper-cased, unique, sorted; buffer_size, result_handler', () => {
  const g = parseJson(
    '[supervisord]\n[eventlistener:e]\ncommand=/bin/l\nevents=tick_5, process_state,TICK_5\nbuffer_size=3\n',
  ).groups[0];
  assert.equal(g?.type, 'eventlistener');
  assert.equal(g?.priority, -1);
  assert.equal(
    g?.processes[0]?.priority,
    999,
    'only the pool defaults to -1; its processes to 999',
  );
  assert.deepEqual(g?.events, ['PROCESS_STATE', 'TICK_5']);
  assert.equal(g?.buffer_size, 3);
  assert.equal(g?.result_handler, 'supervisor.dispatchers:default_handler');
});

test('[eventlistener:x]: the rules that reject', () => {
  const base = '[supervisord]\n[eventlistener:e]\ncommand=/bin/l\n';
  assert.match(rejectText(base).why, /requires an "events" line/);
  const unknown = rejectText(base + 'events=TICK_5,TICK_7\n');
  assert.equal(unknown.key, 'events');
  assert.match(unknown.why, /Unknown event type TICK_7/);
  assert.equal(rejectText(base + 'events=TICK_5\nbuffer_size=0\n').key, 'buffer_size');
  const redirect = rejectText(base + 'events=TICK_5\nredirect_stderr=true\n');
  assert.equal(redirect.key, 'redirect_stderr');
  assert.equal(redirect.line, 5);
  // result_handler is not imported, but its entry-point syntax is checked
  assert.equal(
    rejectText(base + 'events=TICK_5\nresult_handler=not valid\n').key,
    'result_handler',
  );
  const ok = parseJson(base + 'events=TICK_5\nresult_handler=my.mod:handler\n').groups[0];
  assert.equal(ok?.result_handler, 'my.mod:handler');
});

test('[fcgi-program:x]: socket URL normalized, %(program_name)s in socket, defaults', () => {
  const { d } = load({
    'main.conf':
      '[supervisord]\n[fcgi-program:f]\ncommand=/bin/f\nsocket=unix:///tmp/%(program_name)s/../f.sock\n' +
      '[fcgi-program:t]\ncommand=/bin/t\nsocket=tcp://LOCALHOST:9000\nsocket_backlog=10\n',
  });
  const f = d.groups.find((g) => g.name === 'f');
  const t = d.groups.find((g) => g.name === 't');
  assert.equal(f?.kind, 'fcgi-program');
  assert.equal(f?.socket, 'unix:///tmp/f.sock');
  assert.equal(f?.socket_mode, 0o700);
  assert.equal(f?.socket_backlog, null);
  assert.equal(t?.socket, 'tcp://localhost:9000');
  assert.equal(t?.socket_mode, null);
  assert.equal(t?.socket_backlog, 10);
});

test('[fcgi-program:x]: the rules that reject', () => {
  const base = '[supervisord]\n[fcgi-program:f]\ncommand=/bin/f\n';
  assert.match(rejectText(base).why, /requires a "socket" line/);
  assert.equal(rejectText(base + 'socket=tcp://h:1\nsocket_mode=0600\n').key, 'socket');
  assert.equal(rejectText(base + 'socket=unix://rel.sock\n').key, 'socket');
  assert.equal(rejectText(base + 'socket=tcp://h:70000\n').key, 'socket');
  assert.equal(rejectText(base + 'socket=udp://h:1\n').key, 'socket');
  assert.equal(rejectText(base + 'socket=tcp://h:1\nsocket_backlog=0\n').key, 'socket_backlog');
  assert.equal(rejectText(base + 'socket=unix:///s\nsocket_mode=9\n').key, 'socket_mode');
  // socket keys see program_name only in `socket`
  assert.equal(
    rejectText(base + 'socket=unix:///s\nsocket_owner=%(program_name)s\n').key,
    'socket_owner',
  );
});
