/**
 * The systemd backend of the control facade: processes are the service
 * units a supctl apply installed (its manifest says which), driven over the
 * manager's D-Bus API.
 */
import { signalNumber } from '../signals.ts';
import { join } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import type {
  ActionResult,
  ApplyOptions,
  RemoveOptions,
  ApplyResult,
  AvailEntry,
  Backend,
  ChangeSet,
  LogRequest,
  ProcessStatus,
} from '../types.ts';
import { BackendError } from '../types.ts';
import { faultResult, okResult } from '../format.ts';
import { unitNameComponent } from '../../emit/systemd/escape.ts';
import * as applyOps from './apply.ts';
import type { ProjectContext } from './apply.ts';
import { connectBus } from './bus.ts';
import { tailFile, tailJournal } from './logs.ts';
import type { UnitListEntry } from './manager.ts';
import { Manager } from './manager.ts';
import type { Manifest, ManifestProcess } from './manifest.ts';
import { allManifests, readManifest } from './manifest.ts';
import { defaultLogDir, defaultUnitDir } from './paths.ts';
import { startResultsAfter } from './start-check.ts';
import { markStopped } from './stops.ts';
import { isSignallable, isUp } from './unit-activity.ts';
import { unitStatuses } from './unit-status.ts';

interface SystemdBackendOptions {
  scope: 'user' | 'system';
  /** undefined = every supctl project found in the unit dir. */
  project?: string | undefined;
  /** Default: user → $XDG_CONFIG_HOME/systemd/user (or ~/.config/systemd/user), system → /etc/systemd/system. */
  unitDir?: string | undefined;
  /** Default: DBUS_SESSION_BUS_ADDRESS (user) / the system bus. */
  busAddress?: string | undefined;
  /** Per D-Bus call (default 10 s); jobs get 10x. */
  timeoutMs?: number;
  /**
   * Where AUTO logs go, one directory per project below it. Default: user →
   * $XDG_STATE_HOME/supctl/log (or ~/.local/state/supctl/log), system → /var/log/supctl.
   */
  logDir?: string | undefined;
  /** How long an apply waits for another one's lock (default 60 s). */
  lockTimeoutMs?: number;
}
class SystemdBackend implements Backend {
  constructor(
    private readonly mgr: Manager,
    private readonly o: SystemdBackendOptions,
    private readonly unitDir: string,
    private readonly logRoot: string,
    private readonly close_: () => void,
  ) {}

  private manifests(): Manifest[] {
    if (this.o.project === undefined) return allManifests(this.unitDir);
    const m = readManifest(this.unitDir, this.o.project);
    return m === null ? [] : [m];
  }

  private context(): ProjectContext {
    const project = this.o.project;
    if (project === undefined || project === '') {
      throw new BackendError('FAILED', 'no project name: pass --name PROJECT');
    }
    return {
      mgr: this.mgr,
      project,
      scope: this.o.scope,
      unitDir: this.unitDir,
      logDir: join(this.logRoot, unitNameComponent(project)),
      lockTimeoutMs: this.o.lockTimeoutMs ?? 60_000,
    };
  }

  private entry(t: ProcessStatus): { m: Manifest; p: ManifestProcess } {
    for (const m of this.manifests()) {
      if (m.project !== t.project) continue;
      const p = m.processes.find((x) => x.unit === t.ref);
      if (p) return { m, p };
    }
    throw new BackendError('NOT_FOUND', `no such process ${t.namespec} in project ${t.project}`);
  }

  async list(opts: { detail?: boolean } = {}): Promise<ProcessStatus[]> {
    return unitStatuses(this.mgr, this.unitDir, this.manifests(), opts.detail ?? false);
  }

  private async current(targets: ProcessStatus[]): Promise<Map<string, UnitListEntry>> {
    const rows = await this.mgr.listUnitsByNames([...new Set(targets.map((t) => t.ref))]);
    return new Map(rows.map((r) => [r.name, r]));
  }

  private startsecsOf(targets: ProcessStatus[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of this.manifests()) {
      for (const p of m.processes) out.set(p.unit, p.startsecs);
    }
    return new Map(targets.map((t) => [t.ref, out.get(t.ref) ?? 0]));
  }

