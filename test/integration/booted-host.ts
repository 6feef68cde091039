/**
 * The booted Debian host of sandbox/booted-host.sh, for the system-scope
 * suite: boot it, run commands inside, reboot, power off. Its image is cached
 * under .tmp/booted (built once, rebuilt when its package list changes).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(REPO, 'sandbox', 'booted-host.sh');
export const HOST_DIR = join(REPO, '.tmp', 'booted');
const ROOTFS = join(HOST_DIR, 'rootfs');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function script(args: string[], timeoutMs: number): Ran {
  const r = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function mustRun(args: string[], timeoutMs: number): void {
  const r = script(args, timeoutMs);
  if (r.code !== 0) {
    throw new Error(`booted-host.sh ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  }
}

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (systemd-nspawn)';
  for (const tool of ['mmdebstrap', 'systemd-nspawn', 'nsenter']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not installed`;
  }
  return undefined;
}

/**
 * Why the suite cannot run here (the reason it is skipped with), or
 * undefined. In CI a missing prerequisite is a failure, not a skip.
 */
export function hostUnavailable(): string | undefined {
  const why = missing();
  if (why !== undefined && process.env['CI'] === 'true') {
    throw new Error(`booted-host suite cannot run in CI: ${why}`);
  }
  return why;
}

/** Builds the image if needed (minutes the first time) and boots a fresh disk. */
export const bootFresh = (): void => mustRun(['up', '--dir', HOST_DIR, '--fresh'], 600_000);
export const reboot = (): void => mustRun(['reboot', '--dir', HOST_DIR], 300_000);
export const powerOff = (): void => mustRun(['down', '--dir', HOST_DIR], 120_000);

/** Runs a shell command inside the host as root, in a clean environment. */
export function inside(cmd: string, timeoutMs = 60_000): Ran {
  return script(['exec', '--dir', HOST_DIR, '--', 'sh', '-c', cmd], timeoutMs);
}

/** Like inside(), but the command must succeed; returns its stdout. */
export function insideOk(cmd: string, timeoutMs = 60_000): string {
  const r = inside(cmd, timeoutMs);
  if (r.code !== 0) throw new Error(`inside: ${cmd}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A long-running command inside (tail -f); the caller kills it. */
export function insideBackground(cmd: string): ChildProcess {
  return spawn('bash', [SCRIPT, 'exec', '--dir', HOST_DIR, '--', 'sh', '-c', cmd], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Writes a file on the host's disk (from outside, as root). */
export function writeInside(path: string, text: string, mode = 0o644): void {
  const p = join(ROOTFS, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text, { mode });
}
