/**
 * supervisor 4.2.5's value conversions (supervisor/datatypes.py and
 * ServerOptions.parse_fcgi_socket), minus everything that looks at the
 * machine: user and group names are returned, not resolved, and paths are
 * not checked. Each function takes the raw (already expanded) string and
 * returns the value or throws DatatypeError with supervisor's ValueError text.
 */
import type { AutoRestart } from '../model/process.ts';
import { pyNormpath } from './pypath.ts';
import { PyValueError, pyInt, pyRepr, pyStrip } from './pyprim.ts';
import { pyLower, pyUpper } from './pyunicode.ts';

/** supervisor's ValueError for a value; `message` is its text. */
export class DatatypeError extends Error {
  override readonly name = 'DatatypeError';
}

const reject = (message: string): never => {
  throw new DatatypeError(message);
};

/** Runs a Python int() conversion, turning its ValueError into a DatatypeError with the same text. */
function int(s: string, base: 8 | 10 = 10): bigint {
  try {
    return pyInt(s, base);
  } catch (err) {
    if (err instanceof PyValueError) return reject(err.message);
    throw err;
  }
}

const TRUTHY = new Set(['yes', 'true', 'on', '1']);
const FALSY = new Set(['no', 'false', 'off', '0']);

/** datatypes.boolean: yes/true/on/1 or no/false/off/0, any case, no surrounding space. */
export function boolean(s: string): boolean {
  const ss = pyLower(s);
  if (TRUTHY.has(ss)) return true;
  if (FALSY.has(ss)) return false;
  return reject(`not a valid boolean value: ${pyRepr(s)}`);
}

/**
 * datatypes.integer: Python int(s): surrounding whitespace, a sign, '_'
 * between digits and Unicode decimal digits are accepted. Values beyond
 * 2**53 lose precision in a JS number.
 */
export function integer(s: string): number {
  return Number(int(s));
}

/** datatypes.byte_size: an int with an optional KB/MB/GB suffix (×1024, any case). Beyond 2**53 it loses precision, as integer does. */
export function byteSize(s: string): number {
  const v = pyLower(s);
  const suffix = v.slice(-2);
  const mult =
    suffix === 'kb' ? 1024n : suffix === 'mb' ? 1024n ** 2n : suffix === 'gb' ? 1024n ** 3n : 1n;
  return Number(int(mult === 1n ? v : v.slice(0, -2)) * mult);
}

/** Attributes of Python's `signal` module whose name starts with SIG (Linux). */
const SIGNAL_ATTRS: Record<string, number> = {
  SIGABRT: 6,
  SIGALRM: 14,
  SIGBUS: 7,
  SIGCHLD: 17,
  SIGCLD: 17,
  SIGCONT: 18,
  SIGFPE: 8,
  SIGHUP: 1,
  SIGILL: 4,
  SIGINT: 2,
  SIGIO: 29,
  SIGIOT: 6,
  SIGKILL: 9,
  SIGPIPE: 13,
  SIGPOLL: 29,
  SIGPROF: 27,
  SIGPWR: 30,
  SIGQUIT: 3,
  SIGRTMAX: 64,
  SIGRTMIN: 34,
  SIGSEGV: 11,
  SIGSTKFLT: 16,
  SIGSTOP: 19,
  SIGSYS: 31,
  SIGTERM: 15,
  SIGTRAP: 5,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGVTALRM: 26,
  SIGWINCH: 28,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIG_BLOCK: 0,
  SIG_DFL: 0,
  SIG_IGN: 1,
  SIG_SETMASK: 2,
  SIG_UNBLOCK: 1,
};

/** supervisor.options.signame, without its 'SIG': the last SIG name for each number in the module's order. */
const SIGNAMES: Record<number, string> = {
  1: 'HUP',
  2: 'INT',
  3: 'QUIT',
  4: 'ILL',
  5: 'TRAP',
  6: 'ABRT',
  7: 'BUS',
  8: 'FPE',
  9: 'KILL',
  10: 'USR1',
  11: 'SEGV',
  12: 'USR2',
  13: 'PIPE',
  14: 'ALRM',
  15: 'TERM',
  16: 'STKFLT',
  17: 'CHLD',
  18: 'CONT',
  19: 'STOP',
  20: 'TSTP',
  21: 'TTIN',
  22: 'TTOU',
  23: 'URG',
  24: 'XCPU',
  25: 'XFSZ',
  26: 'VTALRM',
  27: 'PROF',
  28: 'WINCH',
  29: 'POLL',
  30: 'PWR',
  31: 'SYS',
  34: 'RTMIN',
  64: 'RTMAX',
};

