/**
 * `supctl parse` vs supervisor 4.2.5's own parse of the same generated
 * configs, whole process, alternating runs, median of RUNS.
 *   node --import tsx bench/parse.bench.ts [RUNS]
 * Prints a markdown table and writes it to bench/results/parse.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateConfig } from './gen-config.ts';

const RUNS = Number(process.argv[2] ?? 7);
const SIZES = [100, 1000, 5000];

function timeOnce(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'supctl-bench-'));
mkdirSync(join(dir, 'logs'));
const rows: string[] = [];
let ratioAtLargest = NaN;
try {
  for (const n of SIZES) {
    const file = join(dir, `programs-${n}.conf`);
    writeFileSync(file, generateConfig(n));
    const ours: number[] = [];
    const peer: number[] = [];
    // one warm-up each, not counted
    timeOnce('./bin/supctl', ['parse', file, '--json']);
    timeOnce('/usr/bin/python3', ['bench/supervisor_parse.py', file]);
    for (let i = 0; i < RUNS; i++) {
      ours.push(timeOnce('./bin/supctl', ['parse', file, '--json']));
      peer.push(timeOnce('/usr/bin/python3', ['bench/supervisor_parse.py', file]));
    }
    const o = median(ours);
    const p = median(peer);
    ratioAtLargest = o / p;
    rows.push(
      `| ${n.toLocaleString('en')} | ${(o / 1000).toFixed(3)} s | ${(p / 1000).toFixed(3)} s | ${(o / p).toFixed(3)}x |`,
    );
    console.error(`N=${n}: supctl ${o.toFixed(0)} ms, supervisor ${p.toFixed(0)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const table = [
  `| programs | supctl parse --json | supervisor 4.2.5 process_config | ratio |`,
  `|---:|---:|---:|---:|`,
  ...rows,
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/parse.md',
  `Measured ${new Date().toISOString()}, median of ${RUNS} whole-process runs each, alternating. ` +
    `supctl's figure includes Node's start-up and printing the JSON model; supervisor's is its import and process_config.\n\n` +
    `**Target ≤ 0.2x supervisor at 5,000 programs: ${ratioAtLargest <= 0.2 ? 'met' : 'MISSED'} (${ratioAtLargest.toFixed(3)}x).**\n\n${table}\n`,
);
console.log(table);
