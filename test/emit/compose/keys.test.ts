import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROGRAM_KEYS } from '../../../src/emit/compose/keys.ts';
import { SECTION_KEYS } from '../../../src/emit/compose/section-keys.ts';
import type { ProcessField } from '../../../src/model/process.ts';
import { proc } from './build.ts';

// Fields of the model that are not config keys (derived or identity).
const NOT_KEYS = new Set<string>(['name', 'argv']);

void test('every config key of the process model has a row in the compose key table', () => {
  const fields = Object.keys(proc({ name: 'x' })).filter(
    (k) => !['program', 'processNum', 'instance', 'origins'].includes(k),
  ) as ProcessField[];
  const missing = fields.filter((f) => !NOT_KEYS.has(f) && !(f in PROGRAM_KEYS));
  assert.deepEqual(missing, []);
});

void test('every row says what the key becomes and how faithful it can be', () => {
  for (const [key, rule] of [...Object.entries(PROGRAM_KEYS), ...Object.entries(SECTION_KEYS)]) {
    assert.ok(rule.target.length > 0, key);
    assert.ok(['EXACT', 'APPROX', 'NONE'].includes(rule.best), key);
  }
});
