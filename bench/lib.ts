/**
 * Shared helpers for the control benchmarks (status, restart, help, docker):
 * whole-process timing, medians, the harness env, result files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';

export const SUPCTL = './bin/supctl';
export const DOCKER = '/usr/bin/docker';

export interface RunOpts {
  /** exit codes that count as success (default [0]) */
  ok?: number[];
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion; throws when it fails. Returns wall ms and stdout. */
export function run(cmd: string, args: string[], o: RunOpts = {}): { ms: number; out: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: o.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ok = o.ok ?? [0];
  if (r.error !== undefined || r.status === null || !ok.includes(r.status)) {
    throw new Error(
      `${cmd} ${args.slice(0, 8).join(' ')}${args.length > 8 ? ' …' : ''} failed (${r.status ?? r.signal ?? r.error?.message}): ` +
        `${r.stderr?.toString().slice(0, 2000)}${r.stdout?.toString().slice(0, 2000)}`,
    );
  }
  return { ms, out: r.stdout.toString() };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const sec = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
export const range = (xs: number[]): string => `${sec(Math.min(...xs))} – ${sec(Math.max(...xs))}`;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns true. */
export async function until(
  what: string,
  check: () => boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ok = false;
    try {
      ok = check();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** Fails with a how-to unless the harness env (test/harness/up.sh) is loaded. */
export function needHarness(): void {
  for (const k of [
    'DBUS_SESSION_BUS_ADDRESS',
    'XDG_RUNTIME_DIR',
    'DOCKER_HOST',
    'SUPCTL_TEST_IMAGE',
  ]) {
    if (!process.env[k]) {
      console.error(
        `bench: ${k} is not set. Run through \`make bench\`, or: bash test/harness/up.sh && set -a && source .tmp/harness/env && set +a`,
      );
      process.exit(2);
    }
  }
}

export function machine(): string {
  const [l1, l5, l15] = loadavg();
  return `${cpus().length} CPUs, load average ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)}`;
}

export function version(cmd: string, args: string[]): string {
  try {
    return run(cmd, args, { ok: [0, 1, 2] })
      .out.split('\n')[0]!
      .trim();
  } catch {
    return '?';
  }
}

/** Writes bench/results/NAME.md: a heading, the note lines, the table, and prints the table. */
export function writeResult(name: string, title: string, notes: string[], table: string[]): void {
  mkdirSync('bench/results', { recursive: true });
  const paras = notes.filter((n) => n.trim() !== '').map((n) => n.trimEnd());
  const text = [`## ${title}`, ...paras, table.join('\n')].join('\n\n') + '\n';
  writeFileSync(`bench/results/${name}.md`, text);
  console.log(text);
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** A supervisord config's [program:x] sections: N long sleepers named PREFIXnnn. */
export function sleepers(n: number, prefix: string, extra: string[] = []): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      `[program:${prefix}${String(i).padStart(3, '0')}]`,
      'command=/bin/sleep 100000',
      ...extra,
      '',
    );
  }
  return out.join('\n');
}
