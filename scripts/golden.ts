/**
 * `make golden`: regenerates every golden case under test/golden (see
 * test/golden/README.md). For each case.json it refreshes the input from its
 * source fixture, runs `supctl parse --json` and writes expected/parse.json,
 * but only when supervisor 4.2.5 (the oracle) reads the input the same way:
 * a golden the oracle disagrees with is reported and left unwritten.
 *
 *   node --import tsx scripts/golden.ts [NAME-FILTER]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { refreshInput } from '../test/support/golden.ts';
import { cliParse, goldenCases, oracleAnswers } from '../test/oracle/golden.ts';
import { firstDifference } from '../test/oracle/run-oracle.ts';

const filter = process.argv[2] ?? '';
const cases = goldenCases().filter((c) => c.name.includes(filter));
if (cases.length === 0) {
  console.error(`no golden case matches ${JSON.stringify(filter)}`);
  process.exit(1);
}

for (const c of cases) refreshInput(c);
const python = oracleAnswers(cases);
let failed = 0;
cases.forEach((c, i) => {
  const out = cliParse(c);
  if (out.status !== 0) {
    console.error(`${c.name}: supctl parse exited ${String(out.status)}: ${out.stderr}`);
    failed++;
    return;
  }
  const ours: unknown = JSON.parse(out.stdout);
  if (!isDeepStrictEqual(ours, python[i])) {
    const p = JSON.stringify(python[i]).slice(0, 300);
    console.error(
      `${c.name}: supervisor disagrees, not written: ${firstDifference(python[i], ours)}\n  python: ${p}`,
    );
    failed++;
    return;
  }
  const old = existsSync(c.expectedParse) ? readFileSync(c.expectedParse, 'utf8') : '';
  mkdirSync(dirname(c.expectedParse), { recursive: true });
  writeFileSync(c.expectedParse, out.stdout);
  console.log(`${c.name}: ${old === out.stdout ? 'unchanged' : 'written'} (oracle agrees)`);
});
process.exit(failed ? 1 : 0);
