/**
 * A stack: the programs of one supervisord config wherever they run now
 * (systemd projects, Docker projects, the supervisord the config names),
 * behind one Backend. Each verb's targets go to the member that listed
 * them; results come back in the order the targets were given, which is
 * the order supervisorctl acts in.
 */
import type { Deployment } from '../../model/deployment.ts';
import {
  BackendError,
  type ActionResult,
  type ApplyOptions,
  type RemoveOptions,
  type ApplyResult,
  type AvailEntry,
  type Backend,
  type ChangeSet,
  type GroupEdit,
  type LogRequest,
  type ProcessStatus,
} from '../types.ts';
import { addGroupByApply, removeGroupByApply } from './groups.ts';

export interface StackMember {
  /** The backend's registry name, e.g. `systemd` (the BACKEND column). */
  name: string;
  backend: Backend;
}

export class StackBackend implements Backend {
  private readonly owner = new WeakMap<ProcessStatus, StackMember>();
  private readonly byNamespec = new Map<string, StackMember>();

  /**
   * `home` takes reread/update/apply: where the stack's config is installed.
   * With no member, listing fails with `nobody`, the one line saying so.
   */
  constructor(
    readonly members: readonly StackMember[],
    private readonly home: Backend,
    private readonly nobody: string,
    /** The stack's config: where `add GROUP` finds a group, and what `remove` keeps. */
    private readonly config?: Deployment,
  ) {}

  async list(opts?: { detail?: boolean }): Promise<ProcessStatus[]> {
    if (this.members.length === 0) throw new BackendError('NOT_FOUND', this.nobody);
    const lists = await Promise.all(this.members.map((m) => m.backend.list(opts)));
    const out: ProcessStatus[] = [];
    lists.forEach((rows, i) => {
      const m = this.members[i]!;
      for (const p of rows) {
        this.owner.set(p, m);
        this.byNamespec.set(`${p.project}\0${p.namespec}`, m);
        out.push(p);
      }
    });
    return out;
  }

  /** The member that listed `p` (its name fills the BACKEND column). */
  memberOf(p: ProcessStatus): StackMember | undefined {
    return this.owner.get(p) ?? this.byNamespec.get(`${p.project}\0${p.namespec}`);
  }

  /** Members that hold at least one of `rows`. */
  holders(rows: readonly ProcessStatus[]): Set<string> {
    return new Set(rows.flatMap((p) => this.memberOf(p)?.name ?? []));
  }

  private async routed(
    targets: ProcessStatus[],
    fn: (b: Backend, t: ProcessStatus[]) => Promise<ActionResult[]>,
  ): Promise<ActionResult[]> {
    const groups = new Map<StackMember, ProcessStatus[]>();
    for (const t of targets) {
      const m = this.memberOf(t) ?? this.members[0]!;
      groups.set(m, [...(groups.get(m) ?? []), t]);
    }
    const results = await Promise.all([...groups].map(([m, ts]) => fn(m.backend, ts)));
    const byTarget = new Map<ProcessStatus, ActionResult>();
    [...groups.values()].forEach((ts, i) => {
      const rs = results[i]!;
      // a backend answers one result per target, in the order given
      ts.forEach((t, j) => {
        const r = rs.find((x) => x.namespec === t.namespec) ?? rs[j];
        if (r) byTarget.set(t, r);
      });
    });
    return targets.flatMap((t) => byTarget.get(t) ?? []);
  }

  start(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return this.routed(targets, (b, t) => b.start(t));
  }
  stop(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return this.routed(targets, (b, t) => b.stop(t));
  }
  restart(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return this.routed(targets, (b, t) => b.restart(t));
  }
  signal(targets: ProcessStatus[], signal: string): Promise<ActionResult[]> {
    return this.routed(targets, (b, t) => b.signal(t, signal));
  }

  logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    const m = this.memberOf(target) ?? this.members[0]!;
    return m.backend.logs(target, req, sink);
  }

  async avail(): Promise<AvailEntry[]> {
    const all = await Promise.all(this.members.map((m) => m.backend.avail()));
    return all.flat().sort((a, b) => a.namespec.localeCompare(b.namespec));
  }

  plan(d: Deployment): Promise<ChangeSet> {
    return this.home.plan(d);
  }
  apply(d: Deployment, opts: ApplyOptions): Promise<ApplyResult> {
    return this.home.apply(d, opts);
  }

  /** The member running `group` does it, by its daemon's call or by plan/apply. */
  async removeGroup(group: string): Promise<GroupEdit> {
    const rows = await this.list();
    const m = rows.flatMap((p) => (p.group === group ? (this.memberOf(p) ?? []) : []))[0];
    if (m === undefined) return 'unknown';
    if (m.backend.removeGroup) return m.backend.removeGroup(group);
    return this.config ? removeGroupByApply(m.backend, this.config, group) : 'unknown';
  }

  /** `add` goes home: where the stack's config is installed. */
  async addGroup(group: string): Promise<GroupEdit> {
    if ((await this.list()).some((p) => p.group === group)) return 'active';
    if (this.home.addGroup) return this.home.addGroup(group);
    return this.config ? addGroupByApply(this.home, this.config, group) : 'unknown';
  }

  async remove(opts?: RemoveOptions): Promise<void> {
    for (const m of this.members) await m.backend.remove(opts);
  }

  async close(): Promise<void> {
    const all = new Set([this.home, ...this.members.map((m) => m.backend)]);
    await Promise.all([...all].map((b) => b.close().catch(() => undefined)));
  }
}
