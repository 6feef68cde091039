/**
 * Generated differential test: thousands of generated configs (test/config/gen)
 * through supervisor 4.2.5's parser (one python process) and supctl's reader.
 * 100 % agreement required: equal parse --json documents, or both reject.
 *
 *   SUPCTL_DIFF_SEED=n   another deterministic sample (default 20241126)
 *   SUPCTL_DIFF_COUNT=n  how many configs (default 2000)
 *   SUPCTL_DIFF_KEEP=1   keep the temp dir of configs
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  configCaseArb,
  FCGI_KEYS,
  LISTENER_KEYS,
  PROGRAM_KEYS,
  SUPERVISORD_KEYS,
} from './gen/config.ts';
import { EDGE_CASES } from './gen/edge-cases.ts';
import { describe, runCases, shrinkCase } from '../oracle/differential.ts';
import type { CaseResult } from '../oracle/differential.ts';
import type { Case } from '../oracle/cases.ts';
import { isError } from '../oracle/run-oracle.ts';

const SEED = Number(process.env['SUPCTL_DIFF_SEED'] ?? 20241126);
const COUNT = Number(process.env['SUPCTL_DIFF_COUNT'] ?? 2000);
const KEEP = process.env['SUPCTL_DIFF_KEEP'] === '1';
/** Time given to shrinking the first disagreements before reporting them. */
const SHRINK_MS = 20_000;

const cases: Case[] = fc
  .sample(configCaseArb, { seed: SEED, numRuns: COUNT })
  .map((s, i) => ({ name: `c${String(i).padStart(5, '0')}`, ...s }));
const edges: Case[] = EDGE_CASES.map((s, i) => ({ name: `e${String(i).padStart(3, '0')}`, ...s }));

interface Proc {
  name: string;
  environment: Record<string, string> | null;
  stdout_syslog: boolean;
  argv: string[] | null;
}
interface Grp {
  type: string;
  processes: Proc[];
}

let results: CaseResult[] = [];

void test(`${COUNT} generated configs and ${edges.length} edge cases: supctl agrees with supervisor 4.2.5 (seed ${SEED})`, () => {
  const root = mkdtempSync(join(tmpdir(), 'supctl-diff-'));
  const all = runCases(root, [...cases, ...edges]);
  results = all.slice(0, cases.length);
  const bad = all.filter((r) => !r.verdict.agree);
  const agree = (rs: CaseResult[]): number => rs.filter((r) => r.verdict.agree).length;
  const accepted = results.filter((r) => !isError(r.verdict.python)).length;
  console.log(
    `generated agreement ${agree(results)}/${results.length} ` +
      `(python accepted ${accepted}, rejected ${results.length - accepted}; seed ${SEED}); ` +
      `edge cases ${agree(all.slice(cases.length))}/${edges.length}`,
  );
  if (bad.length === 0) {
    if (!KEEP) rmSync(root, { recursive: true, force: true });
    return;
  }
  const deadline = Date.now() + SHRINK_MS;
  const reports = bad.slice(0, 3).map((r) => {
    const small = shrinkCase(root, r.c, deadline);
    return small ? `${describe(small)}\n(shrunk from ${r.c.name})` : describe(r);
  });
  const crashes = bad.filter((r) => r.verdict.crash !== undefined).length;
  assert.fail(
    `${bad.length} of ${all.length} configs disagree (${crashes} crashed the reader); ` +
      `configs kept in ${root}; first ones:\n\n${reports.join('\n\n')}`,
  );
});

void test('the generated configs cover every key, both outcomes and the dialect corners', () => {
  assert.ok(results.length === COUNT, 'the differential test ran first');
  const texts = cases.flatMap((c) => c.files.map((f) => f.text));
  const all = texts.join('\n');
  const keys = new Set([
    ...Object.keys(PROGRAM_KEYS),
    ...Object.keys(FCGI_KEYS),
    ...Object.keys(LISTENER_KEYS),
    ...Object.keys(SUPERVISORD_KEYS),
    'programs',
    'files',
    'port',
    'chmod',
    'chown',
  ]);
  for (const key of keys) {
    const re = new RegExp(`^${key.replace('.', '\\.')}[ \\t]*[=:]`, 'imu');
    assert.ok(re.test(all), `no generated config sets ${key}`);
  }
  const corners: Record<string, RegExp> = {
    crlf: /\r\n/u,
    'lone CR': /\r[^\n]/u,
    'inline ; comment': / ;/u,
    'glued ;': /\S;glued/u,
    'continuation line': /\n[ \t]+\S/u,
    'blank line inside a value': /=.*\n\n[ \t]+\S/u,
    'upper-case key': /^[A-Z_]+[ \t]*=/mu,
    ': delimiter': /^[a-z_]+[ \t]*:/mu,
    '[DEFAULT]': /^\[DEFAULT\]/mu,
    '[include]': /^\[include\]/mu,
    '%%': /%%/u,
    'process_num format': /%\(process_num\)02d/u,
    'ENV expansion': /%\(ENV_[A-Z]+\)s/u,
    'here expansion': /%\(here\)s/u,
    unicode: /[^\p{ASCII}]/u,
    BOM: /^\ufeff/u,
    'quoted value': /"[^"\n]* [^"\n]*"/u,
    'section with a space after the colon': /^\[program: /mu,
    'case of a section name': /^\[PROGRAM:/mu,
  };
  for (const [name, re] of Object.entries(corners)) {
    assert.ok(
      texts.some((t) => re.test(t)),
      `no generated config has: ${name}`,
    );
  }
  const fragments = cases.filter((c) => !/^\ufeff?\[supervisord\]/mu.test(c.files[0]?.text ?? ''));
  assert.ok(fragments.length > COUNT / 20, `fragments: ${fragments.length}`);
  assert.ok(
    cases.some((c) => c.files.length > 2),
    'cases with several included files',
  );

  // what python made of them: both outcomes, every group type, the interesting values
  const ok = results
    .map((r) => r.verdict.python)
    .filter((a): a is { groups: unknown[] } => !isError(a));
  const share = ok.length / results.length;
  assert.ok(share > 0.35 && share < 0.8, `python accepted ${Math.round(share * 100)} %`);
  const groups = ok.flatMap((a) => a.groups as Grp[]);
  for (const t of ['program', 'fcgi-program', 'eventlistener']) {
    assert.ok(groups.filter((g) => g.type === t).length > 20, `accepted ${t} groups`);
  }
  const procs = groups.flatMap((g) => g.processes);
  assert.ok(
    groups.some((g) => g.processes.length > 1),
    'a group with several processes (numprocs or [group:x])',
  );
  assert.ok(
    procs.some((p) => Object.keys(p.environment ?? {}).length > 1),
    'environments',
  );
  assert.ok(
    procs.some((p) => p.stdout_syslog),
    'syslog',
  );
  assert.ok(
    procs.some((p) => p.argv === null),
    'a command shlex cannot split',
  );
  assert.ok(
    ok.some((a) => a.groups.length > 3),
    'configs with several groups (from included files)',
  );
});