const SIGNUMS = new Set(Object.values(SIGNAL_ATTRS));

interface SignalSpec {
  num: number;
  /** As supervisor's signame() prints it, without 'SIG' ('TERM'); 0 has no name: 'signal 0'. */
  name: string;
}

/**
 * datatypes.signal_number: an int, or a name with or without SIG in any
 * case; the number must be a value of Python's `signal` module (1-31, 34,
 * 64, and 0 through SIG_DFL/SIG_BLOCK).
 */
export function signalNumber(s: string): SignalSpec {
  let num: number | undefined;
  try {
    const n = pyInt(s);
    num = n >= 0n && n <= 64n ? Number(n) : -1;
  } catch (err) {
    if (!(err instanceof PyValueError)) throw err;
    let name = pyUpper(pyStrip(s));
    if (!name.startsWith('SIG')) name = 'SIG' + name;
    num = Object.prototype.hasOwnProperty.call(SIGNAL_ATTRS, name) ? SIGNAL_ATTRS[name] : undefined;
    if (num === undefined) return reject(`value ${pyRepr(s)} is not a valid signal name`);
  }
  if (!SIGNUMS.has(num)) return reject(`value ${pyRepr(s)} is not a valid signal number`);
  return { num, name: SIGNAMES[num] ?? `signal ${num}` };
}

/** datatypes.octal_type: Python int(s, 8) ('0o' prefix allowed). */
export function octalType(s: string): number {
  try {
    return Number(pyInt(s, 8));
  } catch (err) {
    if (err instanceof PyValueError) return reject(`${s} can not be converted to an octal type`);
    throw err;
  }
}

/** datatypes.list_of_exitcodes: comma-separated ints in 0..255; '' is the empty list. */
export function listOfExitcodes(s: string): number[] {
  if (!s) return [];
  try {
    return s.split(',').map((part) => {
      const v = pyInt(part);
      if (v < 0n || v > 255n) throw new PyValueError(`Invalid exit code "${v}"`);
      return Number(v);
    });
  } catch (err) {
    if (err instanceof PyValueError) return reject(`not a valid list of exit codes: ${pyRepr(s)}`);
    throw err;
  }
}

/** datatypes.auto_restart: true/yes/on/1 = always, false/no/off/0 = never, 'unexpected' (any case). */
export function autoRestart(s: string): AutoRestart {
  const v = pyLower(s);
  if (TRUTHY.has(v)) return 'true';
  if (FALSY.has(v)) return 'false';
  if (v === 'unexpected') return 'unexpected';
  return reject(`invalid 'autorestart' value ${pyRepr(v)}`);
}

const LEVELS: Record<string, number> = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
};

// logging_level looks the name up with getattr() on a class, so these
// attribute names are accepted too (they name no level).
const CLASS_ATTRS = new Set(
  (
    '__annotations__ __base__ __bases__ __basicsize__ __call__ __class__ __delattr__ __dict__ ' +
    '__dictoffset__ __dir__ __eq__ __flags__ __format__ __ge__ __getattribute__ __getstate__ ' +
    '__gt__ __hash__ __init__ __init_subclass__ __instancecheck__ __itemsize__ __le__ __lt__ ' +
    '__module__ __mro__ __name__ __ne__ __new__ __or__ __prepare__ __qualname__ __reduce__ ' +
    '__reduce_ex__ __repr__ __ror__ __setattr__ __sizeof__ __str__ __subclasscheck__ ' +
    '__subclasses__ __subclasshook__ __weakref__ __weakrefoffset__ mro'
  ).split(' '),
);

/** datatypes.logging_level: the level number, or null for the odd names supervisor also lets through. */
export function loggingLevel(s: string): number | null {
  const name = pyLower(s);
  if (Object.prototype.hasOwnProperty.call(LEVELS, name)) return LEVELS[name] ?? null;
  if (CLASS_ATTRS.has(name)) return null;
  return reject(`bad logging level name ${pyRepr(s)}`);
}

