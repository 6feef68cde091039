/**
 * Typed wrappers for the systemd Manager methods and unit properties the
 * backend uses (supervisor-semantics.md §8), and the parallel job runner
 * (listener first, then the calls, matched by job path).
 */
import * as dbus from '@jellybrick/dbus-next';
import type { Bus } from './bus.ts';
import { SYSTEMD, SYSTEMD_PATH, timed, toBackendError } from './bus.ts';

const MGR = `${SYSTEMD}.Manager`;

export interface UnitListEntry {
  name: string;
  load: string;
  active: string;
  sub: string;
  path: string;
}

export type JobMethod = 'StartUnit' | 'StopUnit' | 'RestartUnit';

export interface JobOutcome {
  unit: string;
  /** JobRemoved result (done, failed, canceled, timeout, dependency, skipped), or `error`. */
  result: string;
  /** Set when the call itself failed (no job was queued). */
  error?: Error;
}

export class Manager {
  constructor(
    readonly bus: Bus,
    private readonly jobTimeoutMs: number,
  ) {}

  private mgr(member: string, signature = '', body: unknown[] = [], what?: string) {
    return this.bus.call(SYSTEMD_PATH, MGR, member, signature, body, what ?? `systemd ${member}`);
  }

  async listUnitsByNames(names: string[]): Promise<UnitListEntry[]> {
    if (names.length === 0) return [];
    const [rows] = (await this.mgr('ListUnitsByNames', 'as', [names])) as [unknown[][]];
    return rows.map((r) => ({
      name: r[0] as string,
      load: r[2] as string,
      active: r[3] as string,
      sub: r[4] as string,
      path: r[6] as string,
    }));
  }

  async listUnitsByPatterns(patterns: string[]): Promise<UnitListEntry[]> {
    const [rows] = (await this.mgr('ListUnitsByPatterns', 'asas', [[], patterns])) as [unknown[][]];
    return rows.map((r) => ({
      name: r[0] as string,
      load: r[2] as string,
      active: r[3] as string,
      sub: r[4] as string,
      path: r[6] as string,
    }));
  }

  async reload(): Promise<void> {
    await this.mgr('Reload');
  }

  async enableUnitFiles(files: string[]): Promise<void> {
    await this.mgr('EnableUnitFiles', 'asbb', [files, false, true]);
  }

  async disableUnitFiles(files: string[]): Promise<void> {
    await this.mgr('DisableUnitFiles', 'asb', [files, false]);
  }

  async resetFailed(unit: string): Promise<void> {
    try {
      await this.mgr('ResetFailedUnit', 's', [unit]);
    } catch {
      /* not loaded or not failed: nothing to reset */
    }
  }

  async kill(unit: string, signal: number): Promise<void> {
    await this.mgr('KillUnit', 'ssi', [unit, 'main', signal], `signal ${unit}`);
  }

  /** One property; `t` values come back as BigInt. */
  async get(path: string, iface: 'Unit' | 'Service', name: string): Promise<unknown> {
    const [v] = await this.bus.call(
      path,
      'org.freedesktop.DBus.Properties',
      'Get',
      'ss',
      [`${SYSTEMD}.${iface}`, name],
      `read ${name}`,
    );
    return v instanceof dbus.Variant ? (v.value as unknown) : v;
  }

  async getMany(
    path: string,
    iface: 'Unit' | 'Service',
    names: readonly string[],
  ): Promise<Record<string, unknown>> {
    const vals = await Promise.all(names.map((n) => this.get(path, iface, n)));
    return Object.fromEntries(names.map((n, i) => [n, vals[i]]));
  }

  /**
   * Queues `method` on every unit at once and resolves when each job is
   * removed. The JobRemoved listener is in place before the first call, and
   * results are buffered by job path (a job can finish before its call returns).
   */
  async jobs(method: JobMethod, units: string[], mode = 'replace'): Promise<JobOutcome[]> {
    const finished = new Map<string, string>();
    const waiting = new Map<string, (r: string) => void>();
    const off = this.bus.onJobRemoved((job, _unit, result) => {
      const w = waiting.get(job);
      if (w) {
        waiting.delete(job);
        w(result);
      } else finished.set(job, result);
    });
    try {
      return await Promise.all(
        units.map(async (unit): Promise<JobOutcome> => {
          let job: string;
          try {
            [job] = (await this.mgr(method, 'ss', [unit, mode], `${method} ${unit}`)) as [string];
          } catch (e) {
            const err = toBackendError(e, `${method} ${unit}`);
            return { unit, result: 'error', error: err };
          }
          const done = finished.get(job);
          if (done !== undefined) return { unit, result: done };
          try {
            const result = await timed(
              new Promise<string>((res) => waiting.set(job, res)),
              this.jobTimeoutMs,
              `${method} ${unit} (job ${job})`,
            );
            return { unit, result };
          } catch (e) {
            waiting.delete(job);
            return { unit, result: 'timeout', error: e as Error };
          }
        }),
      );
    } finally {
      off();
    }
  }
}
