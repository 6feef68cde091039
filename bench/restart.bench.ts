/**
 * `restart all` of 300 programs: `supctl restart all` (systemd backend, user
 * scope) vs `supervisorctl restart all` of the same 300 under a real
 * supervisord vs one `systemctl --user restart` of the same 300 units (the
 * floor: systemd's own job processing). Whole process, alternating, median of
 * RUNS (≥ 3). Targets: supctl ≤ 0.5x supervisorctl and ≤ 1.1x systemctl.
 *
 * Run twice: with supervisor's default startsecs=1 (supctl and supervisorctl
 * both wait until every program has stayed up 1 s; systemctl does not), and
 * with startsecs=0 (nobody waits), where the systemctl floor is like for like.
 *   node --import tsx bench/restart.bench.ts [RUNS]     (harness env loaded)
 * Writes bench/results/restart.md.
 */
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
  sleep,
  sleepers,
  until,
  version,
  writeResult,
} from './lib.ts';

const RUNS = Math.max(3, Number(process.argv[2] ?? 3));
const N = 300;
needHarness();
const atStart = machine();
const table = [
  `| startsecs | \`supctl restart all\` | \`supervisorctl restart all\` | \`systemctl --user restart\` (${N} units) | supctl / supervisorctl | supctl / systemctl |`,
  `|---:|---:|---:|---:|---:|---:|`,
];
const verdicts: string[] = [];

async function variant(startsecs: number): Promise<void> {
  const P = `brs${startsecs}`;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-bench-restart-'));
  const conf = join(dir, `${P}.conf`);
  const sections = sleepers(N, 's', [`startsecs=${startsecs}`]);
  writeFileSync(conf, sections);
  const units = Array.from({ length: N }, (_, i) => `${P}-s${String(i).padStart(3, '0')}.service`);
  let sup: Supervisord | undefined;
  let applied = false;
  try {
    run(SUPCTL, ['apply', conf, '--scope', 'user', '--name', P]);
    applied = true;
    sup = await startSupervisord({
      sections,
      supervisord: { minfds: '4096' },
      startTimeoutMs: 60_000,
    });
    const ctl = ['-c', sup.configPath];
    const settled = async (): Promise<void> => {
      await until(
        'supervisord: all RUNNING',
        () => run('supervisorctl', [...ctl, 'status']).ms > 0,
      );
      await until(
        'supctl: all RUNNING',
        () => run(SUPCTL, ['status', '--scope', 'user', '--name', P]).ms > 0,
      );
      await sleep(1000);
    };
    const cmds: [string, string[]][] = [
      [SUPCTL, ['restart', 'all', '--scope', 'user', '--name', P]],
      ['supervisorctl', [...ctl, 'restart', 'all']],
      ['systemctl', ['--user', 'restart', ...units]],
    ];
    const t: number[][] = cmds.map(() => []);
    await settled();
    for (let i = 0; i < RUNS; i++) {
      for (const [k, [c, args]] of cmds.entries()) {
        const r = run(c, args);
        t[k]!.push(r.ms);
        if (k < 2) {
          const started = r.out.split('\n').filter((l) => l.endsWith(': started')).length;
          if (started !== N)
            throw new Error(
              `${c} restart all: ${started} started, want ${N}\n${r.out.slice(0, 500)}`,
            );
        }
        console.error(`startsecs=${startsecs} run ${i + 1}: ${c} ${sec(r.ms)}`);
        await settled();
      }
    }
    const m = t.map(median);
    table.push(
      `| ${startsecs} | ${sec(m[0]!)} (${range(t[0]!)}) | ${sec(m[1]!)} (${range(t[1]!)}) | ${sec(m[2]!)} (${range(t[2]!)}) | ${ratio(m[0]!, m[1]!)} | ${ratio(m[0]!, m[2]!)} |`,
    );
    verdicts.push(
      `startsecs=${startsecs}: ≤ 0.5x supervisorctl ${m[0]! <= 0.5 * m[1]! ? 'met' : 'MISSED'} (${ratio(m[0]!, m[1]!)}); ` +
        `≤ 1.1x systemctl ${m[0]! <= 1.1 * m[2]! ? 'met' : 'MISSED'} (${ratio(m[0]!, m[2]!)})`,
    );
  } finally {
    if (applied) {
      try {
        run(SUPCTL, ['remove', '--scope', 'user', '--name', P]);
      } catch (e) {
        console.error(String(e));
      }
    }
    await sup?.stop(60_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

await variant(1);
await variant(0);
writeResult(
  'restart',
  `restart all of ${N} programs (issue 5)`,
  [
    `Measured ${new Date().toISOString()}; ${atStart} at start; median of ${RUNS} whole-process runs each (min – max in brackets), alternating; after every command the next waits until all ${N} are RUNNING in both supervisord and systemd, plus 1 s.`,
    `supctl: systemd backend, \`--scope user\`, the harness's private user manager (${version('systemctl', ['--version'])}); peer: supervisord ${version('supervisord', ['--version'])} with the same ${N} \`/bin/sleep 100000\` programs; floor: \`systemctl --user restart\` with the ${N} unit names in one command.`,
    `With startsecs=1 (supervisor's default) supctl, like supervisorctl, reports \`started\` only after a program has stayed up startsecs; \`systemctl restart\` returns when the jobs are done, so that floor is ~1 s below anything that honours startsecs. The startsecs=0 row is the like-for-like comparison with systemctl.`,
    '',
    ...verdicts.map((v) => `**${v}.**`),
  ],
  table,
);
