/**
 * Corpus differential: every real-world config in test/fixtures/real, the
 * BK-LOG templates rendered with examples/bklog.values, and supervisor's own
 * sample.conf, read by supervisor 4.2.5 (the oracle) and by supctl's reader.
 * 100 % agreement: equal parse --json documents, or both reject.
 * Also pins the oracle to INDEX.tsv (accept/reject, message, process count).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, isError, runOracle } from '../oracle/run-oracle.ts';
import type { Answer, Verdict } from '../oracle/run-oracle.ts';
import { describe, readWithSupctl } from '../oracle/differential.ts';
import { fillPlaceholders, readValuesFile } from '../oracle/template.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REAL = join(ROOT, 'test', 'fixtures', 'real');
const BKLOG = join(ROOT, 'test', 'fixtures', 'bklog');
const SAMPLE = '/usr/lib/python3/dist-packages/supervisor/skel/sample.conf';
const ENV = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/corpus-env.json'), 'utf8')) as Record<
  string,
  string
>;
const HOST = 'corpus-host';
const VALUES = readValuesFile(join(ROOT, 'examples', 'bklog.values'));

interface IndexRow {
  file: string;
  check: string;
  mode: string;
  processes: number;
}

function readIndex(): IndexRow[] {
  const [head, ...rows] = readFileSync(join(REAL, 'INDEX.tsv'), 'utf8').trimEnd().split('\n');
  const cols = (head ?? '').split('\t');
  const at = (name: string): number => cols.indexOf(name);
  return rows.map((r) => {
    const f = r.split('\t');
    return {
      file: f[at('file')] ?? '',
      check: f[at('supervisor_check')] ?? '',
      mode: f[at('check_mode')] ?? '',
      processes: Number(f[at('processes')]),
    };
  });
}

interface Input {
  label: string;
  /** What the reader gets. */
  file: string;
  /** What python gets (a rendered copy for templates). */
  oracleFile: string;
  values?: Record<string, string>;
}

const rendered = mkdtempSync(join(tmpdir(), 'supctl-corpus-'));

function inputs(): Input[] {
  const list: Input[] = readdirSync(REAL)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => ({ label: `real/${f}`, file: join(REAL, f), oracleFile: join(REAL, f) }));
  for (const f of readdirSync(BKLOG)
    .filter((n) => n.endsWith('.tmpl'))
    .sort()) {
    const out = join(rendered, basename(f, '.tmpl'));
    writeFileSync(out, fillPlaceholders(readFileSync(join(BKLOG, f), 'utf8'), VALUES));
    list.push({ label: `bklog/${f}`, file: join(BKLOG, f), oracleFile: out, values: VALUES });
  }
  list.push({ label: 'supervisor/skel/sample.conf', file: SAMPLE, oracleFile: SAMPLE });
  return list;
}

const INPUTS = inputs();
let pythonAnswers: Answer[] | undefined;
function python(): Answer[] {
  pythonAnswers ??= runOracle(INPUTS.map((i) => ({ file: i.oracleFile, env: ENV, host: HOST })));
  return pythonAnswers;
}
const processCount = (a: Answer): number =>
  isError(a)
    ? 0
    : (a.groups as { processes: unknown[] }[]).reduce((n, g) => n + g.processes.length, 0);

void test('the corpus is complete: 53 real files listed in INDEX.tsv, 3 BK-LOG templates, sample.conf', () => {
  const listed = readIndex()
    .map((r) => r.file)
    .sort();
  const onDisk = readdirSync(REAL)
    .filter((f) => f.endsWith('.conf'))
    .sort();
  assert.equal(onDisk.length, 53);
  assert.deepEqual(listed, onDisk);
  assert.equal(INPUTS.filter((i) => i.label.startsWith('bklog/')).length, 3);
  assert.ok(existsSync(SAMPLE), `${SAMPLE} (apt-get install supervisor)`);
  // the rendered templates hold no placeholder any more
  for (const i of INPUTS.filter((x) => x.values)) {
    assert.doesNotMatch(readFileSync(i.oracleFile, 'utf8'), /\{\{|__[A-Z]/, i.label);
  }
});

void test('the oracle agrees with INDEX.tsv for all 53 real files (accept/reject, message, processes)', () => {
  const answers = python();
  const rows = readIndex();
  let checked = 0;
  for (const row of rows) {
    const idx = INPUTS.findIndex((i) => i.label === `real/${row.file}`);
    const a = answers[idx];
    assert.ok(a, row.file);
    const text = readFileSync(join(REAL, row.file), 'utf8');
    assert.equal(
      /^\[supervisord\]/mu.test(text) ? 'full' : 'fragment',
      row.mode,
      `${row.file}: check_mode`,
    );
    if (row.check === 'ACCEPT') {
      assert.ok(
        !isError(a),
        `${row.file}: INDEX says ACCEPT, the oracle says ${JSON.stringify(a)}`,
      );
      assert.equal(processCount(a), row.processes, `${row.file}: process count`);
    } else {
      const expected = row.check.replace(/^REJECT: /u, '');
      assert.ok(isError(a), `${row.file}: INDEX says REJECT, the oracle accepts`);
      // INDEX names files relative to fixtures/real
      assert.ok(
        a.error.split(`${REAL}/`).join('').includes(expected),
        `${row.file}: oracle message ${JSON.stringify(a.error)} lacks ${JSON.stringify(expected)}`,
      );
    }
    checked++;
  }
  assert.equal(checked, 53);
});

const verdicts: Verdict[] = [];
for (const [n, input] of INPUTS.entries()) {
  void test(`supctl agrees with supervisor 4.2.5: ${input.label}`, () => {
    const py = python()[n];
    assert.ok(py);
    const ours = readWithSupctl(input.file, ENV, HOST, input.values);
    const v = compare(py, ours.answer, ours.crash);
    verdicts.push(v);
    if (!v.agree) {
      const text = readFileSync(input.oracleFile, 'utf8');
      assert.fail(
        describe({
          c: { name: input.label, files: [{ path: input.label, text }], env: ENV, host: HOST },
          main: input.file,
          verdict: v,
        }),
      );
    }
  });
}

void test('corpus agreement is 100 %', () => {
  const agree = verdicts.filter((v) => v.agree).length;
  console.log(`corpus agreement ${agree}/${INPUTS.length}`);
  assert.equal(verdicts.length, INPUTS.length, 'every corpus file was compared');
  assert.equal(agree, INPUTS.length);
  // the corpus exercises both outcomes
  assert.ok(verdicts.some((v) => isError(v.python)) && verdicts.some((v) => !isError(v.python)));
  rmSync(rendered, { recursive: true, force: true });
});
