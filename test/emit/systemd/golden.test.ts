import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate, goldenCases, readExpected } from './golden-cases.ts';

const cases = goldenCases();

void test('there are golden cases (BK-LOG and one per mapping row)', () => {
  assert.ok(cases.length >= 20, `${cases.length} cases`);
  assert.ok(cases.some((c) => c.name.startsWith('bklog-')));
});

for (const c of cases) {
  void test(`golden systemd: ${c.name}`, () => {
    const got = new Map(generate(c).map((f) => [f.path, f.content]));
    const want = readExpected(c);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), 'same files (make golden)');
    for (const [p, content] of want) assert.equal(got.get(p), content, `${c.name}/${p}`);
  });
}
