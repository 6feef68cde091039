/**
 * Python 3.11 string primitives that supervisor's parsing depends on:
 * `str.isspace`/`strip`, `repr()`/`ascii()` and `int(s, base)`.
 */
import { isPyNonPrintable, pyDecimal } from './pyunicode.ts';

/** A Python ValueError raised by one of these helpers; `message` is Python's text. */
export class PyValueError extends Error {
  override readonly name = 'PyValueError';
}

/** `chr(c).isspace()` in Python 3.11 (also what `re`'s `\s` matches). */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Index of the first non-whitespace code unit at or after `from`, or `s.length`. */
function skipPySpace(s: string, from = 0): number {
  let i = from;
  while (i < s.length && isPySpace(s.charCodeAt(i))) i++;
  return i;
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  const start = skipPySpace(s);
  return start >= end ? '' : s.slice(start, end);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function reprOf(s: string, asciiOnly: boolean): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + hex(c, 2);
    else if (c < 0x7f) out += ch;
    else if (!asciiOnly && !isPyNonPrintable(c)) out += ch;
    else if (c <= 0xff) out += '\\x' + hex(c, 2);
    else if (c <= 0xffff) out += '\\u' + hex(c, 4);
    else out += '\\U' + hex(c, 8);
  }
  return out + quote;
}

/** Python `repr(s)` for a str. */
export function pyRepr(s: string): string {
  return reprOf(s, false);
}

/** Python `ascii(s)` for a str. */
export function pyAscii(s: string): string {
  return reprOf(s, true);
}

/** Python `'%.200R' % s` as used in int()'s error message: repr cut to 200 code points. */
function reprCut(s: string, max: number): string {
  const r = pyRepr(s);
  const cps = Array.from(r);
  return cps.length > max ? cps.slice(0, max).join('') : r;
}

/** Python 3.11's default `sys.get_int_max_str_digits()`. */
const MAX_STR_DIGITS = 4300;

function asciiDigitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  return 99;
}

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * The ASCII text CPython's int() actually parses: non-ASCII whitespace
 * becomes a space, non-ASCII decimal digits become ASCII digits, and the
 * first other non-ASCII character ends the text with '?'.
 */
function toAsciiDigits(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x7f) out.push(c);
    else if (isPySpace(c)) out.push(0x20);
    else {
      const d = pyDecimal(c);
      if (d < 0) {
        out.push(0x3f);
        break;
      }
      out.push(0x30 + d);
    }
  }
  return out;
}

/** Python `int(s, base)` for a str argument, base 8 or 10. */
export function pyInt(s: string, base: 8 | 10 = 10): bigint {
  const fail = (): never => {
    throw new PyValueError(`invalid literal for int() with base ${base}: ${reprCut(s, 200)}`);
  };
  const a = toAsciiDigits(s);
  let i = 0;
  while (i < a.length && isAsciiSpace(a[i] ?? 0)) i++;
  let negative = false;
  if (a[i] === 0x2b || a[i] === 0x2d) {
    negative = a[i] === 0x2d;
    i++;
  }
  if (base === 8 && a[i] === 0x30 && (a[i + 1] === 0x6f || a[i + 1] === 0x4f)) {
    i += 2;
    if (a[i] === 0x5f) i++;
  }
  if (a[i] === 0x5f) fail();
  let digits = '';
  let prevUnderscore = false;
  for (; i < a.length; i++) {
    const c = a[i] ?? 0;
    if (c === 0x5f) {
      if (prevUnderscore) fail();
      prevUnderscore = true;
      continue;
    }
    if (asciiDigitValue(c) >= base) break;
    digits += String.fromCharCode(c);
    prevUnderscore = false;
  }
  if (prevUnderscore) fail();
  if (base === 10 && digits.length > MAX_STR_DIGITS) {
    throw new PyValueError(
      `Exceeds the limit (${MAX_STR_DIGITS} digits) for integer string conversion: ` +
        `value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  if (digits === '') fail();
  while (i < a.length && isAsciiSpace(a[i] ?? 0)) i++;
  if (i !== a.length) fail();
  const magnitude = BigInt(base === 8 ? '0o' + digits : digits);
  return negative ? -magnitude : magnitude;
}
