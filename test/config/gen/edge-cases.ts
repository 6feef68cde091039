/**
 * Hand-picked corners of supervisor 4.2.5's reading, each once: the ones a
 * random sample may miss. They run in the differential test's oracle batch.
 * Every case is a main file (plus files it may include), env and host.
 */
import type { GeneratedCase, GeneratedFile } from './config.ts';

const S = '[supervisord]\n';
const prog = (body: string, name = 'a'): string => `[program:${name}]\ncommand=x\n${body}\n`;
const HOME = { HOME: '/home/u' };

function edge(
  text: string,
  files: GeneratedFile[] = [],
  env: Record<string, string> = HOME,
): GeneratedCase {
  return { files: [{ path: 'main.conf', text }, ...files], env, host: 'node1' };
}
const inc = (path: string, text: string): GeneratedFile => ({ path: `conf.d/${path}`, text });

/** INI dialect: comments, continuations, whitespace Python and JS disagree on, headers. */
const dialect = [
  prog('autostart=true\x1f'),
  prog('autostart=true\x1f;c'),
  prog('autostart=true\x85;c'),
  prog('autostart=true\ufeff;c'),
  prog('autostart=true\u3000;c'),
  '[program:a]\ncommand=x\n\u3000more\n',
  '[program:a]\ncommand=x\n\ufeffmore=1\n',
  '[program:a]b]c]\ncommand=x\n',
  '[program:a];c\ncommand=x\n',
  '[program:a] ]\ncommand=x\n',
  '[]\ncommand=x\n',
  'command : b = c\n',
  '[program:a]\ncommand=x\n  \u00a0;c\n  y\n',
  '[program:a]\ncommand=x\n  a\u3000;c\n  y\n',
  '[program:a]\n   command=x\n   autostart=false\n',
  '[program:a]\ncommand=\n\n  x\n',
  '[program:a]\ncommand=x\n  ; c\n\n  y\n',
  '[program:a]\ncommand=x\n  y\n   \n\t\n',
  '[program:a]\ncommand=x\n  [program:b]\n  command=y\n',
  '[program:a]\ncommand=x\n\x0cautostart=false\n',
  '[program:a]\ncommand=x\n\x1cautostart=false\n',
  '[program:a]\ncommand=x\n\u2028autostart=false\n',
  '[program:a]\ncommand=x\u2028y\x85z\x0cw\x1dv\n',
  '[program:a]\ncommand=x\nautostart\u00a0=false\n',
  '[program:a]\ncommand=a;b ;c #d\n',
  '[program:a]\ncommand=a#b #c;d\n',
  '[program:a]\ncommand= ;x\n',
  '[program:a]\ncommand=x\n[DEFAULT]\nautostart=false\n[DEFAULT]\nautostart=true\n',
  prog('\u212aillasgroup=true\nstopasgroup=true'),
  prog('\u0130=1'),
  '[program:a]\ncommand=x\n\rautostart=false\r',
].map((t) => edge(S + t));

