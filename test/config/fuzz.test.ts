/**
 * Robustness: whatever bytes a config holds, loadConfig returns a Deployment
 * (that toParseJson can print) or throws ConfigError. Anything else, a
 * TypeError, RangeError or stack overflow, is a bug, and so is an input that
 * takes more than a second (a catastrophic regex, a quadratic loop).
 *
 *   SUPCTL_FUZZ_SEED=n  SUPCTL_FUZZ_RUNS=n (per property, default 1500)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, toParseJson } from '../../src/config/index.ts';
import { caseArb } from './gen/config.ts';

const SEED = Number(process.env['SUPCTL_FUZZ_SEED'] ?? 4242);
const RUNS = Number(process.env['SUPCTL_FUZZ_RUNS'] ?? 1500);
const LIMIT_MS = 1000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REAL = join(ROOT, 'test', 'fixtures', 'real');

const dir = mkdtempSync(join(tmpdir(), 'supctl-fuzz-'));
mkdirSync(join(dir, 'conf.d'));
writeFileSync(join(dir, 'conf.d', 'a.conf'), '[program:inc]\ncommand=/bin/inc %(here)s\n');
const FILE = join(dir, 'main.conf');
const ENV = { HOME: '/home/u', N: '2', W: 'two words' };

type Outcome = 'ok' | 'rejected';

/** Loads `content`; throws (fails the property) on anything but ConfigError or on a slow read. */
function check(content: string | Uint8Array): Outcome {
  writeFileSync(FILE, content);
  const once = (): { outcome: Outcome; ms: number } => {
    const t0 = performance.now();
    let outcome: Outcome = 'ok';
    try {
      JSON.stringify(toParseJson(loadConfig(FILE, { env: ENV, hostNodeName: 'fuzz' })));
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        const what = err instanceof Error ? (err.stack ?? err.message) : String(err);
        throw new Error(`loadConfig threw a non-ConfigError: ${what}`, { cause: err });
      }
      outcome = 'rejected';
    }
    return { outcome, ms: performance.now() - t0 };
  };
  const first = once();
  // a busy machine can stall one run: only a repeatable slow read is a finding
  if (first.ms > LIMIT_MS) {
    const again = once();
    if (again.ms > LIMIT_MS) throw new Error(`took ${Math.round(again.ms)} ms (> ${LIMIT_MS} ms)`);
  }
  return first.outcome;
}

const outcomes: Record<string, Record<Outcome, number>> = {};
function property<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  toContent: (v: T) => string | Uint8Array,
  runs = RUNS,
): void {
  void test(`fuzz: ${name} never crash the reader nor take > ${LIMIT_MS} ms`, () => {
    const count: Record<Outcome, number> = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(arb, (v) => {
        count[check(toContent(v))]++;
      }),
      { seed: SEED, numRuns: runs },
    );
    outcomes[name] = count;
  });
}

/** Characters that mean something to the dialect, plus unicode and control characters. */
const NASTY = [
  '%',
  '%%',
  '(',
  ')',
  '%(',
  ')s',
  '%(process_num)d',
  '%(here)s',
  '%(ENV_N)s',
  '[',
  ']',
  '=',
  ':',
  ';',
  ' ;',
  '#',
  ' #',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  '"',
  "'",
  '\\',
  ',',
  '\x00',
  '\x1f',
  '\x85',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\u{10ffff}',
  '\u{1f600}',
  'é',
  '[program:x]',
  '[supervisord]',
  '[include]',
  'files=*',
  'numprocs=2',
  'process_name=%(process_num)d',
  'command=',
  'environment=',
  '[group:g]',
  'programs=x',
  '[DEFAULT]',
  '[fcgi-program:f]',
  'socket=',
  '[eventlistener:e]',
  'events=',
  '__X__',
  '{{.x}}',
];
const nastyString = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { maxLength: 60 })
  .map((a) => a.join(''));

property('arbitrary unicode strings', fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => s);
property('arbitrary bytes', fc.uint8Array({ maxLength: 400 }), (b) => b);
property('strings of dialect tokens', nastyString, (s) => s);
property(
  'tokens after a valid header',
  nastyString,
  (s) => `[supervisord]\n[program:x]\ncommand=/bin/x\n${s}`,
);

/** Real and generated configs with edits: deleted, inserted, duplicated and swapped spans. */
const realTexts = readdirSync(REAL)
  .filter((f) => f.endsWith('.conf'))
  .map((f) => readFileSync(join(REAL, f), 'utf8'));
const seedText = fc.oneof(
  fc.constantFrom(...realTexts),
  caseArb(0).map((c) => c.files[0]?.text ?? ''),
);
const edit = fc.tuple(
  fc.nat(),
  fc.nat({ max: 40 }),
  fc.oneof(fc.constantFrom(...NASTY), fc.constant(''), fc.string({ maxLength: 8 })),
);
const mangled = fc
  .tuple(seedText, fc.array(edit, { minLength: 1, maxLength: 8 }))
  .map(([text, edits]) =>
    edits.reduce((t, [at, len, ins]) => {
      const i = t.length ? at % t.length : 0;
      return t.slice(0, i) + ins + t.slice(i + len);
    }, text),
  )
  // supervisor itself loops numprocs times: a huge numprocs is slow in both, not a finding
  .filter((t) => !/numprocs[ \t]*[=:][ \t]*[+]?\d{5,}/iu.test(t));
