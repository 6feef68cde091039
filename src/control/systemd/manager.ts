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

/** One row of ListUnitsByNames / ListUnitsByPatterns (a(ssssssouso)). */
function unitListEntry(r: unknown[]): UnitListEntry {
  return {
    name: r[0] as string,
    load: r[2] as string,
    active: r[3] as string,
    sub: r[4] as string,
    path: r[6] as string,
  };
}

type JobMethod = 'StartUnit' | 'StopUnit' | 'RestartUnit';

export interface JobOutcome {
  unit: string;
  /** JobRemoved result (done, failed, canceled, timeout, dependency, skipped), or `error`. */
  result: string;
  /** Set when the call itself failed (no job was queued). */
  error?: Error;
}

/** Beyond the unit's own timeouts: the job's queueing and the manager's bookkeeping. */
const JOB_MARGIN_MS = 10_000;
const INFINITY_US = 0xffffffffffffffffn;

/**
 * How long to wait for a job: the unit's own TimeoutStartUSec /
 * TimeoutStopUSec (a restart is both) plus a margin, never less than
 * `floorMs`. Infinite or unknown timeouts leave the floor.
 */
export function jobLimitMs(
  method: JobMethod,
  startUs: unknown,
  stopUs: unknown,
  floorMs: number,
): number {
  const ms = (v: unknown): number =>
    typeof v === 'bigint' && v !== INFINITY_US ? Number(v / 1000n) : NaN;
  const own =
    method === 'StartUnit'
      ? ms(startUs)
      : method === 'StopUnit'
        ? ms(stopUs)
        : ms(startUs) + ms(stopUs);
  return Number.isNaN(own) ? floorMs : Math.max(floorMs, own + JOB_MARGIN_MS);
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
    return rows.map(unitListEntry);
  }

  async listUnitsByPatterns(patterns: string[]): Promise<UnitListEntry[]> {
    const [rows] = (await this.mgr('ListUnitsByPatterns', 'asas', [[], patterns])) as [unknown[][]];
    return rows.map(unitListEntry);
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

  /** The wait for `method` on `unit` (a service's own timeouts; other units: the default). */
  private async jobLimit(method: JobMethod, unit: string): Promise<number> {
    if (!unit.endsWith('.service')) return this.jobTimeoutMs;
    try {
      const [path] = (await this.mgr('GetUnit', 's', [unit], `GetUnit ${unit}`)) as [string];
      const t = await this.getMany(path, 'Service', ['TimeoutStartUSec', 'TimeoutStopUSec']);
      return jobLimitMs(method, t['TimeoutStartUSec'], t['TimeoutStopUSec'], this.jobTimeoutMs);
    } catch {
      return this.jobTimeoutMs;
    }
  }

  /**
   * Queues `method` on every unit at once and resolves when each job is
   * removed. The JobRemoved listener is in place before the first call, and
   * results are buffered by job path (a job can finish before its call returns).
   */
  async jobs(
    method: JobMethod,
    units: string[],
    mode = 'replace',
    onDone?: (o: JobOutcome) => void,
  ): Promise<JobOutcome[]> {
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
        units
          .map(async (unit): Promise<JobOutcome> => {
            let job: string;
            try {
              [job] = (await this.mgr(method, 'ss', [unit, mode], `${method} ${unit}`)) as [string];
            } catch (e) {
              const err = toBackendError(e, `${method} ${unit}`);
              return { unit, result: 'error', error: err };
            }
            const done = finished.get(job);
            if (done !== undefined) return { unit, result: done };
            // registered before the limit is read: a job ending meanwhile resolves it
            const result = new Promise<string>((res) => waiting.set(job, res));
            const limit = await this.jobLimit(method, unit);
            try {
              const r = await timed(result, limit, `${method} ${unit} (job ${job})`);
              return { unit, result: r };
            } catch (e) {
              waiting.delete(job);
              return { unit, result: 'timeout', error: e as Error };
            }
          })
          .map((p) => (onDone ? p.then((o) => (onDone(o), o)) : p)),
      );
    } finally {
      off();
    }
  }
}
