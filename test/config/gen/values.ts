/**
 * Value generators for every supervisord key type: mostly values supervisor
 * accepts (in their odd spellings), plus values it rejects. Text, not models:
 * the config text is the ground truth both parsers read.
 */
import fc from 'fast-check';

export interface ValueGen {
  ok: fc.Arbitrary<string>;
  bad: fc.Arbitrary<string>;
}

const c = (...xs: string[]): fc.Arbitrary<string> => fc.constantFrom(...xs);

/** Concatenation of 1..max pieces. */
export const cat = (pieces: fc.Arbitrary<string>, max: number, min = 1): fc.Arbitrary<string> =>
  fc.array(pieces, { minLength: min, maxLength: max }).map((a) => a.join(''));

/** Whitespace Python's str.strip()/isspace() and JS's trim()//\s/ disagree on. */
export const ODD_SPACE = ['\u00a0', '\u3000', '\x1f', '\x1c', '\u0085', '\ufeff', '\u2028', '\x0b'];

/** Expansions valid in every program key (keys read before the per-process loop). */
const PRE = [
  '%(program_name)s',
  '%(group_name)s',
  '%(host_node_name)s',
  '%(here)s',
  '%(ENV_HOME)s',
  '%(ENV_W)s',
];
/** Valid only inside the per-process loop (command, logfiles, directory, environment ...). */
const LOOP = [
  '%(process_num)d',
  '%(process_num)02d',
  '%(process_num)s',
  '%(numprocs)d',
  '%(process_num)x',
  '%(process_num)-3d|',
  '%(ENV_PE)s',
];
/** Always an error (or an error where the name is not available). */
const BAD_FMT = ['%', '%(', '%(program_name)', '%(program_name)q', '%s', '%(nope)s', '%(ENV_ZZ)s'];

export const bool: ValueGen = {
  ok: c('true', 'false', 'yes', 'no', 'on', 'off', '1', '0', 'TRUE', 'False', 'On', '%(ENV_B)s'),
  bad: c('', 'maybe', '2', 'tru', 'y', 'true false', '%(process_num)d', '%(ENV_ZZ)s'),
};

export const int: ValueGen = {
  ok: c('0', '1', '3', '10', '-1', '+5', '007', '1_0', '99999999999', '\u0663', '%(ENV_N)s', '2'),
  bad: c('', 'x', '1.5', '0x10', '1e3', '5 5', '%(process_num)d', '_1', '1__0'),
};

export const bytes: ValueGen = {
  ok: c('50MB', '0', '1KB', '10kb', '1gb', '1024', '5 MB', '-1MB', '%(ENV_N)sMB', '2Mb'),
  bad: c('', 'MB', '1.5MB', '1TB', '1 M', 'x', '1KiB'),
};

export const octal: ValueGen = {
  ok: c('022', '0', '777', '0o22', '002', '-7', '0_22', '%(ENV_N)s', '7'),
  bad: c('8', '9', '', 'x', '0x1', '0o8'),
};

export const signal: ValueGen = {
  ok: c(
    'TERM',
    'SIGTERM',
    'term',
    'sigkill',
    'KILL',
    'HUP',
    'INT',
    'QUIT',
    'USR1',
    'usr2',
    '9',
    '15',
    '0',
    'RTMIN',
    'SIGRTMAX',
    'IOT',
    'CLD',
    'POLL',
    'SIG_IGN',
    'SIG_DFL',
    '_DFL',
    'Sigterm',
    '34',
    '64',
    '%(ENV_SIG)s',
    'WINCH',
  ),
  bad: c('', 'BOGUS', 'RTMIN+1', '35', '99', '-1', 'SIG', 'term2', '1.0', '32'),
};

export const autorestart: ValueGen = {
  ok: c('true', 'false', 'unexpected', 'UNEXPECTED', 'Unexpected', 'yes', '0', 'on', '%(ENV_B)s'),
  bad: c('', 'always', 'never', 'un expected', '%(ENV_ZZ)s'),
};

export const exitcodes: ValueGen = {
  ok: c('0', '0,2', '0, 2 ,3', '255', '1,1', '', '1_0', '\u0663'),
  bad: c('256', '-1', '0,', 'a', '1;2', '2.0', ',0'),
};

const path = c(
  '/var/log/%(program_name)s.log',
  '/tmp/%(program_name)s_%(process_num)02d.log',
  '/dev/stdout',
  '/dev/fd/1',
  'relative.log',
  '~/x.log',
  '~root/x.log',
  '%(here)s/log/x.log',
  '/tmp/100%%%%.log',
  '%(ENV_P)s/out.log',
  '/tmp/%(group_name)s-%(host_node_name)s.log',
  '/tmp/a b.log',
  '/t\u00e9st/\u65e5.log',
);

