/**
 * Rewrites test/golden/kubernetes/<case>/expected/ from the current emitter
 * (`make golden`). Review the diff before committing it.
 */
import { refreshInput, writeExpected } from '../test/support/golden.ts';
import { listCases, runCase } from '../test/emit/kubernetes/golden-lib.ts';

const cases = listCases();
for (const c of cases) {
  refreshInput(c);
  const files = runCase(c);
  writeExpected(
    c,
    [...files].map(([path, f]) => ({ path, content: f.content })),
  );
  console.log(`golden kubernetes/${c.id}: ${files.size} files`);
}
console.log(`${cases.length} kubernetes golden cases written`);
