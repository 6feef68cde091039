/**
 * Regenerates test/golden/systemd/<case>/expected/ from each case's input
 * (`make golden`); review the diff before committing.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomically } from '../src/emit/write.ts';
import { generate, goldenCases } from '../test/emit/systemd/golden-cases.ts';

for (const c of goldenCases()) {
  const out = join(c.dir, 'expected');
  rmSync(out, { recursive: true, force: true });
  const files = generate(c).map((f) => ({ ...f, mode: 0o644 }));
  writeFilesAtomically(out, files);
  console.log(`golden systemd: ${c.name}: ${files.length} files`);
}
