/**
 * Python 3.11 `str % mapping` (printf-style formatting with a dict), the
 * operation behind supervisor's `%(name)s` expansion.
 */
import { pyAscii, pyRepr } from './pyprim.ts';

/** A value in the mapping: a Python str, or a Python int (a JS integer). */
export type PyValue = string | number;

/**
 * Python's exception from `s % mapping`. kind 'key' is a KeyError (`missing`
 * names the key; `message` is Python's `str(KeyError)`, the key's repr);
 * kind 'format' is any other error (ValueError, TypeError, OverflowError) and
 * `message` is Python's text.
 */
export class PyFormatError extends Error {
  override readonly name = 'PyFormatError';
  readonly kind: 'key' | 'format';
  readonly missing?: string;

  constructor(kind: 'key' | 'format', message: string, missing?: string) {
    super(message);
    this.kind = kind;
    if (missing !== undefined) this.missing = missing;
  }
}

const fail = (message: string): never => {
  throw new PyFormatError('format', message);
};

/** The mapping itself: what a conversion without `(name)` receives. */
interface DictArg {
  dict: Record<string, PyValue>;
}
type Arg = PyValue | DictArg;

interface Spec {
  ljust: boolean;
  sign: boolean;
  blank: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  prec: number;
  ch: string;
}

const PY_SSIZE_T_MAX = 2n ** 63n - 1n;
const INT_MAX = 2 ** 31 - 1;
/** Beyond this a width or precision cannot be honoured (V8's longest string is about 2**29). */
const MAX_PIECE = 2 ** 28;

function typeName(v: Arg): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return 'int';
  return 'dict';
}

function reprValue(v: Arg, ascii: boolean): string {
  if (typeof v === 'string') return ascii ? pyAscii(v) : pyRepr(v);
  if (typeof v === 'number') return intDigits(v);
  const parts = Object.keys(v.dict).map((k) => {
    const item = v.dict[k] ?? '';
    return `${reprValue(k, ascii)}: ${reprValue(item, ascii)}`;
  });
  return `{${parts.join(', ')}}`;
}

function intDigits(v: number): string {
  if (!Number.isInteger(v)) throw new RangeError(`pyFormat: ${v} is not a Python int`);
  return BigInt(v).toString();
}

/** Python would try to build a string this long and fail with MemoryError (whose str() is ''). */
function tooLong(n: number): void {
  if (n > MAX_PIECE) fail('');
}

/** Python `'%' + spec` for an int with one of d i u o x X. */
function formatInt(v: number, spec: Spec): string {
  tooLong(spec.prec);
  const big = BigInt(intDigits(v));
  const neg = big < 0n;
  const mag = neg ? -big : big;
  let digits: string;
  let prefix = '';
  if (spec.ch === 'o') {
    digits = mag.toString(8);
    if (spec.alt) prefix = '0o';
  } else if (spec.ch === 'x' || spec.ch === 'X') {
    digits = mag.toString(16);
    if (spec.alt) prefix = '0x';
  } else {
    digits = mag.toString();
  }
  if (spec.prec > digits.length) digits = digits.padStart(spec.prec, '0');
  const body = prefix + digits;
  return (neg ? '-' : '') + (spec.ch === 'X' ? body.toUpperCase() : body);
}

/** Rounds a digit string to `keep` digits, half to even (exact: the digits are an integer's). */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), carry: false };
  const head = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 0x30;
  const rest = digits.slice(keep + 1);
  const last = keep > 0 ? head.charCodeAt(keep - 1) - 0x30 : 0;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || last % 2 === 1));
  if (!up) return { digits: head, carry: false };
  const bumped = (BigInt(head === '' ? '0' : head) + 1n).toString();
  if (keep === 0 || bumped.length > keep) {
    return { digits: bumped.slice(0, Math.max(keep, 1)).padEnd(keep, '0'), carry: true };
  }
  return { digits: bumped.padStart(keep, '0'), carry: false };
}

