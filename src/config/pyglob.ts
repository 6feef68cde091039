/**
 * Python 3.11 `glob.glob(pattern)` (recursive=False, include_hidden=False)
 * and the `fnmatch` matching it uses, for supervisor's `[include] files`.
 * Node 20 has no fs.globSync; this follows glob.py/fnmatch.py step by step.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { pyJoin, pySplitPath } from './pypath.ts';

type Token =
  | { t: 'star' }
  | { t: 'any' }
  | { t: 'lit'; c: number }
  | { t: 'set'; neg: boolean; singles: Set<number>; ranges: [number, number][] }
  | { t: 'never' };

const MAGIC = /[*?[]/;

function hasMagic(s: string): boolean {
  return MAGIC.test(s);
}

const HYPHEN = 0x2d;
const BANG = 0x21;
const CLOSE = 0x5d;

/** fnmatch's bracket expression pat[i:j] (without the brackets), as Python 3.11 translates it. */
function bracket(pat: number[], i: number, j: number): Token {
  const stuff = pat.slice(i, j);
  let chunks: number[][];
  if (!stuff.includes(HYPHEN)) {
    chunks = [stuff];
  } else {
    chunks = [];
    let k = pat[i] === BANG ? i + 2 : i + 1;
    for (;;) {
      let found = -1;
      for (let m = k; m < j; m++) {
        if (pat[m] === HYPHEN) {
          found = m;
          break;
        }
      }
      if (found < 0) break;
      chunks.push(pat.slice(i, found));
      i = found + 1;
      k = found + 3;
    }
    const last = pat.slice(i, j);
    if (last.length > 0) chunks.push(last);
    else chunks[chunks.length - 1]?.push(HYPHEN);
    // Remove empty ranges (their end points go with them), right to left.
    for (let k2 = chunks.length - 1; k2 > 0; k2--) {
      const prev = chunks[k2 - 1] ?? [];
      const cur = chunks[k2] ?? [];
      if ((prev[prev.length - 1] ?? 0) > (cur[0] ?? 0)) {
        chunks[k2 - 1] = [...prev.slice(0, -1), ...cur.slice(1)];
        chunks.splice(k2, 1);
      }
    }
  }
  const first = chunks[0] ?? [];
  if (chunks.length === 1 && first.length === 0) return { t: 'never' };
  const neg = first[0] === BANG;
  if (neg && chunks.length === 1 && first.length === 1) return { t: 'any' };
  const singles = new Set<number>();
  const ranges: [number, number][] = [];
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] ?? [];
    const from = c === 0 && neg ? 1 : 0;
    for (let m = from; m < chunk.length; m++) {
      const isRangeEnd = c > 0 && m === 0;
      const isRangeStart = c < chunks.length - 1 && m === chunk.length - 1;
      if (isRangeEnd) continue; // added with its start
      if (isRangeStart) {
        ranges.push([chunk[m] ?? 0, chunks[c + 1]?.[0] ?? 0]);
        continue;
      }
      singles.add(chunk[m] ?? 0);
    }
  }
  return { t: 'set', neg, singles, ranges };
}

function tokenize(pattern: string): Token[] {
  const pat = Array.from(pattern, (ch) => ch.codePointAt(0) ?? 0);
  const out: Token[] = [];
  const n = pat.length;
  let i = 0;
  while (i < n) {
    const c = pat[i] ?? 0;
    i++;
    if (c === 0x2a) {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
    } else if (c === 0x3f) {
      out.push({ t: 'any' });
    } else if (c === 0x5b) {
      let j = i;
      if (j < n && pat[j] === BANG) j++;
      if (j < n && pat[j] === CLOSE) j++;
      while (j < n && pat[j] !== CLOSE) j++;
      if (j >= n) {
        out.push({ t: 'lit', c });
      } else {
        out.push(bracket(pat, i, j));
        i = j + 1;
      }
    } else {
      out.push({ t: 'lit', c });
    }
  }
  return out;
}

function matchOne(tok: Token, c: number): boolean {
  switch (tok.t) {
    case 'any':
      return true;
    case 'lit':
      return tok.c === c;
    case 'never':
      return false;
    case 'set': {
      let hit = tok.singles.has(c);
      if (!hit) for (const [lo, hi] of tok.ranges) if (c >= lo && c <= hi) hit = true;
      return hit !== tok.neg;
    }
    case 'star':
      return false;
  }
}

function matchTokens(tokens: Token[], name: number[]): boolean {
  let ti = 0;
  let ni = 0;
  let starTi = -1;
  let starNi = 0;
  while (ni < name.length) {
    const tok = tokens[ti];
    if (tok !== undefined && tok.t === 'star') {
      starTi = ti++;
      starNi = ni;
    } else if (tok !== undefined && matchOne(tok, name[ni] ?? 0)) {
      ti++;
      ni++;
    } else if (starTi >= 0) {
      ti = starTi + 1;
      ni = ++starNi;
    } else {
      return false;
    }
  }
  while (tokens[ti]?.t === 'star') ti++;
  return ti === tokens.length;
}

const compiled = new Map<string, Token[]>();

/** fnmatch.fnmatchcase(name, pattern) (POSIX: case-sensitive). */
function fnmatch(name: string, pattern: string): boolean {
  let tokens = compiled.get(pattern);
  if (tokens === undefined) {
    tokens = tokenize(pattern);
    compiled.set(pattern, tokens);
  }
  return matchTokens(
    tokens,
    Array.from(name, (ch) => ch.codePointAt(0) ?? 0),
  );
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isdir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listdir(dirname: string, dironly: boolean): string[] {
  try {
    const entries = readdirSync(dirname === '' ? '.' : dirname, { withFileTypes: true });
    const names: string[] = [];
    for (const e of entries) {
      if (!dironly) names.push(e.name);
      else if (e.isDirectory() || (e.isSymbolicLink() && isdir(pyJoin(dirname, e.name))))
        names.push(e.name);
    }
    return names;
  } catch {
    return [];
  }
}

function glob1(dirname: string, pattern: string, dironly: boolean): string[] {
  let names = listdir(dirname, dironly);
  if (!pattern.startsWith('.')) names = names.filter((x) => !x.startsWith('.'));
  return names.filter((x) => fnmatch(x, pattern));
}

function glob0(dirname: string, basename: string): string[] {
  if (basename !== '') return lexists(joinNonEmpty(dirname, basename)) ? [basename] : [];
  return isdir(dirname) ? [basename] : [];
}

function joinNonEmpty(dirname: string, basename: string): string {
  if (dirname === '' || basename === '') return dirname || basename;
  return pyJoin(dirname, basename);
}

function* iglob(pathname: string, dironly: boolean): Generator<string> {
  const [dirname, basename] = pySplitPath(pathname);
  if (!hasMagic(pathname)) {
    if (basename !== '') {
      if (lexists(pathname)) yield pathname;
    } else if (isdir(dirname)) {
      yield pathname;
    }
    return;
  }
  if (dirname === '') {
    yield* glob1('', basename, dironly);
    return;
  }
  const dirs: Iterable<string> =
    dirname !== pathname && hasMagic(dirname) ? iglob(dirname, true) : [dirname];
  const inDir = hasMagic(basename) ? glob1 : glob0;
  for (const dir of dirs) {
    for (const name of inDir(dir, basename, dironly)) yield pyJoin(dir, name);
  }
}

/** glob.glob(pattern): matching paths, in directory order (callers sort). */
export function pyGlob(pattern: string): string[] {
  return [...iglob(pattern, false)];
}
