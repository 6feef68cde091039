/**
 * The behaviour matrix (test/fidelity/, FIDELITY.md): every scenario under
 * the real supervisord, the generated systemd units and the generated
 * containers. Fails when a key table claims EXACT for a key and the runtime
 * did something else than supervisord, naming scenario, runtime and key;
 * and when supervisord itself does not do what the scenario table expects
 * (the table would be wrong). `make fidelity` runs the same and writes
 * FIDELITY.md.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contradictions, runMatrix } from '../fidelity/run.ts';
import { SCENARIOS } from '../fidelity/scenarios.ts';
import { describeWithHarness } from './harness.ts';

describeWithHarness('fidelity matrix', (h) => {
  void test('no EXACT claim is contradicted by what its runtime did', async () => {
    const m = await runMatrix(h, SCENARIOS);
    assert.equal(
      m.rows.length,
      SCENARIOS.map((s) => s.measures.length).reduce((a, b) => a + b),
    );
    const bad = contradictions(m.rows).map(
      (c) =>
        `${c.scenario} / ${c.runtime} / ${c.key} (${c.what}${c.proc === undefined ? '' : ` of ${c.proc}`}): expected ${c.expected}, got ${c.got}`,
    );
    assert.deepEqual(bad, [], `EXACT claims contradicted:\n${bad.join('\n')}`);
  });
});
