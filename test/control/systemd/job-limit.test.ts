import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobLimitMs } from '../../../src/control/systemd/manager.ts';

const s = (n: number) => BigInt(n) * 1_000_000n; // seconds → µs

test("a stop waits for the unit's TimeoutStopSec (stopwaitsecs) plus a margin", () => {
  assert.equal(jobLimitMs('StopUnit', s(90), s(300), 100_000), 310_000);
  assert.equal(jobLimitMs('StartUnit', s(200), s(300), 100_000), 210_000);
  assert.equal(jobLimitMs('RestartUnit', s(200), s(300), 100_000), 510_000);
});

test('never below the default; infinite or unknown timeouts keep the default', () => {
  assert.equal(jobLimitMs('StopUnit', s(1), s(10), 100_000), 100_000);
  assert.equal(jobLimitMs('StopUnit', s(1), 0xffffffffffffffffn, 100_000), 100_000);
  assert.equal(jobLimitMs('RestartUnit', undefined, s(500), 100_000), 100_000);
});
