/**
 * `supctl --backend docker status` of 50 containers (created by
 * `supctl --backend docker apply`) vs Debian's `docker-compose ps` (1.29.2, on
 * the compose file `supctl convert --to compose` writes for the same config)
 * vs `docker ps --filter label=com.docker.compose.project=P`. Whole process,
 * alternating, median of RUNS (≥ 7). Target: supctl ≤ 0.5x docker-compose.
 *   node --import tsx bench/docker-status.bench.ts [RUNS]   (harness env loaded)
 * Writes bench/results/docker-status.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DOCKER,
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
const N = 50;
const P = 'bds';
needHarness();
const IMAGE = process.env['SUPCTL_TEST_IMAGE']!;
const atStart = machine();
const dir = mkdtempSync(join(tmpdir(), 'supctl-bench-docker-'));
const conf = join(dir, `${P}.conf`);
writeFileSync(conf, sleepers(N, 'c'));
const composeDir = join(dir, 'compose');
const composeFile = join(composeDir, 'compose.yaml');
const D = ['--backend', 'docker'];
let applied = false;
try {
  const a = run(SUPCTL, [...D, 'apply', conf, '--image', IMAGE, '--name', P]);
  applied = true;
  console.error(`supctl --backend docker apply of ${N}: ${sec(a.ms)}`);
  run(SUPCTL, [
    'convert',
    conf,
    '--to',
    'compose',
    '--out',
    composeDir,
    '--name',
    P,
    '--image',
    IMAGE,
  ]);
  await until(
    'supctl docker: all RUNNING',
    () => run(SUPCTL, [...D, 'status', '--name', P]).ms > 0,
  );

  const cmds: [string, string, string[]][] = [
    ['supctl --backend docker status', SUPCTL, [...D, 'status', '--name', P]],
    ['docker-compose ps', 'docker-compose', ['-p', P, '-f', composeFile, 'ps']],
    [
      'docker ps --filter label=…',
      DOCKER,
      ['ps', '--filter', `label=com.docker.compose.project=${P}`],
    ],
    ['supctl --version (start-up only)', SUPCTL, ['--version']],
  ];
  // sanity: every tool sees the 50 containers of the project
  const lines = (s: string): number =>
    s.split('\n').filter((l) => l.includes(P) || /^c\d{3}\s/.test(l)).length;
  const seen = cmds.map(([, c, args]) => lines(run(c, args).out));
  if (seen[0] !== N || seen[1]! < N || seen[2]! < N)
    throw new Error(`containers seen: ${seen.join(', ')}, want ${N}`);

  const t: number[][] = cmds.map(() => []);
  for (const [, c, args] of cmds) run(c, args); // warm-up, not counted
  for (let i = 0; i < RUNS; i++) cmds.forEach(([, c, args], k) => t[k]!.push(run(c, args).ms));
  const m = t.map(median);
  const base = m[1]!;
  writeResult(
    'docker-status',
    `Docker: status of ${N} containers (issue 6)`,
    [
      `Measured ${new Date().toISOString()}; ${atStart} at start; median of ${RUNS} whole-process runs each, alternating (one warm-up each, not counted).`,
      `The harness's private dockerd (${version(DOCKER, ['version', '--format', 'Docker {{.Server.Version}}'])}, vfs); ${N} \`/bin/sleep 100000\` containers of ${IMAGE} created by \`supctl --backend docker apply\` (${sec(a.ms)} to create and start them). Peer: Debian's docker-compose ${version('docker-compose', ['version', '--short'])} on the compose file from \`supctl convert --to compose\`; floor: one \`docker ps\` list call; \`supctl --version\` (Node start-up + loading the CLI, no daemon) is shown for information.`,
      '',
      `**Target supctl ≤ 0.5x docker-compose: ${m[0]! <= 0.5 * base ? 'met' : 'MISSED'} (${ratio(m[0]!, base)}).**`,
    ],
    [
      `| command (${N} containers, all running) | median | min – max | vs docker-compose ps |`,
      `|---|---:|---:|---:|`,
      ...cmds.map(
        ([l], k) => `| \`${l}\` | ${sec(m[k]!)} | ${range(t[k]!)} | ${ratio(m[k]!, base)} |`,
      ),
    ],
  );
} finally {
  if (applied) {
    try {
      run(SUPCTL, [...D, 'remove', '--name', P]);
    } catch (e) {
      console.error(String(e));
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
