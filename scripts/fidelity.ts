/**
 * `make fidelity`: runs the behaviour matrix (test/fidelity/) under the real
 * supervisord, the generated systemd units and the generated containers on
 * the harness (test/harness/up.sh), and writes FIDELITY.md.
 *
 *   node --import tsx scripts/fidelity.ts [--out FILE] [SCENARIO_ID...]
 *
 * Exits 1 when an EXACT claim is contradicted (listed on stderr); the file
 * is written either way, so the contradiction can be read there.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { harness } from '../test/integration/harness.ts';
import { renderFidelity } from '../test/fidelity/render.ts';
import { contradictions, runMatrix } from '../test/fidelity/run.ts';
import { SCENARIOS } from '../test/fidelity/scenarios.ts';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args.splice(outAt, 2)[1]! : 'FIDELITY.md');
const unknown = args.filter((a) => !SCENARIOS.some((s) => s.id === a));
if (unknown.length > 0) {
  console.error(
    `fidelity: no scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(' ')}`,
  );
  process.exit(2);
}
const chosen = args.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => args.includes(s.id));
const matrix = await runMatrix(harness(), chosen);
const tmp = `${out}.tmp`;
writeFileSync(tmp, renderFidelity(matrix, new Date()));
renameSync(tmp, out);
console.log(
  `fidelity: wrote ${out} (${matrix.rows.length} rows, ${matrix.wallSeconds.toFixed(0)} s)`,
);
const bad = contradictions(matrix.rows);
for (const c of bad) {
  console.error(
    `fidelity: EXACT claim contradicted: ${c.scenario} / ${c.runtime} / ${c.key} (${c.what}${c.proc === undefined ? '' : ` of ${c.proc}`}): expected ${c.expected}, got ${c.got}`,
  );
}
process.exit(bad.length > 0 ? 1 : 0);
