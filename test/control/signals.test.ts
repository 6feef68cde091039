import assert from 'node:assert/strict';
import { test } from 'node:test';
import { killSignal } from '../../src/control/signals.ts';

test('killSignal: a named signal by its name, a real-time one by its number, an unknown one refused', () => {
  assert.equal(killSignal('hup'), 'SIGHUP');
  assert.equal(killSignal('15'), 'SIGTERM');
  assert.equal(killSignal('40'), '40');
  assert.equal(killSignal('NOPE'), undefined);
  assert.equal(killSignal('65'), undefined);
});
