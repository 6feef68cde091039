/**
 * Rewrites test/golden/compose/<case>/expected/ from the current emitter
 * (`make golden`). Review the diff before committing it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listCases, runCase } from '../test/emit/compose/golden-lib.ts';

const cases = listCases();
for (const dir of cases) {
  const out = runCase(dir);
  const expected = join(dir, 'expected');
  rmSync(expected, { recursive: true, force: true });
  for (const [path, f] of out.files) {
    const target = join(expected, path);
    mkdirSync(dirname(target), { recursive: true });
    // modes are checked by the test from the emitter itself; goldens stay readable
    writeFileSync(target, f.content);
  }
  console.log(`golden compose/${basename(dir)}: ${out.files.size} files`);
}
console.log(`${cases.length} compose golden cases written`);
