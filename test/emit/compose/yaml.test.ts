import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { toYaml } from '../../../src/emit/compose/yaml.ts';

// Strings YAML 1.1 readers (PyYAML, docker-compose 1.29.2) turn into something else when plain.
const TRAPS = [
  'on',
  'ON',
  'off',
  'yes',
  'Yes',
  'no',
  'NO',
  'y',
  'n',
  'true',
  'False',
  'null',
  '~',
  '',
  '10:20',
  '1:2:3',
  '0o17',
  '017',
  '0x1F',
  '1_000',
  '1e3',
  '.5',
  '.inf',
  '-.Inf',
  '.nan',
  '2001-12-14',
  '=',
  '<<',
  '- x',
  '#x',
  'a: b',
  '@x',
  '`x',
  '!x',
  '&x',
  '*x',
  '%x',
  '|',
  '>',
  "'",
  '"',
  '\\',
  'tab\there',
  'nl\nhere',
  ' lead',
  'trail ',
  '\u00e9\u4e2d',
  '$x',
];

const PY_READ = `
import json, sys, yaml
print(json.dumps(yaml.safe_load(sys.stdin.read())))
`;

function pyyaml(text: string): unknown {
  // Debian's python3 has PyYAML, the YAML 1.1 reader docker-compose 1.29.2 uses
  const out = execFileSync('/usr/bin/python3', ['-c', PY_READ], { input: text });
  return JSON.parse(out.toString('utf8')) as unknown;
}

void test('YAML 1.1 traps stay strings for PyYAML, yaml 1.1 and yaml 1.2 (values and keys)', () => {
  const value = {
    list: TRAPS,
    map: Object.fromEntries(TRAPS.filter((t) => t !== '').map((t, i) => [t, `${i}`])),
  };
  const text = toYaml(value);
  assert.deepEqual(pyyaml(text), value);
  assert.deepEqual(parse(text, { version: '1.1' }), value);
  assert.deepEqual(parse(text, { version: '1.2' }), value);
});

void test('plain keys are only those every reader reads back unchanged', () => {
  const written = (k: string): string => toYaml({ [k]: 1 }).trimEnd();
  assert.equal(written('services'), 'services: 1');
  assert.equal(written('io.supctl.project'), 'io.supctl.project: 1');
  for (const k of ['on', 'Yes', 'y', 'N', '10:20', '0o17', 'a b', '1x', '']) {
    assert.equal(written(k), `${JSON.stringify(k)}: 1`, k);
  }
});

void test('random strings round-trip through PyYAML and yaml (fast-check, fixed seed)', () => {
  const samples = fc.sample(
    fc.dictionary(
      fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
      fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 4 }),
    ),
    { seed: 20261126, numRuns: 150 },
  );
  // surrogate halves cannot be encoded in UTF-8: not a config value
  const clean = samples.map((s) =>
    Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, v.map((x) => x.replace(/[\ud800-\udfff]/g, '?'))]),
    ),
  );
  const text = toYaml({ samples: clean });
  assert.deepEqual(pyyaml(text), { samples: clean });
  assert.deepEqual(parse(text, { version: '1.2' }), { samples: clean });
});