/** %-expansion: Python's printf-style formatting with a mapping. */
const FORMATS = ['c', '#o', '#X', '-#010x', '5%', '%', 'ld', 'e', '.3g', 'f', '*d', '\u0663d'];
const FORMATS2 = [
  '.0s',
  '10.3s',
  '-10r',
  'a',
  '+.2e',
  '#g',
  ' d',
  '+d',
  '08.3d',
  'i',
  'u',
  'G',
  '%s',
];
const formats = [
  ...[...FORMATS, ...FORMATS2].map(
    (f) =>
      S + `[program:caf\u00e9]\ncommand=A%(process_num)${f}B|%(program_name)${f}|%(ENV_N)${f}\n`,
  ),
  ...[1114111, 1114112, 65, -1].map(
    (n) => `${S}[program:a]\ncommand=%(process_num)c\nnumprocs_start=${n}\n`,
  ),
  S + prog('directory=%%(here)s'),
  S + '[include]\nfiles=\n' + prog('directory=%%(here)s'),
  S + prog('stdout_logfile=/tmp/a%%%%b'),
  S + prog('stdout_logfile=/tmp/a%%b'),
  '[supervisord]\nenvironment=H="%%(host_node_name)s"\n' + prog(''),
  '[supervisord]\nenvironment=A="100%%%%"\n' + prog('command=%(ENV_A)s'),
  S +
    prog(
      'numprocs=2\nprocess_name=%(process_num)d\nenvironment=A="x%(process_num)d",B="%(ENV_A)s"',
    ),
  S + prog('numprocs=2\nprocess_name=%%(process_num)d'),
  S + prog('process_name=x%(process_num)\nnumprocs=1'),
  S + prog('priority=' + '1'.repeat(5000)),
  '[supervisord]\nenvironment=Y=2,X=9\n[program:a]\ncommand=%s\ndirectory=/%s\nstdout_logfile=/%s\nenvironment=Z=3,X=8\nnumprocs=2\nprocess_name=%(process_num)d\n',
  S + '[fcgi-program:f]\ncommand=x\nsocket=unix:///%s\n',
  S + '[group:g]\nprograms=a\n[program:a]\ncommand=%r\n',
].map((t) => edge(t, [], { HOME: '/home/u', N: '5', X: '1' }));

/** environment=: non-POSIX shlex, quotes stripped. */
const ENVS = [
  'A=\u00e9\u00e9',
  'A=x"y z"',
  "A='x'y",
  'A=1,B',
  'K:1=2',
  'A="a"b',
  'A=1\n  B=2',
  'A=1,\n  B=2',
  'A=a#b,B=1',
  'A=1,,B=2',
  'A=1,',
  'a.b=c+d',
  'A=(x)',
  'A="",B=\'\'',
  'A=x\\y',
  'A="x\\"y"',
  'A=1;B=2',
  'A = 1 , B = 2',
  'A=\x85x',
];
const environments = ENVS.map((e) => edge(S + prog(`environment=${e}`)));

/** Values: numbers, signals, logfiles, sockets, names. */
const values = [
  ...[
    '0',
    'POLL',
    'IOT',
    'CLD',
    'SIG_IGN',
    'SIG_DFL',
    '_DFL',
    'SIG_BLOCK',
    'RTMIN',
    '1_5',
    '\u0661\u0665',
    '\u017figterm',
    'sig\u0131o',
    '32',
  ].map((s) => S + prog(`stopsignal=${s}`)),
  ...['~nobody/x', '~root/x', '~nosuchuser/x', '~/x', '~', '~//x'].map(
    (l) => S + prog(`stdout_logfile=${l}`),
  ),
  S + prog('umask=0o22\nexitcodes=\u0663,1_0\npriority=\x1f5\nstdout_logfile_maxbytes=5 MB'),
  S + prog('stdout_logfile_maxbytes=\u0663MB\nstderr_logfile_maxbytes=1_0KB\nuser=0'),
  S + prog('serverurl= auto '),
  S + prog('serverurl='),
  S + prog('priority=99999999999999999999'),
  S + prog('directory=~/x'),
  S + '[fcgi-program:f]\ncommand=y\nsocket=unix:////tmp//a/../b.sock\n',
  S + '[fcgi-program:f]\ncommand=y\nsocket=unix:///tmp/./a/\n',
  S + '[fcgi-program:f]\ncommand=y\nsocket=tcp://h:1\n[group:g]\nprograms=f\n',
  S + '[eventlistener: x ]\ncommand=y\nevents=tick_5,PROCESS_STATE,EVENT,process_log_stdout\n',
  ...['mod:attr[x,y]', 'mod:attr [ x ]', 'mod:attr []', '1mod.x:a', 'a b', 'm-od:x'].map(
    (r) => `${S}[eventlistener:e]\ncommand=y\nevents=TICK_5\nresult_handler=${r}\n`,
  ),
  '[supervisord]\nloglevel=__module__\n',
  S + '[inet_http_server]\nport=a:b:9\n',
  S + '[unix_http_server]\nfile=/tmp/x\nchmod=0o777\nchown=nobody:nogroup\n',
  S + '[unix_http_serverX]\nfile=/tmp/x\nchmod=8\n',
  S + '[program:a]\ncommand=x\npriority=5\n[program:a ]\ncommand=y\npriority=1\n',
  S + '[program:\u{1F600}]\ncommand=x\n[program:\uff01]\ncommand=y\n[program:\u00e9]\ncommand=y\n',
  S + prog('', 'a') + '[group:a]\nprograms=a\n',
  S + prog('', 'a') + '[group:g]\nprograms=a,a\n',
  S + prog('numprocs=0') + '[group:g]\nprograms=a\n',
  S + '[program:a]\ncommand=/bin/x __NOT_A_PLACEHOLDER__ {{.x}}\n',
].map((t) => edge(t));

