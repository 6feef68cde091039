/**
 * The two Python `shlex` dialects supervisor uses: `shlex.split` (POSIX) for
 * `command`, and a non-POSIX `shlex.shlex` for `environment`
 * (supervisor.datatypes.dict_of_key_value_pairs).
 */

/** A Python ValueError from shlex or from dict_of_key_value_pairs; `message` is Python's text. */
export class ShlexError extends Error {
  override readonly name = 'ShlexError';
}

const NO_CLOSING_QUOTATION = 'No closing quotation';
const NO_ESCAPED_CHARACTER = 'No escaped character';

/** shlex's default whitespace: space, tab, CR and LF only. */
function isShlexSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Python `shlex.split(s)`: POSIX mode, whitespace_split=True, no comments. */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false; // a word has started (it may be empty: '' or "")
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charAt(i++);
    if (isShlexSpace(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      inWord = true;
      const close = s.indexOf("'", i);
      if (close < 0) throw new ShlexError(NO_CLOSING_QUOTATION);
      word += s.slice(i, close);
      i = close + 1;
    } else if (c === '"') {
      inWord = true;
      for (;;) {
        if (i >= n) throw new ShlexError(NO_CLOSING_QUOTATION);
        const q = s.charAt(i++);
        if (q === '"') break;
        if (q === '\\') {
          if (i >= n) throw new ShlexError(NO_ESCAPED_CHARACTER);
          const e = s.charAt(i++);
          // Inside double quotes only '\\' and '"' are escaped; otherwise the backslash stays.
          word += e === '\\' || e === '"' ? e : '\\' + e;
        } else {
          word += q;
        }
      }
    } else if (c === '\\') {
      if (i >= n) throw new ShlexError(NO_ESCAPED_CHARACTER);
      inWord = true;
      word += s.charAt(i++);
    } else {
      inWord = true;
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const KV_WORDCHARS = new Set(
  'abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' + '/.+-():',
);

/**
 * The tokens of a non-POSIX `shlex.shlex(s)` with wordchars extended by
 * `/.+-():` (comments start at '#'; no escapes; quotes are kept in tokens).
 */
function kvTokens(s: string): string[] {
  const chars = Array.from(s); // Python reads code points
  const n = chars.length;
  const tokens: string[] = [];
  let i = 0;
  const skipComment = (): void => {
    while (i < n && chars[i] !== '\n') i++;
    if (i < n) i++;
  };
  while (i < n) {
    const c = chars[i++] ?? '';
    if (isShlexSpace(c)) continue;
    if (c === '#') {
      skipComment();
    } else if (c === '"' || c === "'") {
      let token = c;
      for (;;) {
        if (i >= n) throw new ShlexError(NO_CLOSING_QUOTATION);
        const q = chars[i++] ?? '';
        token += q;
        if (q === c) break;
      }
      tokens.push(token);
    } else if (KV_WORDCHARS.has(c)) {
      let token = c;
      while (i < n) {
        const w = chars[i] ?? '';
        if (isShlexSpace(w)) {
          i++;
          break;
        }
        i++;
        if (w === '#') {
          // In non-POSIX mode a comment does not end the word: the word goes on on the next line.
          skipComment();
        } else if (KV_WORDCHARS.has(w) || w === '"' || w === "'") {
          token += w;
        } else {
          // Any other character ends the word and is a token by itself.
          tokens.push(token);
          token = w;
          break;
        }
      }
      tokens.push(token);
    } else {
      tokens.push(c);
    }
  }
  return tokens;
}

/** Strips leading and trailing quote characters, like Python's `v.strip('\'"')`. */
function stripQuotes(v: string): string {
  let start = 0;
  let end = v.length;
  while (start < end && (v[start] === '"' || v[start] === "'")) start++;
  while (end > start && (v[end - 1] === '"' || v[end - 1] === "'")) end--;
  return v.slice(start, end);
}

/**
 * supervisor.datatypes.dict_of_key_value_pairs as ordered entries: duplicates
 * keep the first position and the last value, as a Python dict does.
 */
export function parseKeyValuePairEntries(s: string): Array<[string, string]> {
  const tokens = kvTokens(s);
  const out = new Map<string, string>();
  // Triples key '=' value, each followed by one separator token that is never checked.
  for (let i = 0; i < tokens.length; i += 4) {
    const key = tokens[i];
    const value = tokens[i + 2];
    if (key === undefined || value === undefined || tokens[i + 1] !== '=') {
      // supervisor echoes the whole value, which is where secrets live: name the place instead
      const after = i === 0 ? 'at the start' : `after key ${tokens[i - 4]}`;
      throw new ShlexError(
        `Unexpected end of key/value pairs: pair ${i / 4 + 1} is not KEY=VALUE (${after}; value not shown)`,
      );
    }
    out.set(key, stripQuotes(value));
  }
  return [...out];
}