property('mangled real and generated configs', mangled, (s) => s);

/** Pathological sizes for regexes and recursion. */
const big = (n: number): string => String(n);
const PATHOLOGICAL: string[] = [
  'a'.repeat(100_000) + '=',
  '['.repeat(50_000),
  '[supervisord]\n' + ' '.repeat(100_000) + 'x',
  '[supervisord]\n[program:x]\ncommand=' + '%('.repeat(20_000),
  '[supervisord]\n[program:x]\ncommand=%(' + '('.repeat(20_000) + 'a' + ')'.repeat(20_000) + ')s',
  '[supervisord]\n[program:x]\ncommand=' + '"'.repeat(50_001),
  '[supervisord]\n[program:x]\ncommand=x\n' + '  y\n'.repeat(20_000),
  '[supervisord]\n[program:x]\ncommand=x\nenvironment=' + 'A=1,'.repeat(20_000),
  '[supervisord]\n[program:x]\ncommand=x\nenvironment=' + 'A'.repeat(100_000),
  '[supervisord]\n[program:x]\ncommand=x\nenvironment=A="' + '\\"'.repeat(30_000),
  '[supervisord]\n[program:x]\ncommand=x\nexitcodes=' + '0,'.repeat(30_000) + '0',
  '[supervisord]\n' + '[program:p]\ncommand=x\n'.repeat(5_000),
  '[supervisord]\n' +
    Array.from({ length: 3_000 }, (_, i) => `[program:p${i}]\ncommand=x ${i}\n`).join(''),
  '[supervisord]\n[include]\nfiles=' + 'conf.d/*.conf '.repeat(2_000),
  '[supervisord]\n[include]\nfiles=' + '*'.repeat(2_000) + 'x',
  '[supervisord]\n[include]\nfiles=conf.d/' + '[!'.repeat(5_000),
  '[supervisord]\n[eventlistener:e]\ncommand=x\nevents=' + 'TICK_5,'.repeat(20_000) + 'TICK_5',
  '[supervisord]\n[program:x]\ncommand=%(process_num)0' + big(2 ** 31) + 'd',
  '[supervisord]\n[program:x]\ncommand=%(process_num).' + big(2 ** 31) + 'f',
  '[supervisord]\n[program:x]\ncommand=%(process_num)0' + '9'.repeat(400) + 'd',
  '[supervisord]\n[program:x]\ncommand=x\npriority=' + '9'.repeat(5_000),
  '[supervisord]\n[program:x]\ncommand=x\nstdout_logfile_maxbytes=' + '9'.repeat(5_000) + 'GB',
  '[supervisord]\n[program:x]\ncommand=x\numask=' + '7'.repeat(5_000),
  '[supervisord]\n[program:x]\ncommand=x\nstopsignal=' + 'S'.repeat(100_000),
  '[supervisord]\n[fcgi-program:f]\ncommand=x\nsocket=tcp://' +
    'h'.repeat(100_000) +
    ':' +
    '1'.repeat(5_000),
  '[supervisord]\n[fcgi-program:f]\ncommand=x\nsocket=unix:///' + 'a/../'.repeat(20_000),
  '[supervisord]\n[program:x]\ncommand=x\nprocess_name=%(process_num)d\nnumprocs=2000',
  '[group:g]\nprograms=' + 'x,'.repeat(20_000) + 'x',
  '[supervisord]\n' + ';'.repeat(100_000),
  '\r'.repeat(100_000),
  '[supervisord]\nenvironment=' + '%%'.repeat(50_000),
];

void test(`fuzz: ${PATHOLOGICAL.length} pathological inputs neither crash nor take > ${LIMIT_MS} ms`, () => {
  const failures: string[] = [];
  PATHOLOGICAL.forEach((text, i) => {
    try {
      check(text);
    } catch (err) {
      failures.push(
        `#${i} ${JSON.stringify(text.slice(0, 80))}…: ${(err as Error).message.slice(0, 400)}`,
      );
    }
  });
  assert.deepEqual(failures, []);
});

void test('fuzz: the inputs reached both outcomes (the properties are not vacuous)', () => {
  const totals = Object.values(outcomes);
  assert.ok(totals.length >= 5, 'every property ran');
  assert.ok(totals.reduce((n, c) => n + c.ok, 0) > RUNS / 10, JSON.stringify(outcomes));
  assert.ok(totals.reduce((n, c) => n + c.rejected, 0) > RUNS / 10, JSON.stringify(outcomes));
  rmSync(dir, { recursive: true, force: true });
});