/** [DEFAULT], [include], %(here)s, fragments. */
const files = [
  edge(S + '[DEFAULT]\ndirectory=%(here)s/d\n[include]\nfiles=conf.d/*.conf\n' + prog(''), [
    inc('b.conf', prog('', 'b')),
  ]),
  edge(S + '[DEFAULT]\nfiles=conf.d/*.conf\n[include]\n', [inc('a.conf', prog(''))]),
  edge(S + '[DEFAULT]\nprograms=a\n[group:g]\n' + prog('')),
  edge(S + '[DEFAULT]\nenvironment=A=1\n' + prog('environment=B=2')),
  edge(S + '[DEFAULT]\nk=%(nope)s\n[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:b\n'),
  edge(S + '[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:b\nk=%(here)s\n'),
  edge(
    S + '[include]\nfiles=\n[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:b\nk=%(here)s\n',
  ),
  edge(S + '[include]\nfiles=conf.d/b.conf conf.d/*.conf\n', [
    inc('a.conf', prog('priority=3')),
    inc('b.conf', prog('priority=4\nautostart=false')),
  ]),
  edge(S + '[include]\nfiles=conf.d/a.conf\x1fconf.d/b.conf\n', [
    inc('a.conf', prog('', 'a')),
    inc('b.conf', prog('', 'b')),
  ]),
  edge(S + '[include]\nfiles=conf.d/a.conf\n', [inc('a.conf', '[program:a]\ngarbage\n')]),
  edge('[include]\nfiles=conf.d/*.conf\n' + prog(''), [inc('b.conf', S + prog('', 'b'))]),
  edge('[program:a]\ncommand=x\nstdout_logfile=%(ENV_P)s\n', [], { HOME: '/h', P: '%(here)s/l' }),
  edge('[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:b\nk=%(here)s\n'),
  edge('[DEFAULT]\nminfds=x\n' + prog('')),
  edge(' [supervisord]\n' + prog('')),
  edge(prog('') + '  [supervisord]\n'),
  edge('\ufeff' + S + prog('')),
  edge('[Supervisord]\n' + prog('')),
];

/** fnmatch bracket expressions and odd file names for [include] globs. */
const GLOB_NAMES = [
  'a.conf',
  'b.conf',
  '-.conf',
  ']x.conf',
  '!.conf',
  'e.conf',
  '[.conf',
  '.h.conf',
  'sub/d.conf',
];
const GLOBS = [
  '[a-]*',
  '[]a]*',
  '[!]]*',
  '[z-a]*',
  '[a-c-e]*',
  '[--0]*',
  '[!a-c]*',
  '[[]*',
  '[*',
  '*]*',
  '**',
  '.*',
  '[!]*',
  '[]*',
  '[]-a]*',
  '*/*.conf',
  '',
  '../conf.d/a.conf',
];
const globs = GLOBS.map((g) =>
  edge(
    `${S}[include]\nfiles=conf.d/${g}\n`,
    GLOB_NAMES.map((n, i) => inc(n, `[program:p${i}]\ncommand=x\n`)),
  ),
);

export const EDGE_CASES: GeneratedCase[] = [
  ...dialect,
  ...formats,
  ...environments,
  ...values,
  ...files,
  ...globs,
];
