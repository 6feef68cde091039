import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PyFormatError, pyFormat, type PyValue } from '../../src/config/pyformat.ts';
import { check, isErr, runChecks, type PrimitiveAnswer } from '../oracle/primitives.ts';

const M: Record<string, PyValue> = { a: 'x', n: 25, neg: -255, u: "é\n'\x00😀" };

void describe('pyFormat (Python str % dict)', () => {
  const ok: Array<[string, string]> = [
    ['plain', 'plain'],
    ['100%%', '100%'],
    ['%(a)s-%(n)s', 'x-25'],
    ['%(n)03d', '025'],
    ['%(n)-5d|', '25   |'],
    ['%(n)+d|%(n) d', '+25| 25'],
    ['%(neg)#08x', '-0x000ff'],
    ['%(n)#o %(n)X', '0o31 19'],
    ['%(n).0e', '2e+01'],
    ['%(n)g %(n)#g', '25 25.0000'],
    ['%(n).3f', '25.000'],
    ['%(a)5.1s|', '    x|'],
    ['%(a)r', "'x'"],
    ['%(u)a', '"\\xe9\\n\'\\x00\\U0001f600"'],
    ['%(n)c%(a)c', '\x19x'],
    ['%(a(b))s', 'y'],
  ];
  for (const [fmt, expected] of ok) {
    void it(`formats ${JSON.stringify(fmt)}`, () => {
      assert.equal(pyFormat(fmt, { ...M, 'a(b)': 'y' }), expected);
    });
  }

  void it('formats the mapping itself for a conversion without a name', () => {
    assert.equal(pyFormat('%s', { a: 'x', n: 1 }), "{'a': 'x', 'n': 1}");
    assert.equal(pyFormat('%(a)s%%', { a: '' }), '%');
  });

  void it('raises KeyError for an unknown name', () => {
    assert.throws(
      () => pyFormat('%(nope)s', M),
      (e: unknown) =>
        e instanceof PyFormatError &&
        e.kind === 'key' &&
        e.missing === 'nope' &&
        e.message === "'nope'",
    );
  });

  const bad: Array<[string, string]> = [
    ['%', 'incomplete format'],
    ['%(a', 'incomplete format key'],
    ['%(a)', 'incomplete format'],
    ['%(a)d', '%d format: a real number is required, not str'],
    ['%(a)x', '%x format: an integer is required, not str'],
    ['%(a)f', 'must be real number, not str'],
    ['%d', '%d format: a real number is required, not dict'],
    ['%(a)s %s', 'not enough arguments for format string'],
    ['%s %s', 'not enough arguments for format string'],
    ['%(a)k', "unsupported format character 'k' (0x6b) at index 4"],
    ['😀%(a)é', "unsupported format character '?' (0xe9) at index 5"],
    ['%(a)%', "unsupported format character '%' (0x25) at index 4"],
    ['%(a)*d', '* wants int'],
    ['%(n)*d', 'not enough arguments for format string'],
    ['%(u)c', '%c requires int or char'],
  ];
  for (const [fmt, message] of bad) {
    void it(`rejects ${JSON.stringify(fmt)}`, () => {
      assert.throws(
        () => pyFormat(fmt, M),
        (e: unknown) => e instanceof PyFormatError && e.kind === 'format' && e.message === message,
      );
    });
  }
});

/** Python's answer and ours agree: same text, or same error kind and message. */
function sameFormatAnswer(python: PrimitiveAnswer, mine: PrimitiveAnswer): boolean {
  if (isErr(python) !== isErr(mine)) return false;
  if (isErr(python) && isErr(mine)) {
    const pyKind = python.type === 'KeyError' ? 'key' : 'format';
    return pyKind === mine.type && python.err === mine.err;
  }
  return !isErr(python) && !isErr(mine) && python.ok === mine.ok;
}

function mineFormat(fmt: string, mapping: Record<string, PyValue>): PrimitiveAnswer {
  try {
    return { ok: pyFormat(fmt, mapping) };
  } catch (e) {
    if (e instanceof PyFormatError) return { err: e.message, type: e.kind };
    throw e;
  }
}

const NAMES = ['a', 'n', 'k', 'e', 'u', 'missing', 'x(y)', ''];

