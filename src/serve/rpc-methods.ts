/**
 * supervisor 4.2.5's `supervisor.*` methods over the control facade. Each
 * entry: its XML-RPC signature (return type first, as methodSignature
 * answers), how many parameters it takes, a one-line help, and the call.
 * Methods that cannot work without supervisord answer supervisor's fault
 * for the situation (README, "supctl serve").
 */
import type { Backend } from '../control/types.ts';
import { STOPPED_STATES } from '../control/types.ts';
import type { Deployment } from '../model/deployment.ts';
import type { XmlRpcValue } from '../xmlrpc/types.ts';
import { FAULTS, RpcFault } from './faults.ts';
import { processInfo } from './process-info.ts';
import { readLogSlice } from './rpc-logs.ts';
import {
  actMany,
  actOne,
  changes,
  group,
  groupAndProcess,
  int,
  lexical,
  oneProcess,
  outcome,
  signalMany,
  signalName,
  splitNamespec,
  str,
} from './rpc-targets.ts';

export interface RpcContext {
  backend: Backend;
  /** Re-reads the config file (reloadConfig, addProcessGroup, removeProcessGroup); absent without -c. */
  reload?: (() => Deployment) | undefined;
  /** The pid getPID answers: the server's own. */
  pid: number;
}

export interface Method {
  signature: string[];
  /** Required parameters; `optional` more may follow. */
  required: number;
  optional?: number;
  help: string;
  call: (c: RpcContext, p: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>;
}

function logMethod(channel: 'stdout' | 'stderr', tail: boolean): Method {
  return {
    signature: tail ? ['array', 'string', 'int', 'int'] : ['string', 'string', 'int', 'int'],
    required: 3,
    help: `${tail ? 'Tail' : 'Read'} the process's ${channel} log (name, offset, length)`,
    call: async (c, p) => {
      const proc = await oneProcess(c, str(p[0]));
      const r = await readLogSlice(c.backend, proc, channel, int(p[1]), int(p[2]), tail);
      return tail ? [r.text, r.offset, r.overflow] : r.text;
    },
  };
}

const OK = (): XmlRpcValue => true;

export const SUPERVISOR_METHODS: Readonly<Record<string, Method>> = {
  getAPIVersion: {
    signature: ['string'],
    required: 0,
    help: 'Return the version of the RPC API',
    call: () => '3.0',
  },
  getVersion: {
    signature: ['string'],
    required: 0,
    help: 'Return the version of the RPC API (deprecated alias)',
    call: () => '3.0',
  },
  getSupervisorVersion: {
    signature: ['string'],
    required: 0,
    help: 'Return the version of supervisor this server answers as',
    call: () => '4.2.5',
  },
  getIdentification: {
    signature: ['string'],
    required: 0,
    help: 'Return the identifying string',
    call: () => 'supervisor',
  },
  getState: {
    signature: ['struct'],
    required: 0,
    help: 'Return the current state of the server',
    call: () => ({ statecode: 1, statename: 'RUNNING' }),
  },
  getPID: {
    signature: ['int'],
    required: 0,
    help: 'Return the pid of the server',
    call: (c) => c.pid,
  },
  readLog: {
    signature: ['string', 'int', 'int'],
    required: 2,
    help: 'Read the main log (there is none: NO_FILE)',
    call: () => {
      throw new RpcFault('NO_FILE');
    },
  },
  clearLog: {
    signature: ['boolean'],
    required: 0,
    help: 'Clear the main log (there is none: NO_FILE)',
    call: () => {
      throw new RpcFault('NO_FILE');
    },
  },
  shutdown: {
    signature: ['boolean'],
    required: 0,
    help: 'Not over XML-RPC: stop supctl serve itself (FAILED)',
    call: () => {
      throw new RpcFault('FAILED', 'supctl serve is not shut down over XML-RPC');
    },
  },
  restart: {
    signature: ['boolean'],
    required: 0,
    help: 'Not over XML-RPC: restart supctl serve itself (FAILED)',
    call: () => {
      throw new RpcFault('FAILED', 'supctl serve is not restarted over XML-RPC');
    },
  },
  reloadConfig: {
    signature: ['array'],
    required: 0,
    help: 'Reread the config file: [[added, changed, removed]]',
    call: async (c) => {
      const { ch } = await changes(c);
      return [[ch.added, ch.changed, ch.removed]];
    },
  },
  addProcessGroup: {
    signature: ['boolean', 'string'],
    required: 1,
    help: "Apply the config file's changes when NAME is one of the added groups",
    call: async (c, p) => {
      const name = str(p[0]);
      const { d, ch } = await changes(c);
      if (!ch.added.includes(name)) {
        if ((await c.backend.list()).some((x) => x.group === name))
          throw new RpcFault('ALREADY_ADDED', name);
        throw new RpcFault('BAD_NAME', name);
      }
      await c.backend.apply(d, { dryRun: false, onlyChanges: true });
      return true;
    },
  },
  removeProcessGroup: {
    signature: ['boolean', 'string'],
    required: 1,
    help: "Apply the config file's changes when NAME is a removed (or changed) group that is stopped",
    call: async (c, p) => {
      const name = str(p[0]);
      const members = await group(c, name);
      if (members.some((m) => !STOPPED_STATES.includes(m.state)))
        throw new RpcFault('STILL_RUNNING', name);
      const { d, ch } = await changes(c);
      if (!ch.removed.includes(name) && !ch.changed.includes(name))
        throw new RpcFault('BAD_NAME', name);
      await c.backend.apply(d, { dryRun: false, onlyChanges: true });
      return true;
    },
  },
  startProcess: {
    signature: ['boolean', 'string', 'boolean'],
    required: 1,
    optional: 1,
    help: 'Start a process (NAME, GROUP:NAME or GROUP:*)',
    call: (c, p) => actOne(c, 'start', str(p[0])),
  },
  stopProcess: {
    signature: ['boolean', 'string', 'boolean'],
    required: 1,
    optional: 1,
    help: 'Stop a process (NAME, GROUP:NAME or GROUP:*)',
    call: (c, p) => actOne(c, 'stop', str(p[0])),
  },
  startProcessGroup: {
    signature: ['array', 'string', 'boolean'],
    required: 1,
    optional: 1,
    help: 'Start every process of a group',
    call: async (c, p) => actMany(c, 'start', await group(c, str(p[0]))),
  },
  stopProcessGroup: {
    signature: ['array', 'string', 'boolean'],
    required: 1,
    optional: 1,
    help: 'Stop every process of a group',
    call: async (c, p) => actMany(c, 'stop', await group(c, str(p[0]))),
  },
  startAllProcesses: {
    signature: ['array', 'boolean'],
    required: 0,
    optional: 1,
    help: 'Start every process',
    call: async (c) => actMany(c, 'start', await c.backend.list()),
  },
  stopAllProcesses: {
    signature: ['array', 'boolean'],
    required: 0,
    optional: 1,
    help: 'Stop every process',
    call: async (c) => actMany(c, 'stop', await c.backend.list()),
  },
  signalProcess: {
    signature: ['boolean', 'string', 'string'],
    required: 2,
    help: 'Send a signal (name or number) to a process',
    call: async (c, p) => {
      const spec = str(p[0]);
      const sig = signalName(p[1]);
      const { members, process } = await groupAndProcess(c, spec);
      if (process === null) return signalMany(c, members, sig);
      return outcome((await c.backend.signal([process], sig))[0], spec);
    },
  },
  signalProcessGroup: {
    signature: ['array', 'string', 'string'],
    required: 2,
    help: 'Send a signal to every process of a group',
    call: async (c, p) => signalMany(c, await group(c, str(p[0])), signalName(p[1])),
  },
  signalAllProcesses: {
    signature: ['array', 'string'],
    required: 1,
    help: 'Send a signal to every process',
    call: async (c, p) => signalMany(c, await c.backend.list(), signalName(p[0])),
  },
  getAllConfigInfo: {
    signature: ['array'],
    required: 0,
    help: 'Info about every configured process',
    call: async (c) => {
      const rows = (await c.backend.avail()).map((e) => {
        const { group, name } = splitNamespec(e.namespec);
        return {
          name: name ?? group,
          group,
          inuse: e.inUse,
          autostart: e.autostart,
          process_prio: e.priority,
          group_prio: e.priority,
        };
      });
      // supervisor sorts its groups by (priority, name), then the flattened list by process name alone
      const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
      return rows
        .sort((x, y) => cmp(x.group, y.group))
        .sort((x, y) => x.group_prio - y.group_prio)
        .sort((x, y) => cmp(x.name, y.name));
    },
  },
  getProcessInfo: {
    signature: ['struct', 'string'],
    required: 1,
    help: 'Info about one process',
    call: async (c, p) => processInfo(await oneProcess(c, str(p[0]))),
  },
  getAllProcessInfo: {
    signature: ['array'],
    required: 0,
    help: 'Info about every process',
    call: async (c) => {
      const now = Date.now();
      return lexical(await c.backend.list()).map((p) => processInfo(p, now));
    },
  },
  readProcessStdoutLog: logMethod('stdout', false),
  readProcessStderrLog: logMethod('stderr', false),
  tailProcessStdoutLog: logMethod('stdout', true),
  tailProcessStderrLog: logMethod('stderr', true),
  clearProcessLogs: {
    signature: ['boolean', 'string'],
    required: 1,
    help: 'Not possible: logs are in the journal or the container (FAILED)',
    call: async (c, p) => {
      const proc = await oneProcess(c, str(p[0]));
      throw new RpcFault('FAILED', proc.namespec);
    },
  },
  clearAllProcessLogs: {
    signature: ['array'],
    required: 0,
    help: 'Not possible: logs are in the journal or the container (FAILED for each)',
    call: async (c) =>
      lexical(await c.backend.list()).map((p) => ({
        name: p.name,
        group: p.group,
        status: FAULTS.FAILED,
        description: `FAILED: ${p.namespec}`,
      })),
  },
  sendProcessStdin: {
    signature: ['boolean', 'string', 'string'],
    required: 2,
    help: "Not possible: a unit's or container's stdin is not reachable (NO_FILE)",
    call: async (c, p) => {
      const proc = await oneProcess(c, str(p[0]));
      if (proc.pid === null) throw new RpcFault('NOT_RUNNING', proc.namespec);
      throw new RpcFault('NO_FILE', proc.namespec);
    },
  },
  sendRemoteCommEvent: {
    signature: ['boolean', 'string', 'string'],
    required: 2,
    help: 'Accepted; there are no event listeners',
    call: OK,
  },
};

// supervisor's backwards-compatible aliases
const ALIASES: Record<string, string> = {
  readMainLog: 'readLog',
  readProcessLog: 'readProcessStdoutLog',
  tailProcessLog: 'tailProcessStdoutLog',
  clearProcessLog: 'clearProcessLogs',
};

export const SUPERVISOR_ALIASES: Readonly<Record<string, Method>> = Object.fromEntries(
  Object.entries(ALIASES).map(([a, m]) => [a, SUPERVISOR_METHODS[m]!]),
);
