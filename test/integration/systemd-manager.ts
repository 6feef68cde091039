/**
 * A small D-Bus client for the harness's systemd user manager, for the
 * systemd integration tests: install generated files, daemon-reload, start
 * and stop units in parallel (JobRemoved is subscribed before any call),
 * read properties, remove everything again. Every call has a timeout.
 */
import * as dbus from '@jellybrick/dbus-next';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EmittedFile } from '../../src/emit/types.ts';
import { writeFilesAtomically } from '../../src/emit/write.ts';
import { withTimeout } from './harness.ts';
import type { Harness } from './harness.ts';

const DEST = 'org.freedesktop.systemd1';
const CALL_MS = 15_000;

export interface Manager {
  install(files: EmittedFile[]): Promise<void>;
  /** Starts all units at once; resolves with each job's result (done, failed, …). */
  start(units: string[], timeoutMs?: number): Promise<Record<string, string>>;
  stop(units: string[], timeoutMs?: number): Promise<Record<string, string>>;
  prop(unit: string, iface: 'Unit' | 'Service', name: string): Promise<unknown>;
  /** Removes the installed files, stops and resets what is left, reloads. */
  cleanup(): Promise<void>;
  close(): void;
}

interface ManagerIface {
  Subscribe(): Promise<void>;
  Reload(): Promise<void>;
  StartUnit(name: string, mode: string): Promise<string>;
  StopUnit(name: string, mode: string): Promise<string>;
  LoadUnit(name: string): Promise<string>;
  ResetFailedUnit(name: string): Promise<void>;
  on(ev: 'JobRemoved', cb: (id: number, job: string, unit: string, result: string) => void): void;
}

export async function connectManager(h: Harness): Promise<Manager> {
  const bus = dbus.sessionBus({ busAddress: h.systemd.busAddress });
  const obj = await withTimeout(
    bus.getProxyObject(DEST, '/org/freedesktop/systemd1'),
    CALL_MS,
    'systemd1 proxy',
  );
  const mgr = obj.getInterface('org.freedesktop.systemd1.Manager') as unknown as ManagerIface;
  const jobs = new Map<string, string>();
  const waiters = new Map<string, (r: string) => void>();
  mgr.on('JobRemoved', (_id, job, _unit, result) => {
    const w = waiters.get(job);
    if (w) {
      waiters.delete(job);
      w(result);
    } else jobs.set(job, result);
  });
  await withTimeout(mgr.Subscribe(), CALL_MS, 'Subscribe');
  const installed: string[] = [];
  const touched = new Set<string>();

  const jobResult = (job: string, ms: number, what: string): Promise<string> => {
    const done = jobs.get(job);
    if (done !== undefined) {
      jobs.delete(job);
      return Promise.resolve(done);
    }
    return withTimeout(new Promise<string>((res) => waiters.set(job, res)), ms, what);
  };

  const run = async (
    method: 'StartUnit' | 'StopUnit',
    units: string[],
    ms: number,
  ): Promise<Record<string, string>> => {
    const results = await Promise.all(
      units.map(async (u) => {
        touched.add(u);
        const job = await withTimeout(mgr[method](u, 'replace'), CALL_MS, `${method} ${u}`);
        return [u, await jobResult(job, ms, `${method} ${u} job`)] as const;
      }),
    );
    return Object.fromEntries(results);
  };

  return {
    async install(files) {
      mkdirSync(h.systemd.unitDir, { recursive: true });
      writeFilesAtomically(h.systemd.unitDir, files);
      for (const f of files) installed.push(join(h.systemd.unitDir, f.path));
      await withTimeout(mgr.Reload(), CALL_MS, 'Reload');
    },
    start: (units, ms = 60_000) => run('StartUnit', units, ms),
    stop: (units, ms = 60_000) => run('StopUnit', units, ms),
    async prop(unit, iface, name) {
      const path = await withTimeout(mgr.LoadUnit(unit), CALL_MS, `LoadUnit ${unit}`);
      const o = await withTimeout(bus.getProxyObject(DEST, path), CALL_MS, `proxy ${unit}`);
      const props = o.getInterface('org.freedesktop.DBus.Properties') as unknown as {
        Get(i: string, n: string): Promise<dbus.Variant>;
      };
      const v = await withTimeout(
        props.Get(`org.freedesktop.systemd1.${iface}`, name),
        CALL_MS,
        `Get ${unit} ${name}`,
      );
      return v.value;
    },
    async cleanup() {
      const units = [...touched];
      await Promise.all(
        units.map(async (u) => {
          try {
            const job = await withTimeout(mgr.StopUnit(u, 'replace'), CALL_MS, `StopUnit ${u}`);
            await jobResult(job, 60_000, `stop ${u}`);
          } catch {
            /* not loaded or already gone */
          }
          try {
            await withTimeout(mgr.ResetFailedUnit(u), CALL_MS, `ResetFailed ${u}`);
          } catch {
            /* not failed */
          }
        }),
      );
      for (const f of installed) rmSync(f, { force: true, recursive: true });
      // the drop-in directories that held environment files
      for (const f of installed) {
        const dir = f.slice(0, f.lastIndexOf('/'));
        if (dir !== h.systemd.unitDir) rmSync(dir, { recursive: true, force: true });
      }
      await withTimeout(mgr.Reload(), CALL_MS, 'Reload');
    },
    close() {
      bus.disconnect();
    },
  };
}
