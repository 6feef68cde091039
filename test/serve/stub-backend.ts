/**
 * An in-memory Backend for the serve unit tests: it checks the HTTP and
 * XML-RPC layer, not any real backend (test/integration/serve.test.ts does).
 */
import type { ActionResult, Backend, ProcessStatus } from '../../src/control/types.ts';

export function proc(group: string, name: string, state: ProcessStatus['state']): ProcessStatus {
  return {
    group,
    name,
    namespec: group === name ? name : `${group}:${name}`,
    project: 'p',
    state,
    description: state === 'RUNNING' ? 'pid 42, uptime 0:00:05' : 'Not started',
    pid: state === 'RUNNING' ? 42 : null,
    startedAt: state === 'RUNNING' ? 1_700_000_000_000 : null,
    stoppedAt: null,
    exitStatus: null,
    restarts: 2,
    cpuNsec: 1_500_000_000,
    memoryBytes: 4096,
    ref: `${name}.service`,
  };
}

export function stubBackend(
  ps: ProcessStatus[],
  log = 'hello\nworld\n',
): Backend & { calls: string[] } {
  const calls: string[] = [];
  const act =
    (verb: string, to: ProcessStatus['state']) =>
    (targets: ProcessStatus[]): Promise<ActionResult[]> => {
      calls.push(`${verb} ${targets.map((t) => t.namespec).join(',')}`);
      return Promise.resolve(
        targets.map((t) => {
          if (t.state === to) {
            return {
              namespec: t.namespec,
              ok: false,
              fault: to === 'RUNNING' ? 'ALREADY_STARTED' : 'NOT_RUNNING',
            };
          }
          t.state = to;
          return { namespec: t.namespec, ok: true };
        }),
      );
    };
  return {
    calls,
    list: () => Promise.resolve(ps),
    start: act('start', 'RUNNING'),
    stop: act('stop', 'STOPPED'),
    restart: act('restart', 'RUNNING'),
    signal: (targets) => Promise.resolve(targets.map((t) => ({ namespec: t.namespec, ok: true }))),
    logs: (_t, req, sink) => {
      const b = Buffer.from(log);
      sink(b.subarray(Math.max(0, b.length - (req.bytes ?? 1600))));
      return Promise.resolve();
    },
    avail: () =>
      Promise.resolve(
        ps.map((p) => ({
          namespec: p.namespec,
          inUse: true,
          autostart: p.name !== 'manual',
          priority: 999,
        })),
      ),
    plan: () => Promise.resolve({ added: [], changed: [], removed: [] }),
    apply: () => Promise.resolve({ changes: { added: [], changed: [], removed: [] }, written: [] }),
    remove: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
