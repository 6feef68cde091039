/**
 * Golden parse outputs: every test/golden/<suite>/<case>/case.json (see
 * test/golden/README.md) must make `supctl parse --json` print exactly
 * expected/parse.json, and supervisor 4.2.5 must read the input the same way,
 * so a golden is never accepted blindly. `make golden` regenerates them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cliParse, goldenCases, oracleAnswers, REPO } from '../oracle/golden.ts';
import { firstDifference } from '../oracle/run-oracle.ts';
import type { Answer } from '../oracle/run-oracle.ts';

const cases = goldenCases();
let python: Answer[] | undefined;
const oracle = (): Answer[] => (python ??= oracleAnswers(cases));

void test('golden cases are found: the three BK-LOG configs at least', () => {
  const names = cases.map((c) => c.name);
  for (const n of ['bklog/api', 'bklog/app', 'bklog/grafana']) assert.ok(names.includes(n), n);
  for (const c of cases) assert.ok(existsSync(c.expectedParse), `${c.name}: expected/parse.json`);
});

for (const [i, c] of cases.entries()) {
  void test(`golden ${c.name}: supctl parse --json prints expected/parse.json, and supervisor agrees`, () => {
    if (c.spec.source) {
      assert.ok(
        readFileSync(c.input).equals(readFileSync(resolve(REPO, c.spec.source))),
        `${c.name}: ${c.spec.input} is a verbatim copy of ${c.spec.source} (make golden)`,
      );
    }
    const expected = readFileSync(c.expectedParse, 'utf8');
    const out = cliParse(c);
    assert.equal(out.status, 0, `supctl parse failed: ${out.stderr}`);
    assert.equal(out.stdout, expected, `${c.name}: output changed; review, then make golden`);
    const doc: unknown = JSON.parse(expected);
    const py = oracle()[i];
    assert.ok(py && !('error' in py), `supervisor rejects ${c.name}: ${JSON.stringify(py)}`);
    assert.ok(
      (py.groups as { processes: unknown[] }[]).some((g) => g.processes.length > 0),
      'the golden holds processes',
    );
    assert.deepEqual(doc, py, `supervisor disagrees: ${firstDifference(py, doc)}`);
  });
}
