/**
 * An in-memory Backend for unit tests of the CLI logic: processes with
 * supervisor states, start/stop/restart/signal that change them, a log per
 * channel, and a record of every call.
 */
import type {
  ActionResult,
  ApplyOptions,
  ApplyResult,
  AvailEntry,
  Backend,
  ChangeSet,
  LogRequest,
  ProcessState,
  ProcessStatus,
} from '../../src/control/types.ts';
import { BackendError, RUNNING_STATES } from '../../src/control/types.ts';
import { namespec as makeNamespec } from '../../src/model/names.ts';
import type { Deployment } from '../../src/model/deployment.ts';

export function proc(
  group: string,
  name: string,
  state: ProcessState = 'RUNNING',
  extra: Partial<ProcessStatus> = {},
): ProcessStatus {
  const running = RUNNING_STATES.includes(state);
  return {
    group,
    name,
    namespec: makeNamespec(group, name),
    project: 'p',
    state,
    description: running ? 'pid 100, uptime 0:00:05' : 'Not started',
    pid: running ? 100 : null,
    startedAt: null,
    stoppedAt: null,
    exitStatus: null,
    restarts: 0,
    cpuNsec: null,
    memoryBytes: null,
    ref: `${group}-${name}.service`,
    ...extra,
  };
}

export class FakeBackend implements Backend {
  readonly kind = 'systemd' as const;
  calls: string[] = [];
  /** namespec → fault the next start/restart of it returns. */
  startFaults = new Map<string, ActionResult['fault']>();
  logsText: Record<'stdout' | 'stderr', string> = { stdout: 'out-line\n', stderr: 'err-line\n' };
  changes: ChangeSet = { added: [], changed: [], removed: [] };
  unreachable = false;
  removed = false;

  constructor(public procs: ProcessStatus[]) {}

  private check(): void {
    if (this.unreachable) throw new BackendError('UNREACHABLE', 'cannot connect to the bus');
  }

  list(): Promise<ProcessStatus[]> {
    this.check();
    this.calls.push('list');
    return Promise.resolve(this.procs.map((p) => ({ ...p })));
  }

  private set(ns: string, state: ProcessState): void {
    const p = this.procs.find((x) => x.namespec === ns)!;
    p.state = state;
    p.pid = RUNNING_STATES.includes(state) ? 200 : null;
  }

  start(targets: ProcessStatus[]): Promise<ActionResult[]> {
    this.calls.push(`start ${targets.map((t) => t.namespec).join(' ')}`);
    return Promise.resolve(
      targets.map((t) => {
        const fault = this.startFaults.get(t.namespec);
        if (fault !== undefined) {
          this.set(t.namespec, 'FATAL');
          return { namespec: t.namespec, ok: false, fault };
        }
        this.set(t.namespec, 'RUNNING');
        return { namespec: t.namespec, ok: true, message: 'started' };
      }),
    );
  }

  stop(targets: ProcessStatus[]): Promise<ActionResult[]> {
    this.calls.push(`stop ${targets.map((t) => t.namespec).join(' ')}`);
    for (const t of targets) this.set(t.namespec, 'STOPPED');
    return Promise.resolve(targets.map((t) => ({ namespec: t.namespec, ok: true })));
  }

  async restart(targets: ProcessStatus[]): Promise<ActionResult[]> {
    this.calls.push(`restart ${targets.map((t) => t.namespec).join(' ')}`);
    const saved = this.calls.length;
    const r = await this.start(targets);
    this.calls.length = saved;
    return r;
  }

  signal(targets: ProcessStatus[], signal: string): Promise<ActionResult[]> {
    this.calls.push(`signal ${signal} ${targets.map((t) => t.namespec).join(' ')}`);
    return Promise.resolve(targets.map((t) => ({ namespec: t.namespec, ok: true })));
  }

  logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    this.calls.push(`logs ${target.namespec} ${req.channel} ${req.bytes} ${req.follow}`);
    sink(Buffer.from(this.logsText[req.channel]));
    return Promise.resolve();
  }

  avail(): Promise<AvailEntry[]> {
    return Promise.resolve(
      this.procs.map((p) => ({
        namespec: p.namespec,
        inUse: true,
        autostart: p.name !== 'idle',
        priority: 999,
      })),
    );
  }

  plan(d: Deployment): Promise<ChangeSet> {
    void d;
    this.calls.push('plan');
    return Promise.resolve(this.changes);
  }

  apply(d: Deployment, opts: ApplyOptions): Promise<ApplyResult> {
    void d;
    this.calls.push(`apply onlyChanges=${opts.onlyChanges} dryRun=${opts.dryRun}`);
    return Promise.resolve({ changes: this.changes, written: ['a.service'] });
  }

  remove(): Promise<void> {
    this.removed = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A CtlIO that records stdout lines, raw writes and stderr lines. */
export function recordIO(opts: { json?: boolean; wide?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let raw = '';
  return {
    out,
    err,
    raw: () => raw,
    io: {
      out: (l: string) => void out.push(l),
      write: (c: Buffer | string) => void (raw += c.toString()),
      err: (l: string) => void err.push(l),
      json: opts.json === true,
      wide: opts.wide === true,
    },
  };
}