/**
 * datatypes.logfile_name: null for NONE/OFF, 'AUTO' for AUTO, 'syslog' for
 * SYSLOG (all any case), else the path as written (supervisor then runs
 * existing_dirpath on it: `~` expansion and a directory check, left to the
 * caller). A path can never be 'AUTO' or 'syslog' since those words are taken.
 */
export function logfileName(s: string): string | null {
  const v = pyLower(s);
  if (v === 'none' || v === 'off') return null;
  if (v === 'auto') return 'AUTO';
  if (v === 'syslog') return 'syslog';
  return s;
}

/** datatypes.process_or_group_name: stripped; no space, ':' or '/' inside. */
export function processOrGroupName(s: string): string {
  const name = pyStrip(s);
  for (const c of [' ', ':', '/']) {
    if (name.includes(c))
      return reject(`Invalid name: ${pyRepr(s)} because of character: ${pyRepr(c)}`);
  }
  return name;
}

/** datatypes.port_number: an int in 1..65535. */
function portNumber(s: string): number {
  const v = int(s);
  if (v < 1n) return reject(`${v} is below lower bound (1)`);
  if (v > 65535n) return reject(`${v} is above upper bound (65535)`);
  return Number(v);
}

/** datatypes.inet_address: '[host:]port'; host lower-cased, '' for none or '*'. */
export function inetAddress(s: string): { host: string; port: number } {
  const colon = s.lastIndexOf(':');
  let host = '';
  let port: number;
  if (colon >= 0) {
    const p = s.slice(colon + 1);
    if (!p) return reject(`no port number specified in ${pyRepr(p)}`);
    port = portNumber(p);
    host = pyLower(s.slice(0, colon));
  } else {
    try {
      port = portNumber(s);
    } catch (err) {
      if (err instanceof DatatypeError) return reject(`not a valid port number: ${pyRepr(s)} `);
      throw err;
    }
  }
  if (host === '*') host = '';
  return { host, port };
}

export type SocketSpec =
  | { kind: 'unix'; path: string; url: string }
  | { kind: 'tcp'; host: string; port: number; url: string };

/** Python's str() of a ValueError raised with two arguments: the tuple's repr. */
function tupleMessage(format: string, arg: string): string {
  return `(${pyRepr(format)}, ${pyRepr(arg)})`;
}

/**
 * ServerOptions.parse_fcgi_socket for `[fcgi-program:x] socket`:
 * `unix:///abs/path` (normalized) or `tcp://host:port`. `socket_owner` or
 * `socket_mode` set with a tcp socket is an error. Messages are supervisor's
 * (the caller appends " in [section] socket").
 */
export function fcgiSocket(
  s: string,
  opts: { ownerSet?: boolean; modeSet?: boolean } = {},
): SocketSpec {
  if (s.startsWith('unix://')) {
    const raw = s.slice(7);
    if (!raw.startsWith('/')) {
      return reject(tupleMessage('Unix socket path %s is not an absolute path', raw));
    }
    const path = pyNormpath(raw);
    return { kind: 'unix', path, url: `unix://${path}` };
  }
  if (opts.ownerSet || opts.modeSet) {
    return reject(
      'socket_owner and socket_mode params should only be used with a Unix domain socket',
    );
  }
  const tcp = parseTcp(s);
  if (tcp) {
    const host = pyLower(tcp.host);
    const port = portNumber(tcp.port);
    return { kind: 'tcp', host, port, url: `tcp://${host}:${port}` };
  }
  return reject(tupleMessage('Bad socket format %s', s));
}

/** `re.match(r'tcp://([^\s:]+):(\d+)$', s)` with Python's Unicode \s and \d. */
function parseTcp(s: string): { host: string; port: string } | null {
  const m = /^tcp:\/\/([^:]+):(\p{Nd}+)\n?$/u.exec(s);
  if (!m) return null;
  const host = m[1] ?? '';
  if (pyStrip(host) !== host || [...host].some((c) => pyStrip(c) === '')) return null;
  return { host, port: m[2] ?? '' };
}

/** datatypes.list_of_strings: comma-separated, each stripped; '' is the empty list. */
export function listOfStrings(s: string): string[] {
  if (!s) return [];
  return s.split(',').map(pyStrip);
}
