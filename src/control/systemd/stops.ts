/**
 * Which stops supctl asked for. systemd does not tell a requested stop from
 * a process that exited by itself once the unit is inactive; supervisor
 * shows the first as STOPPED and the second as EXITED. A stop through the
 * facade leaves a marker file `<unitDir>/.supctl/stopped/<unit>`; a start
 * removes it. A marker older than the unit's last start is void.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_DIR } from './manifest.ts';

const dirOf = (unitDir: string) => join(unitDir, MANIFEST_DIR, 'stopped');

export function markStopped(unitDir: string, units: string[]): void {
  if (units.length === 0) return;
  const dir = dirOf(unitDir);
  mkdirSync(dir, { recursive: true });
  for (const u of units) writeFileSync(join(dir, u), `${Date.now()}\n`);
}

export function clearStopped(unitDir: string, units: string[]): void {
  for (const u of units) rmSync(join(dirOf(unitDir), u), { force: true });
}

/** True when supctl stopped `unit` after `startedAt` (ms). */
export function stoppedByUs(unitDir: string, unit: string, startedAt: number): boolean {
  try {
    return statSync(join(dirOf(unitDir), unit)).mtimeMs >= startedAt;
  } catch {
    return false;
  }
}

/** When supctl last stopped `unit` (ms), or null: a unit systemd unloaded keeps no timestamps. */
export function stopMarkTime(unitDir: string, unit: string): number | null {
  try {
    return statSync(join(dirOf(unitDir), unit)).mtimeMs;
  } catch {
    return null;
  }
}
