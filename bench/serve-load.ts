/**
 * Load on `supctl serve` (systemd backend, the harness's user manager): 100
 * concurrent loopback clients calling supervisor.getAllProcessInfo and GET
 * /metrics for 20 s while 10 of its 20 programs exit every 2 s and are
 * restarted (autorestart=true). Counts errors (target 0), p50/p99 latency,
 * and serve's resident memory before and after.
 *   node --import tsx bench/serve-load.ts [SECONDS] [CLIENTS]  (harness env loaded)
 * Writes bench/results/serve-load.md. A benchmark, not a test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, needHarness, run, SUPCTL, until, writeResult } from './lib.ts';

const SECONDS = Number(process.argv[2] ?? 20);
const CLIENTS = Number(process.argv[3] ?? 100);
const P = 'bsl';
needHarness();
const atStart = machine();
const dir = mkdtempSync(join(tmpdir(), 'supctl-bench-serve-'));
const conf = join(dir, `${P}.conf`);
const sections: string[] = [];
for (let i = 0; i < 10; i++) {
  sections.push(`[program:steady${i}]`, 'command=/bin/sleep 100000', 'startsecs=0', '');
  sections.push(
    `[program:crash${i}]`,
    `command=/bin/sh -c 'sleep 2; exit 3'`,
    'startsecs=0',
    'autorestart=true',
    'startretries=1000',
    '',
  );
}
writeFileSync(conf, sections.join('\n'));

const rssKiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const pct = (xs: number[], p: number): number =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const CALL =
  '<?xml version="1.0"?><methodCall><methodName>supervisor.getAllProcessInfo</methodName><params></params></methodCall>';

let applied = false;
const serve = { pid: 0, kill: (): void => undefined };
try {
  run(SUPCTL, ['apply', conf, '--scope', 'user', '--name', P]);
  applied = true;
  const child = spawn(
    process.execPath,
    [SUPCTL, 'serve', '--scope', 'user', '--name', P, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  serve.pid = child.pid!;
  serve.kill = () => void child.kill('SIGTERM');
  let err = '';
  // drop the per-request log lines, keep the start line
  child.stderr.on('data', (c: Buffer) => {
    if (err.length < 4096) err += c.toString();
  });
  let base = '';
  await until('serve listening', () => {
    base = /listening on (http:\/\/\S+)/.exec(err)?.[1] ?? '';
    return base !== '';
  });
  // warm-up: a few hundred requests before the first RSS sample
  for (let i = 0; i < 200; i++) await fetch(`${base}/metrics`).then((r) => r.text());
  const rss0 = rssKiB(serve.pid);
  const lat: number[] = [];
  let errors = 0;
  const firstErrors: string[] = [];
  let rpcs = 0;
  let scrapes = 0;
  const restartsAt = (text: string): number =>
    [
      ...text.matchAll(/^supctl_process_restarts_total\{[^}]*name="crash\d+"[^}]*\} (\d+)/gm),
    ].reduce((a, m) => a + Number(m[1]), 0);
  const restarts0 = restartsAt(await (await fetch(`${base}/metrics`)).text());
  const end = Date.now() + SECONDS * 1000;
  const client = async (k: number): Promise<void> => {
    for (let i = 0; Date.now() < end; i++) {
      const rpc = (i + k) % 2 === 0;
      const t0 = performance.now();
      try {
        const r = rpc
          ? await fetch(`${base}/RPC2`, {
              method: 'POST',
              body: CALL,
              headers: { 'Content-Type': 'text/xml' },
            })
          : await fetch(`${base}/metrics`);
        const body = await r.text();
        if (r.status !== 200 || (rpc && (body.includes('<fault>') || !body.includes('crash9'))))
          throw new Error(`HTTP ${r.status} ${body.slice(0, 200)}`);
        if (rpc) rpcs++;
        else scrapes++;
      } catch (e) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(e instanceof Error ? e.message : String(e));
      }
      lat.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
  const rss1 = rssKiB(serve.pid);
  const restarts1 = restartsAt(await (await fetch(`${base}/metrics`)).text());
  lat.sort((a, b) => a - b);
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  writeResult(
    'serve-load',
    '`supctl serve` under load (issue 12)',
    [
      `Measured ${new Date().toISOString()}; ${atStart} at start. \`supctl serve --scope user\` on the harness's user manager, 20 programs of which 10 exit every 2 s and are restarted by systemd (autorestart=true); ${CLIENTS} concurrent clients on loopback (Node fetch, keep-alive), each alternating \`supervisor.getAllProcessInfo\` and \`GET /metrics\` for ${SECONDS} s. Reads answer from serve's in-memory state; the restarts reach it through D-Bus signals.`,
      `Errors: ${errors} (target 0: ${errors === 0 ? 'met' : 'MISSED'})${firstErrors.length > 0 ? `; first: ${firstErrors.join(' | ')}` : ''}.`,
    ],
    [
      '| figure | value |',
      '|---|---:|',
      `| requests (getAllProcessInfo / metrics) | ${rpcs} / ${scrapes} |`,
      `| throughput | ${Math.round((rpcs + scrapes) / SECONDS)} req/s |`,
      `| errors | ${errors} |`,
      `| latency p50 / p99 / max | ${ms(pct(lat, 50))} / ${ms(pct(lat, 99))} / ${ms(lat[lat.length - 1] ?? 0)} |`,
      `| restarts seen by serve during the run | ${restarts1 - restarts0} |`,
      `| serve RSS after warm-up → after the run | ${(rss0 / 1024).toFixed(1)} MiB → ${(rss1 / 1024).toFixed(1)} MiB (${rss1 >= rss0 ? '+' : ''}${((rss1 - rss0) / 1024).toFixed(1)} MiB) |`,
    ],
  );
} finally {
  serve.kill();
  if (applied) {
    try {
      run(SUPCTL, ['remove', '--scope', 'user', '--name', P]);
    } catch (e) {
      console.error(String(e));
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
