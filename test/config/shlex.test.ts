import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ShlexError, parseKeyValuePairEntries, shlexSplit } from '../../src/config/shlex.ts';
import {
  check,
  isErr,
  ours,
  runChecks,
  sameAnswer,
  type PrimitiveAnswer,
} from '../oracle/primitives.ts';

void describe('shlexSplit (Python shlex.split)', () => {
  const cases: Array<[string, string[]]> = [
    ['', []],
    ['   ', []],
    ['/bin/cat -n', ['/bin/cat', '-n']],
    ["a 'b c' d", ['a', 'b c', 'd']],
    ['a "b c" d', ['a', 'b c', 'd']],
    ["''", ['']],
    ['""x', ['x']],
    ["a''b", ['ab']],
    ['"a\\"b"', ['a"b']],
    ['"a\\\\b"', ['a\\b']],
    ['"a\\$b"', ['a\\$b']],
    ["'a\\b'", ['a\\b']],
    ['a\\ b', ['a b']],
    ['a\\\nb', ['a\nb']],
    ['x#y #z', ['x#y', '#z']],
    ['a;b ; c', ['a;b', ';', 'c']],
    ['one\ntwo\tthree\rfour', ['one', 'two', 'three', 'four']],
    ['a\u00a0b\u000bc', ['a\u00a0b\u000bc']],
    ['é 😀', ['é', '😀']],
  ];
  for (const [input, expected] of cases) {
    void it(`splits ${JSON.stringify(input)}`, () => {
      assert.deepEqual(shlexSplit(input), expected);
    });
  }

  void it('rejects an unclosed quote and a trailing backslash with Python messages', () => {
    assert.throws(() => shlexSplit("a 'b"), new ShlexError('No closing quotation'));
    assert.throws(() => shlexSplit('a "b\\"'), new ShlexError('No closing quotation'));
    assert.throws(() => shlexSplit('a \\'), new ShlexError('No escaped character'));
    assert.throws(() => shlexSplit('"a\\'), new ShlexError('No escaped character'));
  });
});

/** The entries as an object (own data properties, `__proto__` included). */
const parseKeyValuePairs = (s: string): Record<string, string> =>
  Object.fromEntries(parseKeyValuePairEntries(s));

void describe('parseKeyValuePairEntries (supervisor dict_of_key_value_pairs)', () => {
  void it('reads the documented forms', () => {
    assert.deepEqual(parseKeyValuePairs('A="x;y",B=p/q.r+s-t(u):v'), {
      A: 'x;y',
      B: 'p/q.r+s-t(u):v',
    });
    assert.deepEqual(parseKeyValuePairs(''), {});
    assert.deepEqual(parseKeyValuePairs('A=1,B=2,'), { A: '1', B: '2' });
  });

  void it('keeps supervisor quirks', () => {
    // The separator is never checked: any single token will do.
    assert.deepEqual(parseKeyValuePairs('A=1;B=2'), { A: '1', B: '2' });
    assert.deepEqual(parseKeyValuePairs('A=1 x B=2'), { A: '1', B: '2' });
    // '#' starts a comment; quotes are stripped from values but not keys.
    assert.deepEqual(parseKeyValuePairs('A=a#b,B=2'), { A: 'a' });
    assert.deepEqual(parseKeyValuePairs('"K"=\'"v"\''), { '"K"': 'v' });
    // Non-POSIX: a comment inside a word continues the word on the next line.
    assert.deepEqual(parseKeyValuePairs('A=ab#c\nd'), { A: 'abd' });
    // Non-ASCII letters are not wordchars in non-POSIX mode: each is a token.
    assert.deepEqual(parseKeyValuePairs('é=😀'), { é: '😀' });
    assert.throws(() => parseKeyValuePairs('éé=1'), ShlexError);
    assert.deepEqual(parseKeyValuePairs('A=😀'), { A: '😀' });
  });

  void it('keeps the first position and the last value of a repeated key', () => {
    assert.deepEqual(parseKeyValuePairEntries('A=1,B=2,A=3'), [
      ['A', '3'],
      ['B', '2'],
    ]);
  });

  void it('stores a "__proto__" key as data', () => {
    const d = parseKeyValuePairs('__proto__=x');
    assert.equal(Object.getOwnPropertyDescriptor(d, '__proto__')?.value, 'x');
    assert.equal(Object.getPrototypeOf(d), Object.prototype);
  });

  void it('rejects with supervisor messages, but never echoes the value (it may hold secrets)', () => {
    assert.throws(
      () => parseKeyValuePairs('A=1 B=2'),
      new ShlexError(
        'Unexpected end of key/value pairs: pair 2 is not KEY=VALUE (after key A; value not shown)',
      ),
    );
    assert.throws(
      () => parseKeyValuePairs('TOKEN=s3cr3t x y'),
      (e: unknown) => e instanceof ShlexError && !e.message.includes('s3cr3t'),
    );
    assert.throws(() => parseKeyValuePairs('A=x@y'), ShlexError);
    assert.throws(() => parseKeyValuePairs('A="x'), new ShlexError('No closing quotation'));
    assert.throws(() => parseKeyValuePairs('A'), ShlexError);
  });
});