  async start(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const cur = await this.current(targets);
    const go = targets.filter((t) => !isUp(cur.get(t.ref)));
    // a FATAL (start-limit-hit) unit may be started by hand, as in supervisor
    const failed = go.filter((t) => cur.get(t.ref)?.active === 'failed');
    await Promise.all(failed.map((t) => this.mgr.resetFailed(t.ref)));
    const outcomes = await this.mgr.jobs(
      'StartUnit',
      go.map((t) => t.ref),
    );
    const res = await startResultsAfter(this.mgr, this.unitDir, go, outcomes, this.startsecsOf(go));
    return targets.map((t) => res.get(t.ref) ?? faultResult(t.namespec, 'ALREADY_STARTED'));
  }

  async stop(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const cur = await this.current(targets);
    const go = targets.filter(
      (t) => isUp(cur.get(t.ref)) || cur.get(t.ref)?.active === 'deactivating',
    );
    const outcomes = await this.mgr.jobs(
      'StopUnit',
      go.map((t) => t.ref),
    );
    markStopped(
      this.unitDir,
      outcomes.filter((o) => o.result === 'done').map((o) => o.unit),
    );
    const byUnit = new Map(outcomes.map((o) => [o.unit, o]));
    return targets.map((t): ActionResult => {
      const o = byUnit.get(t.ref);
      if (o === undefined) return faultResult(t.namespec, 'NOT_RUNNING');
      if (o.result === 'done') return okResult(t.namespec, 'stop');
      return faultResult(t.namespec, 'FAILED', o.error ? o.error.message : `stop job ${o.result}`);
    });
  }

  /** One RestartUnit job per unit, all at once (systemctl restart is the floor), then startsecs. */
  async restart(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const cur = await this.current(targets);
    const failed = targets.filter((t) => cur.get(t.ref)?.active === 'failed');
    await Promise.all(failed.map((t) => this.mgr.resetFailed(t.ref)));
    const outcomes = await this.mgr.jobs(
      'RestartUnit',
      targets.map((t) => t.ref),
    );
    const res = await startResultsAfter(
      this.mgr,
      this.unitDir,
      targets,
      outcomes,
      this.startsecsOf(targets),
    );
    return targets.map((t) => res.get(t.ref)!);
  }

  async signal(targets: ProcessStatus[], signal: string): Promise<ActionResult[]> {
    const n = signalNumber(signal);
    if (n === null) {
      return targets.map((t) => faultResult(t.namespec, 'BAD_SIGNAL'));
    }
    const cur = await this.current(targets);
    return Promise.all(
      targets.map(async (t): Promise<ActionResult> => {
        if (!isSignallable(cur.get(t.ref))) return faultResult(t.namespec, 'NOT_RUNNING');
        try {
          await this.mgr.kill(t.ref, n);
          return okResult(t.namespec, 'signal');
        } catch (e) {
          return faultResult(t.namespec, 'FAILED', (e as Error).message);
        }
      }),
    );
  }

  async logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    const { p } = this.entry(target);
    const where = req.channel === 'stdout' ? p.stdout : p.stderr;
    const bytes = req.bytes ?? 1600;
    if (where === null) {
      throw new BackendError(
        'NOT_FOUND',
        `${target.namespec}: no ${req.channel} log file (it is discarded${req.channel === 'stderr' && p.stdout !== null ? ' or redirected to stdout' : ''})`,
      );
    }
    if (where === 'journal') {
      return tailJournal(p.unit, this.o.scope, bytes, req.follow, sink, req.signal);
    }
    return tailFile(where, bytes, req.follow, sink, req.signal);
  }

  avail(): Promise<AvailEntry[]> {
    return Promise.resolve(
      this.manifests().flatMap((m) =>
        m.processes.map((p) => ({
          namespec: p.namespec,
          inUse: true,
          autostart: p.autostart,
          priority: p.priority,
        })),
      ),
    );
  }

  plan(d: Deployment): Promise<ChangeSet> {
    return Promise.resolve(applyOps.plan(this.context(), d));
  }

  apply(d: Deployment, opts: ApplyOptions): Promise<ApplyResult> {
    return applyOps.apply(this.context(), d, opts);
  }

  remove(opts?: RemoveOptions): Promise<void> {
    return applyOps.remove(this.context(), opts?.onProgress);
  }

  close(): Promise<void> {
    this.close_();
    return Promise.resolve();
  }
}

export async function createSystemdBackend(opts: SystemdBackendOptions): Promise<Backend> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const bus = await connectBus({ scope: opts.scope, busAddress: opts.busAddress, timeoutMs });
  const mgr = new Manager(bus, timeoutMs * 10);
  return new SystemdBackend(
    mgr,
    opts,
    opts.unitDir ?? defaultUnitDir(opts.scope),
    opts.logDir ?? defaultLogDir(opts.scope),
    () => bus.close(),
  );
}