export const logfile: ValueGen = {
  ok: fc.oneof(c('AUTO', 'auto', 'NONE', 'none', 'OFF', 'off', 'syslog', 'Syslog', ''), path),
  bad: c('/tmp/100%%.log', '%(nope)s.log', '/tmp/%(process_num)q', '%(ENV_PCT)s'),
};

export const dirPath: ValueGen = {
  ok: c(
    '/srv/app',
    '%(here)s',
    '%(here)s/sub',
    '/tmp/%(program_name)s_%(process_num)d',
    '~/app',
    'relative',
    '',
    '/a b/c',
    '%(ENV_P)s',
    '/x%%y',
    '/x/%s',
  ),
  bad: c('%(nope)s', '%', '/x%y'),
};

/** Pieces of environment= values; non-POSIX shlex with quotes stripped. */
const envKey = c('A', 'B_2', 'PATH', 'lower', 'x.y', 'a-b', 'K:1', 'HOME', 'PE', 'W');
const envVal = c(
  'v',
  '"quoted value"',
  "'single'",
  '"a,b"',
  '"x=y"',
  '/usr/bin:/bin',
  '%(process_num)d',
  '%(program_name)s',
  '%(ENV_HOME)s',
  '%(here)s',
  '""',
  '1.5',
  '-x',
  '\u00e9',
  '%%',
  'a"b c"',
  "'it''s'",
  '%(ENV_PE)s',
  'null',
);
const envSep = c(',', ',', ',', ', ', ' , ', ',\n  ', ',\n\n  ');
const envPair = fc.tuple(envKey, c('=', '=', ' = ', '='), envVal).map((t) => t.join(''));

export const environment: ValueGen = {
  ok: fc
    .tuple(fc.array(envPair, { minLength: 0, maxLength: 4 }), envSep, fc.boolean())
    .map(([pairs, sep, trailing]) => pairs.join(sep) + (trailing && pairs.length ? ',' : '')),
  bad: fc.oneof(
    c('A', 'A=', 'A=1 B=2', 'A=1,,B=2', 'x@y=1', 'A=x@y', 'A="open', 'A=a#b', "A='x", '=1'),
    cat(c('A', '=', '"', "'", ',', ' ', 'x', '#', '@', '\\', '/', '.', '\u00e9', '%%', '\t'), 8),
  ),
};

/** [supervisord] environment= is expanded twice: %% fails, %%%% gives %. */
export const mainEnvironment: ValueGen = {
  ok: fc.oneof(
    c(
      'TZ="UTC"',
      'APP_ENV="production",TZ=UTC',
      'PE=main,W="w w"',
      'HN="%%(host_node_name)s"',
      'PCTV="100%%%%"',
      'HOMEDIR=%(ENV_HOME)s',
      'HERE=%(here)s',
      '',
    ),
  ),
  bad: c('A=1 B=2', 'P="100%%"', 'X=%(host_node_name)s', 'Y=%(process_num)d', 'Z=a@b'),
};

const cmdPiece = c(
  '/usr/bin/app',
  ' run',
  ' --flag',
  ' -x',
  ' arg',
  ' 42',
  ' a=b',
  ' x:y',
  'bash -c ',
  ' "two words"',
  " 'single q'",
  ' "esc \\" q"',
  ' "nested \'q\'"',
  ' ""',
  ' ;inline',
  ';glued',
  ' #hash',
  'a#b',
  ' \\ ',
  ' $HOME',
  ' ${X}',
  ' *',
  ' ~',
  ' &&',
  ' |',
  '\t',
  '  ',
  '\n  ',
  '\n\n  ',
  '\n; comment line',
  ' %%',
  ' \u00e9\u65e5',
  ' "daemon off;"',
  ' __NOT_A_PLACEHOLDER__',
);
const cmdExp = c(...PRE, ...LOOP, ' %(ENV_Q)s', '%(program_name)r');

export const command: ValueGen = {
  ok: cat(fc.oneof({ arbitrary: cmdPiece, weight: 4 }, { arbitrary: cmdExp, weight: 1 }), 7),
  bad: fc.oneof(
    c(...BAD_FMT, ' "unclosed', " 'unclosed"),
    cat(fc.oneof(cmdPiece, c(...BAD_FMT)), 4),
  ),
};

export const processName: ValueGen = {
  ok: c(
    '%(program_name)s',
    '%(program_name)s_%(process_num)02d',
    '%(program_name)s-%(process_num)d',
    'p%(process_num)s',
    'fixed',
    '%(group_name)s_%(process_num)d',
    '%(host_node_name)s%(process_num)d',
    '\u00fc%(process_num)x',
    '%%(process_num)d',
    '',
    '%(ENV_W)s%(process_num)d',
    ' padded%(process_num)d ',
  ),
  bad: c('a b', 'a:b', 'x/y', '%(process_num)', '%(process_num)q', '%(nope)s'),
};

