/**
 * supervisor's `%(name)s` expansion (`expand()` in options.py: Python's
 * `s % mapping`), with its error messages, raised as ConfigError.
 *
 * supervisor builds one dict per lookup (ENV_X, then the section's names);
 * we keep the names in layers (a later layer wins) and hand pyFormat a small
 * dict holding just the names the string refers to, so a 5,000-program
 * config does not copy the whole environment for every value.
 */
import type { Origin } from '../model/origin.ts';
import { ConfigError } from './errors.ts';
import { pyFormat, PyFormatError, type PyValue } from './pyformat.ts';
import { pyRepr } from './pyprim.ts';
import { setOwn } from './own-property.ts';
import { pyCompare } from './pystr.ts';

export type Mapping = Record<string, PyValue>;
/** A value or a function computing it: error details are built only when an error is raised. */
export type Lazy<T> = T | (() => T);

export function force<T extends object | string>(v: Lazy<T>): T {
  return typeof v === 'function' ? (v as () => T)() : v;
}

/** Expansion names, in layers: when two layers hold a name, the later one wins. */
export type Layers = readonly Mapping[];

function lookup(layers: Layers, key: string): PyValue | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer !== undefined && Object.hasOwn(layer, key)) return layer[key];
  }
  return undefined;
}

/** The dict supervisor would pass: every layer merged, in order. */
function mergeLayers(layers: Layers): Mapping {
  const out: Mapping = {};
  for (const layer of layers)
    for (const k of Object.keys(layer)) setOwn(out, k, layer[k] as PyValue);
  return out;
}

/**
 * The `%(name)` keys of a format string (nested parentheses as Python counts
 * them), or null when a conversion takes the whole mapping (`%s` with a dict).
 */
function referencedNames(s: string): string[] | null {
  const names: string[] = [];
  let i = s.indexOf('%');
  while (i >= 0 && i < s.length) {
    const c = s[i + 1];
    if (c === '%') {
      i = s.indexOf('%', i + 2);
      continue;
    }
    if (c !== '(') return null;
    let depth = 1;
    let k = i + 2;
    while (k < s.length && depth > 0) {
      const ch = s[k];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      k++;
    }
    names.push(s.slice(i + 2, k - 1));
    i = s.indexOf('%', k);
  }
  return names;
}

function smallMapping(s: string, layers: Layers): Mapping | null {
  const names = referencedNames(s);
  if (names === null) return null;
  const m: Mapping = {};
  for (const k of names) {
    const v = lookup(layers, k);
    if (v !== undefined) setOwn(m, k, v);
  }
  return m;
}

/**
 * The common cases without pyFormat: `%%`, `%(name)s` (Python `str(value)`:
 * the str itself, or an int's decimal digits) and, for an int value,
 * `%(name)d` / `%(name)i` / `%(name)u` with an optional `0` flag and width
 * (`%(process_num)02d`). Returns undefined for anything else, or for a
 * missing name or a str given to `d`, so that pyFormat decides (and raises
 * Python's error).
 */
function simpleFormat(s: string, layers: Layers): string | undefined {
  let out = '';
  let from = 0;
  let i = s.indexOf('%');
  while (i >= 0) {
    out += s.slice(from, i);
    const c = s.charCodeAt(i + 1);
    if (c === 0x25) {
      out += '%';
      from = i + 2;
      i = s.indexOf('%', from);
      continue;
    }
    if (c !== 0x28) return undefined;
    let depth = 1;
    let k = i + 2;
    while (k < s.length && depth > 0) {
      const ch = s.charCodeAt(k);
      if (ch === 0x28) depth++;
      else if (ch === 0x29) depth--;
      k++;
    }
    if (depth > 0) return undefined;
    const v = lookup(layers, s.slice(i + 2, k - 1));
    if (v === undefined) return undefined;
    let zero = false;
    while (s.charCodeAt(k) === 0x30) {
      zero = true;
      k++;
    }
    let width = 0;
    for (let d = s.charCodeAt(k); d >= 0x30 && d <= 0x39; d = s.charCodeAt(++k)) {
      width = width * 10 + (d - 0x30);
      if (width > 1000) return undefined;
    }
    const conv = s.charCodeAt(k);
    if (conv === 0x73 && !zero && width === 0) {
      if (typeof v === 'number' && !Number.isSafeInteger(v)) return undefined;
      out += typeof v === 'number' ? String(v) : v;
    } else if ((conv === 0x64 || conv === 0x69 || conv === 0x75) && typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return undefined;
      const digits = String(Math.abs(v));
      const sign = v < 0 ? '-' : '';
      const pad = Math.max(0, width - sign.length - digits.length);
      out += zero ? sign + '0'.repeat(pad) + digits : ' '.repeat(pad) + sign + digits;
    } else {
      return undefined;
    }
    from = k + 1;
    i = s.indexOf('%', from);
  }
  return out + s.slice(from);
}

/**
 * Python `s % mapping` as supervisor's expand() does it, the mapping being
 * `layers` merged. Throws PyFormatError; hot callers catch it and call
 * expandError() (so no error details are built for the values that expand).
 */
export function expandRaw(s: string, layers: Layers): string {
  if (!s.includes('%')) return s; // Python's `%` with a dict returns such a str unchanged
  const simple = simpleFormat(s, layers);
  if (simple !== undefined) return simple;
  const small = smallMapping(s, layers);
  if (small !== null) {
    try {
      return pyFormat(s, small);
    } catch (err) {
      // A name our scan missed: let the real mapping decide.
      if (!(err instanceof PyFormatError && err.kind === 'key')) throw err;
    }
  }
  return pyFormat(s, mergeLayers(layers));
}

/** supervisor's expand() message for a failed expansion of `s` (name: what supervisor names it). */
export function expandError(
  err: unknown,
  s: string,
  layers: Layers,
  name: string,
  where: Origin,
): unknown {
  if (!(err instanceof PyFormatError)) return err;
  if (err.kind === 'key') {
    const available = Object.keys(mergeLayers(layers)).sort(pyCompare).join(', ');
    return new ConfigError(
      'E_EXPAND',
      `Format string ${pyRepr(s)} for ${pyRepr(name)} contains names (${err.message}) ` +
        `which cannot be expanded. Available names: ${available}`,
      where,
      { cause: err },
    );
  }
  return new ConfigError(
    'E_EXPAND',
    `Format string ${pyRepr(s)} for ${pyRepr(name)} is badly formatted: ${err.message}`,
    where,
    { cause: err },
  );
}

/** expandRaw, raising supervisor's ValueError as a ConfigError at `where`. */
export function expand(s: string, layers: Layers, name: string, where: Lazy<Origin>): string {
  try {
    return expandRaw(s, layers);
  } catch (err) {
    throw expandError(err, s, layers, name, force(where));
  }
}

/**
 * The X of every `%(ENV_X)` in `s` that `environ` (os.environ's ENV_X)
 * holds: the environment values an expansion bakes in at read time.
 */
export function environNamesIn(s: string, environ: Mapping): string[] {
  if (!s.includes('%(ENV_')) return [];
  const names = referencedNames(s) ?? [];
  return names
    .filter((n) => n.startsWith('ENV_') && Object.hasOwn(environ, n))
    .map((n) => n.slice(4));
}

/** `ENV_X` for every X in the environment supervisord sees (os.environ). */
export function environExpansions(env: Record<string, string | undefined>): Mapping {
  const out: Mapping = {};
  for (const k of Object.keys(env)) {
    const v = env[k];
    if (v !== undefined) out[`ENV_${k}`] = v;
  }
  return out;
}