/** `d` digits as scientific notation with `decimals` digits after the point (value = int `d`). */
function sciNotation(d: string, decimals: number, alt: boolean, upper: boolean): string {
  let exp = d.length - 1;
  const r = roundDigits(d, decimals + 1);
  if (r.carry) exp++;
  const mant = r.digits.slice(0, 1) + (decimals > 0 || alt ? '.' : '') + r.digits.slice(1);
  const e = `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return mant + e;
}

/** Python `'%' + spec` for an int with one of e E f F g G (the int is converted to float). */
function formatFloat(v: number, spec: Spec): string {
  tooLong(spec.prec);
  const big = BigInt(intDigits(v));
  const neg = big < 0n;
  const d = (neg ? -big : big).toString();
  const prec = spec.prec < 0 ? 6 : spec.prec;
  const upper = spec.ch === 'E' || spec.ch === 'F' || spec.ch === 'G';
  let out: string;
  if (spec.ch === 'f' || spec.ch === 'F') {
    out = d + (prec > 0 || spec.alt ? '.' : '') + '0'.repeat(prec);
  } else if (spec.ch === 'e' || spec.ch === 'E') {
    out = sciNotation(d, prec, spec.alt, upper);
  } else {
    const p = prec === 0 ? 1 : prec;
    if (d.length <= p) {
      // Fixed notation: an integer with p significant digits needs no rounding.
      out = d + (spec.alt ? '.' + '0'.repeat(p - d.length) : '');
    } else {
      out = sciNotation(d, p - 1, spec.alt, upper);
      if (!spec.alt) out = out.replace(/\.?0*(?=[eE])/, '');
    }
  }
  return (neg ? '-' : '') + out;
}

function formatChar(v: Arg): string {
  if (typeof v === 'string') {
    const cps = Array.from(v);
    if (cps.length !== 1) fail('%c requires int or char');
    return v;
  }
  if (typeof v === 'number') {
    intDigits(v);
    if (v < 0 || v > 0x10ffff) fail('%c arg not in range(0x110000)');
    return String.fromCodePoint(v);
  }
  return fail('%c requires int or char');
}

/** Python's unicode_format_arg_output: sign, alternate prefix, padding. */
function pad(str: string, spec: Spec, numeric: boolean): string {
  tooLong(spec.width);
  let body = str;
  let sign = '';
  if (numeric) {
    if (body.startsWith('-') || body.startsWith('+')) {
      sign = body.charAt(0);
      body = body.slice(1);
    } else if (spec.sign) sign = '+';
    else if (spec.blank) sign = ' ';
  }
  let prefix = '';
  if (spec.alt && (spec.ch === 'x' || spec.ch === 'X' || spec.ch === 'o')) {
    prefix = body.slice(0, 2);
    body = body.slice(2);
  }
  const len = sign.length + prefix.length + Array.from(body).length;
  const fill = Math.max(0, spec.width - len);
  if (spec.ljust) return sign + prefix + body + ' '.repeat(fill);
  if (numeric && spec.zero) return sign + prefix + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + prefix + body;
}

function convert(v: Arg, spec: Spec, index: number): string {
  switch (spec.ch) {
    case 's':
    case 'r':
    case 'a': {
      let s: string;
      if (spec.ch === 's') s = typeof v === 'string' ? v : reprValue(v, false);
      else s = reprValue(v, spec.ch === 'a');
      if (spec.prec >= 0) {
        const cps = Array.from(s);
        if (cps.length > spec.prec) s = cps.slice(0, spec.prec).join('');
      }
      return pad(s, spec, false);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      if (typeof v !== 'number') {
        const what =
          spec.ch === 'o' || spec.ch === 'x' || spec.ch === 'X' ? 'an integer' : 'a real number';
        fail(`%${spec.ch} format: ${what} is required, not ${typeName(v)}`);
      }
      return pad(formatInt(v as number, spec), spec, true);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (typeof v !== 'number') fail(`must be real number, not ${typeName(v)}`);
      return pad(formatFloat(v as number, spec), spec, true);
    case 'c':
      return pad(formatChar(v), spec, false);
    default: {
      const c = spec.ch.codePointAt(0) ?? 0;
      const shown = c >= 31 && c <= 126 ? spec.ch : '?';
      return fail(
        `unsupported format character '${shown}' (0x${c.toString(16)}) at index ${index}`,
      );
    }
  }
}

/**
 * Python `s % mapping`. Throws PyFormatError: kind 'key' for a name missing
 * from the mapping (KeyError), kind 'format' for anything else Python rejects.
 */
export function pyFormat(s: string, mapping: Record<string, PyValue>): string {
  if (!s.includes('%')) return s;
  const f = Array.from(s); // Python indexes code points
  const n = f.length;
  let out = '';
  let pos = 0;
  // The one argument: the mapping itself, until a `(name)` selects a value.
  // Each selection can be consumed once (by `*` or by the conversion).
  let arg: Arg = { dict: mapping };
  let used = false;
  const next = (): Arg => {
    if (used) fail('not enough arguments for format string');
    used = true;
    return arg;
  };
  while (pos < n) {
    const pct = f.indexOf('%', pos);
    if (pct < 0) {
      out += f.slice(pos).join('');
      break;
    }
    out += f.slice(pos, pct).join('');
    pos = pct + 1;
    if (f[pos] === '%') {
      out += '%';
      pos++;
      continue;
    }
    if (f[pos] === '(') {
      let depth = 1;
      const start = ++pos;
      while (pos < n && depth > 0) {
        if (f[pos] === ')') depth--;
        else if (f[pos] === '(') depth++;
        pos++;
      }
      if (depth > 0) fail('incomplete format key');
      const key = f.slice(start, pos - 1).join('');
      if (!Object.prototype.hasOwnProperty.call(mapping, key)) {
        throw new PyFormatError('key', pyRepr(key), key);
      }
      arg = mapping[key] as PyValue;
      used = false;
    }
    const spec: Spec = {
      ljust: false,
      sign: false,
      blank: false,
      alt: false,
      zero: false,
      width: -1,
      prec: -1,
      ch: '',
    };
    // Flags, width, precision, length modifier; `ch` ends as the conversion character.
    const read = (): boolean => {
      if (pos >= n) return false;
      spec.ch = f[pos++] ?? '';
      return true;
    };
    const chIs = (c: string): boolean => spec.ch === c;
    let more = read();
    while (more && '-+ #0'.includes(spec.ch)) {
      if (spec.ch === '-') spec.ljust = true;
      else if (spec.ch === '+') spec.sign = true;
      else if (spec.ch === ' ') spec.blank = true;
      else if (spec.ch === '#') spec.alt = true;
      else spec.zero = true;
      more = read();
    }
    if (more && chIs('*')) {
      spec.width = starArg(next(), PY_SSIZE_T_MAX, 'ssize_t');
      if (spec.width < 0) {
        spec.ljust = true;
        spec.width = -spec.width;
      }
      more = read();
    } else if (more && isDigit(spec.ch)) {
      let w = BigInt(spec.ch);
      while ((more = read()) && isDigit(spec.ch)) {
        w = w * 10n + BigInt(spec.ch);
        if (w > PY_SSIZE_T_MAX) fail('width too big');
      }
      spec.width = Number(w);
    }
    if (more && chIs('.')) {
      spec.prec = 0;
      more = read();
      if (more && chIs('*')) {
        spec.prec = Math.max(0, starArg(next(), BigInt(INT_MAX), 'int'));
        more = read();
      } else if (more && isDigit(spec.ch)) {
        let p = Number(spec.ch);
        while ((more = read()) && isDigit(spec.ch)) {
          p = p * 10 + Number(spec.ch);
          if (p > INT_MAX) fail('precision too big');
        }
        spec.prec = p;
      }
    }
    if (more && (chIs('h') || chIs('l') || chIs('L'))) more = read();
    if (!more) fail('incomplete format');
    out += convert(next(), spec, pos - 1);
  }
  return out;
}

function isDigit(c: string): boolean {
  return c.length === 1 && c >= '0' && c <= '9';
}

/** A `*` argument: an int that fits the C type Python converts it to. */
function starArg(v: Arg, max: bigint, cType: string): number {
  if (typeof v !== 'number') return fail('* wants int');
  const b = BigInt(intDigits(v));
  if (b > max || b < -max - 1n) fail(`Python int too large to convert to C ${cType}`);
  return v;
}
