import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pyAscii, pyRepr } from '../../src/config/pyprim.ts';
import { isPyNonPrintable, pyDecimal, pyLower, pyUpper } from '../../src/config/pyunicode.ts';
import { askPython, isErr } from '../oracle/primitives.ts';

/** Every code point but the surrogates, `sep` between them. */
function allCodePoints(sep: string): string[] {
  const out: string[] = [];
  for (let c = 0; c < 0x110000; c++) {
    if (c < 0xd800 || c > 0xdfff) out.push(String.fromCodePoint(c));
  }
  return [out.join(sep)];
}

void describe('Python 3.11 Unicode facts, independent of the Node Unicode version', () => {
  void it('knows characters newer than Unicode 14 as Python 3.11 does', () => {
    assert.equal(isPyNonPrintable(0x1c89), true); // CYRILLIC CAPITAL LETTER TJE, Unicode 16
    assert.equal(isPyNonPrintable(0x41), false);
    assert.equal(pyLower('\u1c89A'), '\u1c89a');
    assert.equal(pyUpper('\u019b'), '\u019b'); // its capital U+A7DC is Unicode 16
    assert.equal(pyUpper('ß'), 'SS');
    assert.equal(pyLower('ΑΣ'), 'ας');
    assert.equal(pyDecimal(0x11f51), -1); // KAWI DIGIT ONE, Unicode 15
    assert.equal(pyDecimal(0x0663), 3);
    assert.equal(pyRepr('\u1c89'), "'\\u1c89'");
  });

  void it('repr, ascii, lower and upper agree with Python on every code point', () => {
    const [text = ''] = allCodePoints('');
    const [lines = ''] = allCodePoints('\n');
    const answers = askPython([
      { fn: 'repr', args: [text] },
      { fn: 'ascii', args: [text] },
      { fn: 'lower', args: [lines] },
      { fn: 'upper', args: [lines] },
    ]);
    const [repr, ascii, lower, upper] = answers;
    assert.ok(repr && !isErr(repr) && repr.ok === pyRepr(text));
    assert.ok(ascii && !isErr(ascii) && ascii.ok === pyAscii(text));
    assert.ok(lower && !isErr(lower) && lower.ok === pyLower(lines));
    assert.ok(upper && !isErr(upper) && upper.ok === pyUpper(lines));
  });
});

void it('reads as digits exactly the characters Python int() reads as digits', () => {
  const candidates: number[] = [];
  for (let c = 0x80; c < 0x110000; c++) {
    const ch = String.fromCodePoint(c);
    if (/\p{Nd}/u.test(ch) || pyDecimal(c) >= 0) candidates.push(c);
  }
  const answers = askPython(
    candidates.map((c) => ({ fn: 'int', args: [String.fromCodePoint(c)] })),
  );
  const wrong = candidates.filter((c, i) => {
    const a = answers[i];
    const python = a && !isErr(a) ? Number(a.ok) : -1;
    return python !== pyDecimal(c);
  });
  assert.deepEqual(wrong, []);
  assert.ok(candidates.length > 600);
});