const SHLEX_CHARS = [
  ' ',
  ' ',
  '\t',
  '\n',
  '\r',
  "'",
  '"',
  '\\',
  '#',
  ';',
  'a',
  'b',
  '=',
  ',',
  'é',
  '😀',
  '$',
  '\u00a0',
  '\u000b',
];
const KV_CHARS = [
  'A',
  'B',
  'x',
  '1',
  '=',
  '=',
  ',',
  ',',
  ' ',
  '"',
  "'",
  '#',
  '\n',
  '/',
  '.',
  '+',
  '-',
  '(',
  ')',
  ':',
  'é',
  '😀',
  '@',
  '\\',
  '\t',
  ';',
  '_',
  'ß',
  '\r',
];

const text = (alphabet: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((a) => a.join(''));

/** Plausible `environment=` values: pairs with quoted or bare values and odd separators. */
const kvText = fc
  .array(
    fc.tuple(
      fc.constantFrom('A', 'PATH', 'x_1', 'K.2', '"Q"', ''),
      fc.constantFrom('=', '=', '=', ':', ''),
      fc.oneof(
        text(KV_CHARS, 6),
        text(KV_CHARS, 6).map((v) => `"${v}"`),
        text(KV_CHARS, 6).map((v) => `'${v}'`),
      ),
      fc.constantFrom(',', ',', ', ', ' ', ';', ''),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, eq, v, sep]) => k + eq + v + sep).join(''));

const splitInputs = fc.sample(text(SHLEX_CHARS, 24), { numRuns: 2000, seed: 1 });
const kvInputs = [
  ...fc.sample(text(KV_CHARS, 20), { numRuns: 1500, seed: 2 }),
  ...fc.sample(kvText, { numRuns: 1500, seed: 3 }),
];
const mineKv = (s: string) => ours(() => parseKeyValuePairEntries(s), ShlexError);
const END_OF_PAIRS = 'Unexpected end of key/value pairs';
/** Same answer, except that our end-of-pairs message leaves out the value supervisor echoes. */
function sameKv(python: PrimitiveAnswer, mine: PrimitiveAnswer): boolean {
  if (isErr(python) && isErr(mine) && python.err.startsWith(END_OF_PAIRS)) {
    return mine.err.startsWith(END_OF_PAIRS);
  }
  return sameAnswer(python, mine);
}
const results = runChecks({
  split: check(
    splitInputs,
    (s) => ({ fn: 'shlex_split', args: [s] }),
    (s) => ours(() => shlexSplit(s), ShlexError),
  ),
  kv: check(kvInputs, (s) => ({ fn: 'kv_pairs', args: [s] }), mineKv, sameKv),
});

void describe('differential against Python', () => {
  void it('shlexSplit agrees with shlex.split on 2,000 generated strings', () => {
    const r = results().split;
    assert.deepEqual(r.diffs, []);
    assert.equal(r.agreed, splitInputs.length);
    const rejected = splitInputs.filter((s) => isErr(ours(() => shlexSplit(s), ShlexError)));
    assert.ok(rejected.length > 100 && rejected.length < 1900, `${rejected.length} rejected`);
  });

  void it('parseKeyValuePairEntries agrees with dict_of_key_value_pairs on 3,000 generated strings', () => {
    const r = results().kv;
    assert.deepEqual(r.diffs, []);
    assert.equal(r.agreed, kvInputs.length);
    // Both outcomes must be exercised for the comparison to mean something.
    const accepted = kvInputs.filter((s) => !isErr(mineKv(s))).length;
    assert.ok(accepted > 300 && accepted < kvInputs.length - 300, `${accepted} accepted`);
  });
});
