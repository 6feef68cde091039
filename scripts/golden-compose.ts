/**
 * Rewrites test/golden/compose/<case>/expected/ from the current emitter
 * (`make golden`). Review the diff before committing it.
 */
import { refreshInput, writeExpected } from '../test/support/golden.ts';
import { listCases, runCase } from '../test/emit/compose/golden-lib.ts';

const cases = listCases();
for (const c of cases) {
  refreshInput(c);
  const out = runCase(c);
  // modes are checked by the test from the emitter itself (modes.txt); goldens stay readable
  writeExpected(
    c,
    [...out.files].map(([path, f]) => ({ path, content: f.content })),
  );
  console.log(`golden compose/${c.id}: ${out.files.size} files`);
}
console.log(`${cases.length} compose golden cases written`);
