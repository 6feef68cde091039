/**
 * Parse goldens: the cases of the parse suites (test/golden/bklog/, read by
 * the shared loader test/support/golden.ts) with expected/parse.json beside
 * each, what `supctl parse --json` must print. Used by
 * test/config/golden.test.ts (compare) and scripts/golden.ts (regenerate).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as golden from '../support/golden.ts';
import { runOracle } from './run-oracle.ts';
import type { Answer } from './run-oracle.ts';
import { fillPlaceholders, readValuesFile } from './template.ts';

export const REPO = golden.REPO;
export type { CaseSpec } from '../support/golden.ts';

/** The suites whose cases are parse goldens. */
const PARSE_SUITES = ['bklog'];

export interface GoldenCase extends golden.GoldenCase {
  /** e.g. bklog/api */
  name: string;
  expectedParse: string;
}

/** Every parse golden, sorted by name. */
export function goldenCases(): GoldenCase[] {
  return PARSE_SUITES.flatMap((suite) =>
    golden.goldenCases(suite).map((c) => ({
      ...c,
      name: `${suite}/${c.id}`,
      expectedParse: join(c.expectedDir, 'parse.json'),
    })),
  );
}

const cliEnv = (c: GoldenCase): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  ...(c.spec.env ?? {}),
});

/** `supctl parse INPUT [--values FILE] --json`, run from the sources; stdout, stderr, status. */
export function cliParse(c: GoldenCase): { stdout: string; stderr: string; status: number | null } {
  const args = ['parse', c.input, '--json'];
  const values = golden.valuesFile(c);
  if (values !== undefined) args.push('--values', values);
  const script =
    "const { main } = await import('./src/cli/main.ts');" +
    `await main(['node', 'supctl', ...${JSON.stringify(args)}]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    env: cliEnv(c),
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** supervisor 4.2.5's answer for every case (templates rendered into a temp copy first). */
export function oracleAnswers(cases: readonly GoldenCase[]): Answer[] {
  const tmp = mkdtempSync(join(tmpdir(), 'supctl-golden-'));
  const files = cases.map((c, i) => {
    const vf = golden.valuesFile(c);
    if (vf === undefined) return c.input;
    const values = readValuesFile(vf);
    const out = join(tmp, String(i), basename(c.input));
    const text = fillPlaceholders(readFileSync(c.input, 'utf8'), values);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    return out;
  });
  try {
    return runOracle(
      cases.map((c, i) => ({ file: files[i] ?? '', env: cliEnv(c), host: hostname() })),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