export const numprocs: ValueGen = {
  ok: c('1', '1', '2', '3', '0', '%(ENV_N)s', '-1', '02'),
  bad: c('x', '', '1.0'),
};

export const numprocsStart: ValueGen = {
  ok: c('0', '1', '5', '-2', '8000', '%(ENV_N)s'),
  bad: c('x', ''),
};

export const user: ValueGen = {
  ok: c('root', 'nobody', '1000', 'www-data', '%(program_name)s', '%(ENV_USER)s', '', ' \u00fc '),
  bad: c('%(process_num)d', '%(nope)s'),
};

export const serverurl: ValueGen = {
  ok: c(
    'AUTO',
    'auto',
    'Auto',
    'unix:///tmp/supervisor.sock',
    'http://127.0.0.1:9001',
    '',
    '%(program_name)s',
    'whatever',
  ),
  bad: c('%(nope)s', '%(process_num)d'),
};

export const socket: ValueGen = {
  ok: c(
    'unix:///tmp/%(program_name)s.sock',
    'unix:///tmp/x.sock',
    'unix:////tmp//x/../y.sock',
    'unix:///tmp/./a/',
    'tcp://127.0.0.1:9000',
    'tcp://LOCALHOST:80',
    'tcp://h:\uff11\uff12',
    'unix:///%(ENV_HOME)s/x',
    'tcp://h:0080',
    'unix:///tmp/%s',
  ),
  bad: c(
    '',
    'unix://rel.sock',
    'tcp://h:0',
    'tcp://h:70000',
    'tcp://:80',
    'tcp://h:x',
    'udp://h:1',
    '%(process_num)d',
    'tcp://[::1]:90',
  ),
};

export const socketOwner: ValueGen = {
  ok: c('www-data', 'www-data:www-data', '1000:1000', '%(program_name)s'),
  bad: c('%(nope)s', '%(process_num)d'),
};

export const socketBacklog: ValueGen = {
  ok: c('1', '128', '65535'),
  bad: c('0', '65536', 'x', '', '-1'),
};

const EVENTS = [
  'PROCESS_STATE',
  'PROCESS_STATE_EXITED',
  'process_state_fatal',
  'TICK_5',
  'TICK_60',
  'Tick_3600',
  'PROCESS_LOG',
  'PROCESS_LOG_STDERR',
  'PROCESS_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE_RUNNING',
  'PROCESS_GROUP_ADDED',
  'REMOTE_COMMUNICATION',
  'EVENT',
];

export const events: ValueGen = {
  ok: fc
    .tuple(fc.subarray(EVENTS, { minLength: 1, maxLength: 3 }), c(',', ', ', ' ,', ',\n  '))
    .map(([names, sep]) => names.join(sep)),
  bad: c('BOGUS', '', 'PROCESS_STATE,,TICK_5', 'TICK_5 TICK_60', 'TICK_5\n  TICK_60', '__doc__'),
};

export const bufferSize: ValueGen = {
  ok: c('1', '10', '100', '%(ENV_N)s'),
  bad: c('0', '-1', 'x', ''),
};

export const resultHandler: ValueGen = {
  ok: c(
    'supervisor.dispatchers:default_handler',
    'mypkg.listener:handle',
    'mod',
    'a.b:c.d',
    ' m : f ',
    'mod:attr [extra]',
    '%(ENV_HOME)s',
  ),
  bad: c('', 'a b', 'mod:', 'm-od:x', '%(program_name)s:run'),
};

export const loglevel: ValueGen = {
  ok: c('info', 'debug', 'warn', 'trace', 'critical', 'error', 'blather', 'INFO', 'Warn'),
  bad: c('bogus', '', 'warning', 'notice'),
};

export const inetPort: ValueGen = {
  ok: c('9001', '127.0.0.1:9001', '*:9001', ':9001', 'localhost:65535', 'HOST:1', 'a:b:9'),
  bad: c('', '0', '70000', 'host:', 'x', '%(here)s'),
};

export const freeText: ValueGen = {
  ok: c('x', 'some text', '', '\u00e9', '%(here)s', '%%', 'a;b', 'a ;b'),
  bad: c('%', '%(nope)s'),
};

export const rpcFactory: ValueGen = {
  ok: c('supervisor.rpcinterface:make_main_rpcinterface', 'my.rpc:make'),
  bad: c('', 'not a spec', 'x:'),
};

export const programNames = [
  'web',
  'worker',
  'cron',
  'api_1',
  'Web',
  'caf\u00e9',
  ' spaced ',
  'x.y',
  'dup',
  '',
];
export const badProgramNames = ['a b', 'a:b', 'a/b'];