const intValue = fc.oneof(
  fc.integer({ min: -2_000_000, max: 2_000_000 }),
  fc.constantFrom(
    0,
    5,
    15,
    25,
    125,
    250,
    2500,
    999_999,
    9_999_995,
    1_114_111,
    1_114_112,
    -45,
    2 ** 53,
    -(2 ** 53),
    1e15,
    2 ** 31,
    -(2 ** 31) - 1,
  ),
);
const strValue = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      ' ',
      "'",
      '"',
      '\\',
      '\n',
      '\t',
      '\x00',
      '\x7f',
      'é',
      '\u00a0',
      '\u2028',
      '😀',
      '中',
      '%',
    ),
    { maxLength: 5 },
  )
  .map((a) => a.join(''));
const mappingArb = fc.record({
  a: strValue,
  n: intValue,
  k: intValue,
  e: fc.oneof(strValue, intValue),
  u: fc.constantFrom("é\n'\x00😀", '\u0085x', '"\'', 'ß', '\ud7ff'),
  'x(y)': fc.constantFrom(7, 'v'),
});

const spec = fc
  .tuple(
    fc.option(
      fc.constantFrom(...NAMES).map((n) => `(${n})`),
      { nil: '' },
    ),
    fc.array(fc.constantFrom('-', '+', ' ', '#', '0'), { maxLength: 3 }).map((a) => a.join('')),
    fc.option(fc.oneof(fc.integer({ min: 0, max: 14 }).map(String), fc.constant('*')), { nil: '' }),
    fc.option(
      fc.oneof(
        fc.integer({ min: 0, max: 9 }).map((p) => `.${p}`),
        fc.constantFrom('.', '.*'),
      ),
      { nil: '' },
    ),
    fc.option(fc.constantFrom('h', 'l', 'L'), { nil: '' }),
    fc.constantFrom(...'sradiuoxXeEfFgGc%'.split(''), 's', 'd', 'z', 'é', ''),
  )
  .map((parts) => '%' + parts.join(''));

const formatText = fc
  .array(
    fc.oneof(spec, spec, fc.constantFrom('x', ' ', 'é', '😀', '(', ')', '%%', '%', ':', '\n')),
    { maxLength: 4 },
  )
  .map((a) => a.join(''));

const randomText = fc
  .array(
    fc.constantFrom(
      '%',
      '%',
      '(',
      ')',
      'a',
      'n',
      's',
      'd',
      'g',
      '.',
      '*',
      '-',
      '0',
      '5',
      '#',
      'l',
      'é',
    ),
    { maxLength: 12 },
  )
  .map((a) => a.join(''));

const formatCases = [
  ...fc.sample(fc.tuple(formatText, mappingArb), { numRuns: 3000, seed: 11 }),
  ...fc.sample(fc.tuple(randomText, mappingArb), { numRuns: 1000, seed: 12 }),
];
const roundingCases = fc.sample(
  fc.tuple(
    fc.constantFrom('e', 'E', 'g', 'G', 'f'),
    fc.integer({ min: 0, max: 12 }),
    fc.oneof(
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.integer({ min: 1, max: 9999 }).map((x) => x * 1e6 + 5e5),
      fc.integer({ min: 1, max: 99 }).map((x) => x * 10 + 5),
    ),
  ),
  { numRuns: 1500, seed: 13 },
);
const roundingFormat = ([c, p]: [string, number, number]) => `%(v).${p}${c} %(v)#.${p}${c}`;
const results = runChecks({
  format: check(
    formatCases,
    ([fmt, mapping]) => ({ fn: 'format', args: [fmt, mapping] }),
    ([fmt, mapping]) => mineFormat(fmt, mapping),
    sameFormatAnswer,
  ),
  rounding: check(
    roundingCases,
    (c) => ({ fn: 'format', args: [roundingFormat(c), { v: c[2] }] }),
    (c) => mineFormat(roundingFormat(c), { v: c[2] }),
    sameFormatAnswer,
  ),
});

void describe('differential against Python', () => {
  void it('pyFormat agrees with str % dict on 4,000 generated cases', () => {
    const r = results().format;
    assert.deepEqual(r.diffs, []);
    assert.equal(r.agreed, formatCases.length);
    const accepted = formatCases.filter(([f, m]) => !isErr(mineFormat(f, m))).length;
    assert.ok(accepted > 800 && accepted < formatCases.length - 800, `${accepted} accepted`);
  });

  void it('rounds %e and %g half to even exactly like Python on 1,500 ints', () => {
    const r = results().rounding;
    assert.deepEqual(r.diffs, []);
    assert.equal(r.agreed, roundingCases.length);
  });
});
