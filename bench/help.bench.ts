/**
 * Cold start: `supctl --help` vs `supervisorctl -c CONF help` (help needs no
 * daemon), with `node -e 0` as the floor for any Node CLI. Whole process,
 * alternating, median of RUNS (≥ 7).
 *   node --import tsx bench/help.bench.ts [RUNS]
 * Writes bench/results/help.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPCTL, machine, median, range, ratio, run, sec, version, writeResult } from './lib.ts';

const RUNS = Math.max(7, Number(process.argv[2] ?? 11));
const atStart = machine();
const dir = mkdtempSync(join(tmpdir(), 'supctl-bench-help-'));
const conf = join(dir, 'supervisord.conf');
writeFileSync(conf, `[supervisorctl]\nserverurl=unix://${dir}/none.sock\n`);
try {
  const cmds: [string, string, string[]][] = [
    ['supctl --help', SUPCTL, ['--help']],
    ['supctl --version', SUPCTL, ['--version']],
    ['supervisorctl help', 'supervisorctl', ['-c', conf, 'help']],
    ['node -e 0', process.execPath, ['-e', '0']],
  ];
  const t: number[][] = cmds.map(() => []);
  for (const [, c, a] of cmds) run(c, a);
  for (let i = 0; i < RUNS; i++) cmds.forEach(([, c, a], k) => t[k]!.push(run(c, a).ms));
  const m = t.map(median);
  const base = m[2]!;
  writeResult(
    'help',
    'cold start (issue 5)',
    [
      `Measured ${new Date().toISOString()}; ${atStart} at start; median of ${RUNS} whole-process runs each, alternating (one warm-up each, not counted). Node ${process.version}; supervisor ${version('supervisord', ['--version'])}. No target in the issue; reported for comparison.`,
    ],
    [
      `| command | median | min – max | vs supervisorctl help |`,
      `|---|---:|---:|---:|`,
      ...cmds.map(
        ([l], k) => `| \`${l}\` | ${sec(m[k]!)} | ${range(t[k]!)} | ${ratio(m[k]!, base)} |`,
      ),
    ],
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
