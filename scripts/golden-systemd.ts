/**
 * Regenerates test/golden/systemd/<case>/expected/ from each case's input
 * (`make golden`), refusing a case whose own assertions fail; review the
 * diff before committing.
 */
import { refreshInput, writeExpected } from '../test/support/golden.ts';
import { assertions, emit, generate, goldenCases } from '../test/emit/systemd/golden-cases.ts';

let failed = 0;
for (const c of goldenCases()) {
  refreshInput(c);
  const r = emit(c);
  const broken = assertions(c)
    .map((a) => ({ a, why: a.check(r.files, r.findings) }))
    .filter((x) => x.why !== null);
  for (const { a, why } of broken) console.error(`${c.name}:${a.line}: ${a.text}: ${why ?? ''}`);
  if (broken.length > 0) {
    failed++;
    continue;
  }
  const files = generate(c, r);
  writeExpected(c, files);
  console.log(`golden systemd: ${c.name}: ${files.length} files`);
}
process.exit(failed ? 1 : 0);
