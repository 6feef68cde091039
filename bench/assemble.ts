/**
 * Assembles BENCHMARKS.md from bench/results/*.md (written by the *.bench.ts
 * scripts) under a header: how to reproduce, the machine, the date.
 *   node --import tsx bench/assemble.ts
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const ORDER = ['parse', 'status', 'restart', 'help', 'docker-status', 'boot'];
const TITLES: Record<string, string> = { parse: '`supctl parse` vs supervisor 4.2.5 (issue 2)' };
const dir = 'bench/results';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md') && f !== 'machine.md')
  .map((f) => f.slice(0, -3))
  .sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
const machine = existsSync(`${dir}/machine.md`)
  ? readFileSync(`${dir}/machine.md`, 'utf8').trim()
  : '';
const out = [
  '# Benchmarks',
  '',
  "Reproduce with `make bench` (it builds, starts the test harness with `test/harness/up.sh` — a private systemd 252 user manager and a private dockerd — and runs `bench/run.sh`: every `bench/*.bench.ts`, each writing `bench/results/NAME.md`, then this file). Needs Debian's `supervisor`, `docker-compose` and the harness packages (`make sysdeps`). `RUNS=N make bench` raises the number of runs.",
  '',
  'Every figure is whole-process wall time of one command, the peer measured in the same run, alternating with ours, median of the runs. The machine is shared and noisy (±15 % between runs is normal); the ratios are what count. Targets that are missed are written down as missed.',
  '',
  machine,
  '',
];
for (const f of files) {
  const text = readFileSync(`${dir}/${f}.md`, 'utf8').trim();
  out.push(text.startsWith('## ') ? text : `## ${TITLES[f] ?? f}\n\n${text}`, '');
}
writeFileSync('BENCHMARKS.md', out.join('\n'));
console.error(`BENCHMARKS.md: ${files.join(', ')}`);
