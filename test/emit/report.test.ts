import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport } from '../../src/emit/report.ts';
import type { Finding } from '../../src/model/finding.ts';

const SUPERVISORD_ENV = {
  file: '/etc/supervisor/supervisord.conf',
  line: 2,
  section: 'supervisord',
  key: 'environment',
};

// what an emitter returns for [supervisord] environment reaching three programs
const perProgram = (program: string): Finding => ({
  fidelity: 'APPROX',
  key: 'environment',
  message: 'environment → environment',
  origin: SUPERVISORD_ENV,
  program,
});

void test('the text report prints a finding shared by several programs once, and counts it once', () => {
  const text = formatReport([perProgram('a'), perProgram('b'), perProgram('c')], 'text');
  assert.deepEqual(text.split('\n'), [
    'APPROX /etc/supervisor/supervisord.conf:2: [supervisord] environment: environment → environment',
    '0 exact, 1 approximated, 0 not translatable',
    '',
  ]);
});

void test('findings that differ in place or message stay separate lines', () => {
  const other = {
    ...perProgram('c'),
    origin: { ...SUPERVISORD_ENV, line: 9, section: 'program:c' },
  };
  const text = formatReport([perProgram('a'), other, { ...perProgram('b'), message: 'x' }], 'text');
  assert.equal(text.split('\n').filter((l) => l.startsWith('APPROX')).length, 3);
  assert.match(text, /0 exact, 3 approximated, 0 not translatable/);
});

void test('the JSON report keeps every program (each entry names it)', () => {
  const json = JSON.parse(formatReport([perProgram('a'), perProgram('b')], 'json')) as Finding[];
  assert.deepEqual(
    json.map((f) => f.program),
    ['a', 'b'],
  );
});
