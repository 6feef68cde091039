/**
 * The status of every process of the given manifests: one
 * ListUnitsByNames call, then the properties each unit's state calls for.
 */
import type { ProcessStatus } from '../types.ts';
import { processTreeUsage } from '../usage/index.ts';
import type { Manager, UnitListEntry } from './manager.ts';
import type { Manifest } from './manifest.ts';
import { counter, mapUnit, stopTime, usToMs } from './state.ts';
import { stopMarkTime, stoppedByUs } from './stops.ts';

const DETAIL_PROPS = ['CPUUsageNSec', 'MemoryCurrent', 'ControlGroup'] as const;

/**
 * The properties read per unit depend on its state (one Get each, all in
 * parallel): a running unit needs only its pid and start time; the exit
 * details matter only once it is down. Restarts, CPU and memory only with detail.
 */
function propsFor(r: UnitListEntry, detail: boolean): string[] {
  const up = (r.active === 'active' || r.active === 'reloading') && r.sub !== 'exited';
  const names = up
    ? ['MainPID', 'ExecMainStartTimestamp']
    : r.active === 'deactivating' || (r.active === 'activating' && r.sub !== 'auto-restart')
      ? ['MainPID']
      : [
          'ExecMainStartTimestamp',
          'ExecMainExitTimestamp',
          'ExecMainCode',
          'ExecMainStatus',
          'Result',
        ];
  // Restart= tells a unit that gave up (FATAL) from one that just exited
  if (r.active === 'failed') names.push('Restart');
  if (detail) names.push('NRestarts', ...DETAIL_PROPS);
  return names;
}

/** A route that is a file; the journal and discarded output have none. */
const logFile = (route: string | null): string =>
  route === null || route === 'journal' ? '' : route;

export async function unitStatuses(
  mgr: Manager,
  unitDir: string,
  manifests: Manifest[],
  detail: boolean,
): Promise<ProcessStatus[]> {
  const procs = manifests.flatMap((m) => m.processes.map((p) => ({ project: m.project, p })));
  if (procs.length === 0) return [];
  const rows = await mgr.listUnitsByNames([...new Set(procs.map((x) => x.p.unit))]);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const props = new Map<string, Record<string, unknown>>();
  await Promise.all(
    rows.map(async (r) => {
      if (r.load !== 'loaded') return;
      props.set(r.name, await mgr.getMany(r.path, 'Service', propsFor(r, detail)));
    }),
  );
  const now = Date.now();
  return procs.map(({ project, p }) => {
    const r = byName.get(p.unit);
    const v = props.get(p.unit) ?? {};
    const snap = {
      load: r?.load ?? 'not-found',
      active: r?.active ?? 'inactive',
      sub: r?.sub ?? 'dead',
      result: typeof v['Result'] === 'string' ? v['Result'] : '',
      mainPid: typeof v['MainPID'] === 'number' ? v['MainPID'] : 0,
      execMainStart: usToMs(v['ExecMainStartTimestamp']),
      execMainExit: usToMs(v['ExecMainExitTimestamp']),
      execMainCode: typeof v['ExecMainCode'] === 'number' ? v['ExecMainCode'] : 0,
      execMainStatus: typeof v['ExecMainStatus'] === 'number' ? v['ExecMainStatus'] : 0,
      nRestarts: typeof v['NRestarts'] === 'number' ? v['NRestarts'] : 0,
      restartPolicy: typeof v['Restart'] === 'string' ? v['Restart'] : undefined,
      stopRequested: false,
    };
    if ((snap.active === 'inactive' || snap.active === 'failed') && snap.execMainStart > 0) {
      snap.stopRequested = stoppedByUs(unitDir, p.unit, snap.execMainStart);
    }
    const mapped = mapUnit(snap, p.startsecs, now);
    // systemd unloads a stopped unit nothing wants (autostart=false) and forgets
    // when it ran; supervisorctl still shows the stop time, so our marker's is used
    if (mapped.state === 'STOPPED' && mapped.startedAt === null) {
      const t = stopMarkTime(unitDir, p.unit);
      if (t !== null) Object.assign(mapped, { stoppedAt: t, description: stopTime(t) });
    }
    const cpu = detail ? counter(v['CPUUsageNSec']) : null;
    const mem = detail ? counter(v['MemoryCurrent']) : null;
    // no accounting in the unit's cgroup: sum /proc over its processes
    const fromProc =
      detail && mapped.pid !== null && (cpu === null || mem === null)
        ? processTreeUsage(
            mapped.pid,
            typeof v['ControlGroup'] === 'string' ? v['ControlGroup'] : '',
          )
        : null;
    return {
      group: p.group,
      name: p.name,
      namespec: p.namespec,
      project,
      ...mapped,
      restarts: detail && r?.load === 'loaded' ? snap.nRestarts : null,
      cpuNsec: cpu ?? fromProc?.cpuNsec ?? null,
      memoryBytes: mem ?? fromProc?.memoryBytes ?? null,
      ref: p.unit,
      logfiles: { stdout: logFile(p.stdout), stderr: logFile(p.stderr) },
    };
  });
}
