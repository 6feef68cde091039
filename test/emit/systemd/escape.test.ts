import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  INSTANCE,
  envFileLine,
  execLine,
  quoteExecArg,
  systemdEscape,
  unitName,
} from '../../../src/emit/systemd/escape.ts';
import { templateOf } from '../../../src/emit/systemd/instance.ts';

void test('ExecStart quoting: %, $, quotes, backslashes, a lone ;, control characters', () => {
  assert.equal(quoteExecArg('a%b$c'), '"a%%b$$c"');
  assert.equal(quoteExecArg('say "hi" \\'), '"say \\"hi\\" \\\\"');
  assert.equal(quoteExecArg(';'), '\\;');
  assert.equal(quoteExecArg('a\nb\x01'), '"a\\nb\\x01"');
  assert.equal(quoteExecArg(`web_${INSTANCE}`), '"web_%i"');
  assert.equal(
    execLine('/usr/bin/python3', ['python3', '-V']),
    '@"/usr/bin/python3" "python3" "-V"',
  );
  assert.equal(execLine('/bin/sleep', ['/bin/sleep', '1']), '"/bin/sleep" "1"');
});

void test('EnvironmentFile lines escape the double-quote specials only', () => {
  assert.equal(envFileLine('A', 'x "$y" `z` \\ %'), 'A="x \\"\\$y\\" \\`z\\` \\\\ %"');
});

void test('systemdEscape agrees with the real systemd-escape (400 random strings)', () => {
  const samples = fc.sample(
    fc.string({
      unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_', ':', ' ', '/', '\\', 'é', '@', '%'),
      minLength: 1,
      maxLength: 12,
    }),
    { seed: 7, numRuns: 400 },
  );
  const real = execFileSync('systemd-escape', ['--', ...samples], { encoding: 'utf8' })
    .split(' ')
    .map((s) => s.trim());
  samples.forEach((s, i) => assert.equal(systemdEscape(s), real[i], JSON.stringify(s)));
});

void test('unit names keep "-", escape the rest, and stay ≤255 and stable', () => {
  assert.equal(unitName('proj', 'my-app+v2@x', '.service'), 'proj-my-app\\x2bv2\\x40x.service');
  const long = unitName('p', 'x'.repeat(400), '.service');
  assert.ok(long.length <= 255);
  assert.equal(long, unitName('p', 'x'.repeat(400), '.service'));
  assert.notEqual(long, unitName('p', 'x'.repeat(401), '.service'));
});

void test('per-process values become templates on the instance strings', () => {
  assert.equal(templateOf(['8000', '8001'], ['00', '01']), `80${INSTANCE}`);
  assert.equal(templateOf(['a', 'b'], ['0', '1']), null);
});
