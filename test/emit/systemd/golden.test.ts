import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertions, emit, generate, goldenCases, readExpected } from './golden-cases.ts';

const cases = goldenCases();

void test('there are golden cases (BK-LOG and one per mapping row)', () => {
  assert.ok(cases.length >= 20, `${cases.length} cases`);
  assert.ok(cases.some((c) => c.name.startsWith('bklog-')));
});

void test('every one-row-per-key case says what it is for, with assertions', () => {
  for (const c of cases) {
    assert.ok(c.spec.description.length > 0, c.name);
    if (!c.name.startsWith('bklog-'))
      assert.ok(assertions(c).length > 0, `${c.name}: no assertions`);
  }
});

for (const c of cases) {
  void test(`golden systemd: ${c.name}`, () => {
    const r = emit(c);
    for (const a of assertions(c)) {
      const why = a.check(r.files, r.findings);
      assert.equal(why, null, `${c.name}/${c.spec.input}:${a.line}: ${a.text}: ${why ?? ''}`);
    }
    const got = new Map(generate(c, r).map((f) => [f.path, f.content]));
    const want = readExpected(c);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), 'same files (make golden)');
    for (const [p, content] of want) assert.equal(got.get(p), content, `${c.name}/${p}`);
  });
}
