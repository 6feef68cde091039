/**
 * loadConfig: supervisor 4.2.5's rules, one assertion each. Every expected
 * value here was checked against supervisor's own parser (ServerOptions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { load, loadError, parseJson, rejectText } from './tmpconf.ts';

const proc = (text: string, group = 0, index = 0) => {
  const p = parseJson(text).groups[group]?.processes[index];
  assert.ok(p, 'expected a process');
  return p;
};

test('defaults of a [program:x] process', () => {
  const p = proc('[supervisord]\n[program:x]\ncommand=/bin/cat -n\n');
  assert.deepEqual(p, {
    name: 'x',
    command: '/bin/cat -n',
    argv: ['/bin/cat', '-n'],
    directory: null,
    umask: null,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    exitcodes: [0],
    startsecs: 1,
    startretries: 3,
    stopwaitsecs: 10,
    stopsignal: 'TERM',
    stopasgroup: false,
    killasgroup: false,
    user: null,
    redirect_stderr: false,
    stdout_logfile: 'AUTO',
    stderr_logfile: 'AUTO',
    stdout_logfile_maxbytes: 52428800,
    stderr_logfile_maxbytes: 52428800,
    stdout_logfile_backups: 10,
    stderr_logfile_backups: 10,
    stdout_capture_maxbytes: 0,
    stderr_capture_maxbytes: 0,
    stdout_events_enabled: false,
    stderr_events_enabled: false,
    stdout_syslog: false,
    stderr_syslog: false,
    environment: {},
    serverurl: 'AUTO',
  });
});

test('values are converted as supervisor does', () => {
  const p = proc(
    '[supervisord]\n[program:x]\ncommand=/bin/cat\numask=022\nautorestart=TRUE\nexitcodes=0, 2\n' +
      'stopsignal=sigquit\nstdout_logfile_maxbytes=1KB\nstderr_capture_maxbytes=2mb\nautostart=off\n' +
      'user=%(program_name)s\n',
  );
  assert.equal(p.umask, 18);
  assert.equal(p.autorestart, 'true');
  assert.deepEqual(p.exitcodes, [0, 2]);
  assert.equal(p.stopsignal, 'QUIT');
  assert.equal(p.stdout_logfile_maxbytes, 1024);
  assert.equal(p.stderr_capture_maxbytes, 2 * 1024 * 1024);
  assert.equal(p.autostart, false);
  assert.equal(p.user, 'x');
});

test('numprocs: names need %(process_num); processes sorted by name like supervisor', () => {
  const g = parseJson(
    '[supervisord]\n[program:w]\ncommand=/bin/w %(process_num)d\nnumprocs=12\nprocess_name=w_%(process_num)d\n',
  ).groups[0];
  assert.deepEqual(
    g?.processes.map((p) => p.name),
    ['w_0', 'w_1', 'w_10', 'w_11', 'w_2', 'w_3', 'w_4', 'w_5', 'w_6', 'w_7', 'w_8', 'w_9'],
  );
  assert.equal(g?.processes[2]?.command, '/bin/w 10');
  const err = rejectText('[supervisord]\n[program:w]\ncommand=/bin/w\nnumprocs=2\n');
  assert.equal(err.key, 'numprocs');
  assert.equal(err.line, 4);
  assert.match(err.why, /%\(process_num\) must be present/);
});

test('numprocs above 1000 is refused (a supctl limit), naming file:line, section and key', () => {
  const conf = (n: number) =>
    `[supervisord]\n[program:w]\ncommand=/bin/w\nprocess_name=w%(process_num)d\nnumprocs=${n}\n`;
  assert.equal(parseJson(conf(1000)).groups[0]?.processes.length, 1000);
  const { dir, err } = loadError({ 'main.conf': conf(1001) });
  assert.equal(err.code, 'E_VALUE');
  assert.equal(err.message.split(': [')[0], `${join(dir, 'main.conf')}:5`);
  assert.equal(err.section, 'program:w');
  assert.equal(err.key, 'numprocs');
  assert.match(
    err.why,
    /numprocs=1001 is more than supctl's limit of 1000 .*supervisor itself sets none/,
  );
});

test('a malformed environment names the key and place, never the value (secrets)', () => {
  for (const [section, text] of [
    ['supervisord', '[supervisord]\nenvironment=DB_PASS=hunter2 x y\n'],
    ['program:a', '[supervisord]\n[program:a]\ncommand=/bin/a\nenvironment=TOKEN=hunter2 x y\n'],
  ] as const) {
    const err = rejectText(text);
    assert.equal(err.section, section);
    assert.equal(err.key, 'environment');
    assert.ok(err.line > 0);
    assert.doesNotMatch(err.message, /hunter2/);
    assert.match(err.why, /pair 2 is not KEY=VALUE \(after key (DB_PASS|TOKEN); value not shown\)/);
  }
});

test('numprocs_start shifts process_num; numprocs=0 is an empty group that needs no command', () => {
  const g = parseJson(
    '[supervisord]\n[program:w]\ncommand=/bin/w\nnumprocs=2\nnumprocs_start=5\nprocess_name=%(process_num)d\n' +
      '[program:none]\nnumprocs=0\n',
  ).groups;
  assert.deepEqual(
    g.find((x) => x.name === 'w')?.processes.map((p) => p.name),
    ['5', '6'],
  );
  assert.deepEqual(g.find((x) => x.name === 'none')?.processes, []);
});

test('a process_name is validated as written, before expansion', () => {
  const err = rejectText('[supervisord]\n[program:x]\ncommand=/bin/x\nprocess_name=a b\n');
  assert.equal(err.key, 'process_name');
  const p = parseJson('[supervisord]\n[program:x]\ncommand=/bin/x\nprocess_name=%(ENV_SP)s\n', {
    env: { SP: 'a b' },
  }).groups[0]?.processes[0];
  assert.equal(p?.name, 'a b');
});

test('program and group names are stripped; an eventlistener pool name is not', () => {
  const g = parseJson(
    '[supervisord]\n[program: sp ]\ncommand=/bin/cat %(group_name)s\n' +
      '[eventlistener: ev ]\ncommand=/bin/l %(program_name)s|%(group_name)s|\nevents=TICK_5\n',
  ).groups;
  assert.deepEqual(
    g.map((x) => x.name),
    [' ev ', 'sp'],
  );
  assert.equal(g[1]?.processes[0]?.command, '/bin/cat sp');
  assert.equal(g[0]?.processes[0]?.command, '/bin/l ev| ev |');
  assert.equal(rejectText('[supervisord]\n[program:a/b]\ncommand=x\n').line, 2);
});

test('priority is read first at group level: only here and ENV_X there', () => {
  const err = rejectText('[supervisord]\n[program:x]\ncommand=/bin/x\npriority=%(program_name)s\n');
  assert.equal(err.code, 'E_EXPAND');
  assert.equal(err.line, 4);
  assert.equal(err.key, 'priority');
  const g = parseJson('[supervisord]\n[program:x]\ncommand=x\npriority=%(ENV_N)s\n', {
    env: { N: '5' },
  });
  assert.equal(g.groups[0]?.priority, 5);
  assert.equal(g.groups[0]?.processes[0]?.priority, 5);
});

test('keys before the per-process loop have no process_num; keys inside have it', () => {
  assert.equal(
    rejectText('[supervisord]\n[program:x]\ncommand=x\nuser=%(process_num)d\n').key,
    'user',
  );
  assert.equal(
    rejectText('[supervisord]\n[program:x]\ncommand=x\nstartsecs=%(numprocs)d\n').key,
    'startsecs',
  );
  const p = proc(
    '[supervisord]\n[program:x]\ncommand=/bin/x %(process_num)d %(numprocs)d %(host_node_name)s %(group_name)s\n' +
      'directory=/srv/%(process_num)02d\nstdout_logfile=/l/%(program_name)s-%(process_num)d.log\n',
  );
  assert.equal(p.command, '/bin/x 0 1 node1 x');
  assert.equal(p.directory, '/srv/00');
  assert.equal(p.stdout_logfile, '/l/x-0.log');
});

test('ENV_X: supervisord environment (os.environ), [supervisord] environment, the program environment', () => {
  const p = proc(
    '[supervisord]\nenvironment=S=sup\n[program:x]\ncommand=/bin/x %(ENV_FOO)s %(ENV_S)s %(ENV_P)s\n' +
      'environment=P="prog %(ENV_S)s"\n',
  );
  assert.equal(p.command, '/bin/x bar sup prog sup');
  // The program's own environment is not visible before the loop.
  assert.equal(
    rejectText('[supervisord]\n[program:x]\ncommand=x\nenvironment=P=1\nuser=%(ENV_P)s\n').key,
    'user',
  );
  // os.environ comes from the options, not from this process.
  process.env['SUPCTL_TEST_ONLY_HERE'] = '1';
  assert.equal(
    rejectText('[supervisord]\n[program:x]\ncommand=%(ENV_SUPCTL_TEST_ONLY_HERE)s\n').key,
    'command',
  );
  delete process.env['SUPCTL_TEST_ONLY_HERE'];
});

test('environment: [supervisord] entries merged under the program, keys as written, program wins', () => {
  const p = proc(
    '[supervisord]\nenvironment=A=1,B=2\n[program:x]\ncommand=x\nenvironment=B=3,c_low="4,5"\n',
  );
  assert.deepEqual(p.environment, { A: '1', B: '3', c_low: '4,5' });
  assert.deepEqual(Object.keys(p.environment ?? {}), ['A', 'B', 'c_low']);
  assert.equal(
    rejectText('[supervisord]\n[program:x]\ncommand=x\nenvironment=A=x@y\n').key,
    'environment',
  );
});

test('[supervisord] environment is expanded twice (4.2.5): %% fails, %%(host_node_name)s works', () => {
  const err = rejectText('[supervisord]\nenvironment=A="100%%"\n');
  assert.equal(err.code, 'E_EXPAND');
  assert.equal(err.section, 'supervisord');
  assert.equal(err.key, 'environment');
  // host_node_name is only known to the second expansion.
  assert.equal(rejectText('[supervisord]\nenvironment=A=%(host_node_name)s\n').code, 'E_EXPAND');
  const p = proc('[supervisord]\nenvironment=A=%%(host_node_name)s\n[program:x]\ncommand=x\n');
  assert.deepEqual(p.environment, { A: 'node1' });
});

test('stdout_logfile/stderr_logfile are expanded twice: a literal % needs %%%%', () => {
  assert.equal(
    proc('[supervisord]\n[program:x]\ncommand=x\nstdout_logfile=/l/a%%%%.log\n').stdout_logfile,
    '/l/a%.log',
  );
  const err = rejectText('[supervisord]\n[program:x]\ncommand=x\nstdout_logfile=/l/a%%.log\n');
  assert.equal(err.key, 'stdout_logfile');
  assert.equal(err.line, 4);
});

test('logfiles: AUTO/NONE any case, ~ expanded, syslog becomes *_syslog, redirect_stderr drops stderr', () => {
  const p = proc(
    '[supervisord]\n[program:x]\ncommand=x\nstdout_logfile=auto\nstderr_logfile=None\n',
  );
  assert.equal(p.stdout_logfile, 'AUTO');
  assert.equal(p.stderr_logfile, null);
  assert.equal(
    proc('[supervisord]\n[program:x]\ncommand=x\nstdout_logfile=~/x.log\n').stdout_logfile,
    '/home/u/x.log',
  );
  const { d } = load({
    'main.conf': '[supervisord]\n[program:x]\ncommand=x\nstdout_logfile=SYSLOG\n',
  });
  const s = d.groups[0]?.processes[0];
  assert.equal(s?.stdout_logfile, null);
  assert.equal(s?.stdout_syslog, true);
  assert.ok(d.warnings?.some((w) => /deprecated/.test(w.message)));
  const r = proc(
    '[supervisord]\n[program:x]\ncommand=x\nredirect_stderr=true\nstderr_logfile=/l/e.log\n',
  );
  assert.equal(r.stderr_logfile, null);
  assert.equal(r.redirect_stderr, true);
});

test('stopasgroup implies killasgroup; stopasgroup=true with killasgroup=false is an error', () => {
  const p = proc('[supervisord]\n[program:x]\ncommand=x\nstopasgroup=true\n');
  assert.equal(p.killasgroup, true);
  const err = rejectText(
    '[supervisord]\n[program:x]\ncommand=x\nstopasgroup=true\nkillasgroup=false\n',
  );
  assert.equal(err.key, 'killasgroup');
  assert.equal(err.line, 5);
});

test('serverurl: unset and AUTO (any case, spaces) are "AUTO"; a URL is kept', () => {
  assert.equal(proc('[supervisord]\n[program:x]\ncommand=x\nserverurl= auto \n').serverurl, 'AUTO');
  assert.equal(
    proc('[supervisord]\n[program:x]\ncommand=x\nserverurl=http://h:1\n').serverurl,
    'http://h:1',
  );
});

test('a command that shlex cannot split is accepted (supervisor fails at spawn): argv null', () => {
  const { d } = load({ 'main.conf': '[supervisord]\n[program:x]\ncommand=echo "unclosed\n' });
  assert.equal(d.groups[0]?.processes[0]?.argvError, 'No closing quotation');
  assert.equal(
    parseJson('[supervisord]\n[program:x]\ncommand=echo "unclosed\n').groups[0]?.processes[0]?.argv,
    null,
  );
});

test('a program without command is rejected at its section header', () => {
  const err = rejectText('[supervisord]\n\n[program:x]\nautostart=true\n');
  assert.equal(err.section, 'program:x');
  assert.equal(err.line, 3);
  assert.match(err.why, /does not specify a command/);
});

test('errors name file, line, section and key', () => {
  const { dir, err } = loadError({
    'main.conf': '[supervisord]\n[program:web]\ncommand=x\nautostart=maybe\n',
  });
  assert.equal(err.code, 'E_VALUE');
  assert.equal(err.file, join(dir, 'main.conf'));
  assert.equal(err.line, 4);
  assert.equal(err.section, 'program:web');
  assert.equal(err.key, 'autostart');
  assert.match(
    err.message,
    /main\.conf:4: \[program:web\] autostart: not a valid boolean value: 'maybe'/,
  );
});

test('[supervisord] keys are checked as supervisor does (loglevel, logfile_maxbytes, minfds, umask, nodaemon)', () => {
  for (const [key, value] of [
    ['loglevel', 'loud'],
    ['logfile_maxbytes', '5XB'],
    ['logfile_backups', 'ten'],
    ['minfds', '1.5'],
    ['minprocs', ''],
    ['umask', '099'],
    ['nodaemon', 'perhaps'],
    ['silent', '2'],
    ['nocleanup', 'x'],
    ['strip_ansi', 'y'],
  ] as const) {
    const err = rejectText(`[supervisord]\n${key}=${value}\n`);
    assert.equal(err.key, key, key);
    assert.equal(err.line, 2, key);
  }
  const { d } = load({
    'main.conf':
      '[supervisord]\nuser=nobody\numask=027\nminfds=4096\nidentifier=me\nnodaemon=true\ndirectory=/nonexistent\nloglevel=WARN\n',
  });
  assert.equal(d.supervisord.user, 'nobody');
  assert.equal(d.supervisord.umask, 0o27);
  assert.equal(d.supervisord.minfds, 4096);
  assert.equal(d.supervisord.minprocs, 200);
  assert.equal(d.supervisord.identifier, 'me');
  assert.equal(d.supervisord.nodaemon, true);
  assert.equal(d.supervisord.directory, '/nonexistent', 'existence is not a parse check');
  assert.equal(d.supervisord.loglevel, 'warn');
  assert.equal(d.supervisord.origins['umask']?.line, 3);
});

test('[DEFAULT] values are the fallback of every section', () => {
  const p = proc('[DEFAULT]\nautostart=false\n[supervisord]\n[program:x]\ncommand=x\n');
  assert.equal(p.autostart, false);
  assert.equal(rejectText('[DEFAULT]\nminfds=many\n[supervisord]\n').key, 'minfds');
});

test('host_node_name comes from the options', () => {
  const p = parseJson('[supervisord]\n[program:x]\ncommand=%(host_node_name)s\n', {
    hostNodeName: 'h2',
  });
  assert.equal(p.groups[0]?.processes[0]?.command, 'h2');
});

test('every value remembers its origin; ProgramInfo.written lists the keys written', () => {
  const { dir, d } = load({
    'main.conf':
      '[supervisord]\n[program:w]\ncommand=/bin/w %(process_num)d\nnumprocs=2\nprocess_name=w%(process_num)d\n',
  });
  const g = d.groups[0];
  const p = g?.processes[1];
  assert.equal(p?.name, 'w1');
  assert.equal(p?.processNum, 1);
  assert.equal(p?.program, 'w');
  assert.deepEqual(p?.origins.command, {
    file: join(dir, 'main.conf'),
    line: 3,
    section: 'program:w',
    key: 'command',
  });
  assert.equal(p?.origins.argv?.line, 3);
  assert.equal(p?.origins.autostart, undefined, 'defaults have no origin');
  assert.deepEqual(g?.programs[0]?.written, ['command', 'numprocs', 'process_name']);
  assert.equal(p?.instance, '1');
  assert.equal(g?.programs[0]?.numprocs, 2);
  assert.equal(g?.origin.line, 2);
});
