/** Python str semantics the builder needs beyond pyprim.ts: `str.split()` and str ordering. */
import { isPySpace } from './pyprim.ts';

/** Python `s.split()` (no separator): words between runs of whitespace. */
export function pySplit(s: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const space = i === s.length || isPySpace(s.charCodeAt(i));
    if (space && start >= 0) {
      words.push(s.slice(start, i));
      start = -1;
    } else if (!space && start < 0) {
      start = i;
    }
  }
  return words;
}

/**
 * Python's str ordering: by code point. (JS `<` compares UTF-16 code units,
 * which differs for characters above U+FFFF against U+E000..U+FFFF.)
 */
export function pyCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // Both BMP, or both surrogates: code-unit order is code-point order.
    if (xs === ys) return x < y ? -1 : 1;
    // A surrogate (an astral code point) sorts after any BMP character.
    return xs ? 1 : -1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
