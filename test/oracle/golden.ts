/**
 * Golden cases: test/golden/<suite>/<case>/case.json describes one input, and
 * expected/ beside it holds what supctl must print for it (parse.json today;
 * later suites add e.g. expected/systemd/*.service with their own checks).
 * Used by test/config/golden.test.ts (compare) and scripts/golden.ts (regenerate).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOracle } from './run-oracle.ts';
import type { Answer } from './run-oracle.ts';
import { fillPlaceholders, readValuesFile } from './template.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const GOLDEN_ROOT = join(REPO, 'test', 'golden');

/** case.json: paths are relative to the repository root, except `input` (to the case dir). */
export interface CaseSpec {
  description?: string;
  /** The config file in the case dir, given to `supctl parse`. */
  input: string;
  /** Where the input is copied from, kept byte-identical (e.g. ../shared/fixtures/...). */
  source?: string;
  /** A values file for template placeholders (`--values`). */
  values?: string;
  /** Environment for supervisord / supctl (the source of %(ENV_X)s). */
  env?: Record<string, string>;
}

export interface GoldenCase {
  /** e.g. bklog/api */
  name: string;
  dir: string;
  spec: CaseSpec;
  input: string;
  expectedParse: string;
}

/** Every case.json under test/golden, sorted by name. */
export function goldenCases(root = GOLDEN_ROOT): GoldenCase[] {
  const specs = (readdirSync(root, { recursive: true }) as string[])
    .filter((p) => basename(p) === 'case.json')
    .sort();
  return specs.map((p) => {
    const dir = join(root, dirname(p));
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseSpec;
    return {
      name: dirname(p),
      dir,
      spec,
      input: join(dir, spec.input),
      expectedParse: join(dir, 'expected', 'parse.json'),
    };
  });
}

const cliEnv = (c: GoldenCase): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  ...(c.spec.env ?? {}),
});

/** `supctl parse INPUT [--values FILE] --json`, run from the sources; stdout, stderr, status. */
export function cliParse(c: GoldenCase): { stdout: string; stderr: string; status: number | null } {
  const args = ['parse', c.input, '--json'];
  if (c.spec.values) args.push('--values', resolve(REPO, c.spec.values));
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
    if (!c.spec.values) return c.input;
    const values = readValuesFile(resolve(REPO, c.spec.values));
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
