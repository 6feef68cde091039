/**
 * The supervisord backend: supctl's verbs over a running supervisord's
 * XML-RPC interface, calling what supervisorctl 4.2.5 calls for each verb
 * (see ../../../shared/reference/supervisor-xmlrpc.md). discover.ts finds
 * the server the way supervisorctl does.
 *
 * `remove` is refused: supervisord's programs live in its config file,
 * which this backend does not own; removing them is "edit the config, then
 * update", and stopping the daemon is the init system's job.
 */
import type { Deployment } from '../../model/deployment.ts';
import {
  BackendError,
  RUNNING_STATES,
  type ActionResult,
  type ApplyOptions,
  type ApplyResult,
  type AvailEntry,
  type Backend,
  type ChangeSet,
  type ClearResult,
  type MainLogRequest,
  type GroupEdit,
  type LogRequest,
  type ProcessStatus,
} from '../types.ts';
import { descendants, sumUsage } from '../usage/index.ts';
import { allStats } from '../usage/proc.ts';
import { act } from './actions.ts';
import { editGroup } from './groups.ts';
import { isStruct } from '../../xmlrpc/types.ts';
import { str, toProcessStatus } from './info.ts';
import { readLog } from './logs.ts';
import { reread, update } from './reload.ts';
import { Session } from './session.ts';
import { clearLogs, daemonCall, mainLog, sendStdin } from './daemon.ts';

interface SupervisordBackendOptions {
  /** `unix:///path/supervisor.sock` or `http://host:port`. */
  serverUrl: string;
  username?: string | null | undefined;
  password?: string | null | undefined;
  /** The config the server was found from (named in messages). */
  configFile?: string | undefined;
  /** Per-call deadline; start/stop wait for the process, so keep it above startsecs/stopwaitsecs. */
  timeoutMs?: number | undefined;
  /** The `project` every ProcessStatus carries (default `supervisord`). */
  project?: string | undefined;
}

class SupervisordBackend implements Backend {
  readonly kind = 'supervisord' as const;
  private readonly s: Session;
  private readonly project: string;

  constructor(private readonly o: SupervisordBackendOptions) {
    this.s = new Session(o);
    this.project = o.project ?? 'supervisord';
  }

  async list(opts: { detail?: boolean } = {}): Promise<ProcessStatus[]> {
    const infos = await this.s.call('supervisor.getAllProcessInfo');
    const rows = (Array.isArray(infos) ? infos : []).map((i) => toProcessStatus(i, this.project));
    if (opts.detail) {
      // the program and what it forked (supervisord keeps no cgroup per
      // program); one pass over /proc for every row. Only a pid whose
      // parent is this supervisord: a remote daemon's (or another pid
      // namespace's) pids name unrelated local processes.
      const daemon = await this.daemonPid();
      const stats = allStats();
      for (const r of rows) {
        if (r.pid === null || stats.get(r.pid)?.ppid !== daemon) continue;
        const u = sumUsage(descendants(r.pid, stats));
        if (u) Object.assign(r, u);
      }
    }
    return rows;
  }

  async start(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return act(this.s, 'start', targets, await this.list());
  }

  async stop(targets: ProcessStatus[]): Promise<ActionResult[]> {
    return act(this.s, 'stop', targets, await this.list());
  }

  /** supervisorctl's restart: stop what runs, then start every target; the start results. */
  async restart(targets: ProcessStatus[]): Promise<ActionResult[]> {
    const all = await this.list();
    const now = new Map(all.map((p) => [p.namespec, p]));
    const current = targets.map((t) => now.get(t.namespec) ?? t);
    await act(
      this.s,
      'stop',
      current.filter((p) => RUNNING_STATES.includes(p.state)),
      all,
    );
    return act(this.s, 'start', targets, await this.list());
  }

  async signal(targets: ProcessStatus[], signal: string): Promise<ActionResult[]> {
    return act(this.s, 'signal', targets, await this.list(), signal.replace(/^SIG/, ''));
  }

  logs(target: ProcessStatus, req: LogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    return readLog(this.s, target, req, sink);
  }

  async avail(): Promise<AvailEntry[]> {
    const cfg = await this.s.call('supervisor.getAllConfigInfo');
    return (Array.isArray(cfg) ? cfg : []).filter(isStruct).map((c) => {
      const group = str(c['group']);
      const name = str(c['name']);
      return {
        namespec: group === name ? name : `${group}:${name}`,
        inUse: c['inuse'] === true,
        autostart: c['autostart'] === true,
        priority: Number(c['process_prio']),
        // formatAvail prints `group_prio:process_prio`, as supervisorctl
        groupPriority: Number(c['group_prio']),
      };
    });
  }

  /** supervisorctl's bare `pid`: supervisord's own. */
  async daemonPid(): Promise<number> {
    return Number(await this.s.call('supervisor.getPID'));
  }

  /** reread: supervisord rereads its own config file; `d` only chose the daemon. */
  plan(_d: Deployment): Promise<ChangeSet> {
    return reread(this.s);
  }

  /** update (and apply, which over a live supervisord is the same thing). */
  async apply(_d: Deployment, opts: ApplyOptions): Promise<ApplyResult> {
    const changes = opts.dryRun ? await reread(this.s) : await update(this.s);
    return { changes, written: [] };
  }

  remove(): Promise<void> {
    return Promise.reject(
      new BackendError(
        'FAILED',
        `the supervisord backend does not remove programs from a running supervisord` +
          `${this.o.configFile ? ` (${this.o.configFile})` : ''}: remove them from its config, then run update`,
      ),
    );
  }

  removeGroup(group: string): Promise<GroupEdit> {
    return editGroup(this.s, 'supervisor.removeProcessGroup', group);
  }
  addGroup(group: string): Promise<GroupEdit> {
    return editGroup(this.s, 'supervisor.addProcessGroup', group);
  }

  clearLogs(names: readonly string[]): Promise<ClearResult[]> {
    return clearLogs(this.s, names);
  }
  mainLog(req: MainLogRequest, sink: (chunk: Buffer) => void): Promise<void> {
    return mainLog(this.s, req, sink);
  }
  shutdownDaemon(): Promise<'done' | 'shutting down'> {
    return daemonCall(this.s, 'supervisor.shutdown');
  }
  restartDaemon(): Promise<'done' | 'shutting down'> {
    return daemonCall(this.s, 'supervisor.restart');
  }
  sendStdin(namespec: string, text: string): Promise<boolean> {
    return sendStdin(this.s, namespec, text);
  }

  async close(): Promise<void> {
    // one connection per call: nothing stays open
  }
}

export function createSupervisordBackend(o: SupervisordBackendOptions): Backend {
  return new SupervisordBackend(o);
}
