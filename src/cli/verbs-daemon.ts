/**
 * The verb table's entries for supervisorctl's verbs about supervisord
 * itself: clear, maintail, shutdown, reload, open, fg
 * (commands/ctl-daemon.ts). A one-shot `fg` or `maintail -f` ends on
 * SIGINT/SIGTERM; in the shell, on Ctrl-C.
 */
import { createInterface } from 'node:readline';
import type { Backend } from '../control/types.ts';
import { ctlOptions, strs, type AnyArgv, type Args } from './options.ts';
import type { CtlIO } from './commands/ctl-io.ts';
import type { Verb } from './verbs.ts';

/** supervisorctl's help_VERB lines (`help VERB`, and after a usage error). */
export const DAEMON_HELP = {
  clear: [
    "clear <name>\t\tClear a process' log files.",
    "clear <name> <name>\tClear multiple process' log files",
    "clear all\t\tClear all process' log files",
  ],
  maintail: [
    'maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)',
    'maintail -100\tlast 100 *bytes* of supervisord main log file',
    'maintail\tlast 1600 *bytes* of supervisor main log file',
    '',
  ],
  shutdown: ['shutdown \tShut the remote supervisord down.'],
  reload: ['reload \t\tRestart the remote supervisord.'],
  open: [
    'open <url>\tConnect to a remote supervisord process.',
    '\t\t(for UNIX domain socket, use unix:///socket/path)',
  ],
  fg: ['fg <process>\tConnect to a process in foreground mode', '\t\tCtrl-C to exit'],
} as const;

const help = (v: keyof typeof DAEMON_HELP): string => DAEMON_HELP[v].join('\n');

const daemon = () => import('./commands/ctl-daemon.ts');

const withArgs = (y: AnyArgv): AnyArgv =>
  ctlOptions(y).positional('args', { type: 'string', array: true });

async function onBackend(a: Args, fn: (b: Backend, io: CtlIO) => Promise<number>): Promise<number> {
  const { withBackend } = await import('./commands/control.ts');
  return withBackend(a, (b, io) => fn(b, io));
}

/** Runs `fn` with a signal that SIGINT/SIGTERM abort (a follow's end). */
async function interruptible(fn: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(ac.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** The one-shot fg's input: stdin's lines, null at its end. */
function stdinLines(): { next: () => Promise<string | null>; close: () => void } {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const it = rl[Symbol.asyncIterator]();
  return {
    next: async () => {
      const r = await it.next();
      return r.done === true ? null : r.value;
    },
    close: () => rl.close(),
  };
}

export const DAEMON_VERBS: readonly Verb[] = [
  {
    command: 'clear [args..]',
    summary: "clear NAME...|all: empty processes' log files (journal and container logs: refused)",
    builder: withArgs,
    run: (a) => onBackend(a, async (b, io) => (await daemon()).ctlClear(b, strs(a.args), io)),
    shell: {
      help: help('clear'),
      run: async (c, w) => (await daemon()).ctlClear(c.backend, w, c.io),
    },
  },
  {
    command: 'maintail [args..]',
    summary: "maintail [-f|-N]: supervisord's own log (the last 1600 bytes)",
    builder: withArgs,
    run: (a) =>
      interruptible((signal) =>
        onBackend(a, async (b, io) => (await daemon()).ctlMaintail(b, strs(a.args), io, signal)),
      ),
    shell: {
      help: help('maintail'),
      run: async (c, w) => (await daemon()).ctlMaintail(c.backend, w, c.io, c.signal),
    },
  },
  {
    command: 'shutdown [args..]',
    summary: 'supervisord: shut it down; systemd/Docker: stop every program',
    builder: withArgs,
    run: (a) =>
      onBackend(a, async (b, io) => (await daemon()).ctlDaemon(b, 'shutdown', strs(a.args), io)),
    shell: {
      help: help('shutdown'),
      run: async (c, w) => (await daemon()).ctlDaemon(c.backend, 'shutdown', w, c.io, c.readLine),
    },
  },
  {
    command: 'reload [args..]',
    summary:
      'supervisord: restart it; systemd/Docker: stop every program, start the autostart ones',
    builder: withArgs,
    run: (a) =>
      onBackend(a, async (b, io) => (await daemon()).ctlDaemon(b, 'reload', strs(a.args), io)),
    shell: {
      help: help('reload'),
      run: async (c, w) => (await daemon()).ctlDaemon(c.backend, 'reload', w, c.io, c.readLine),
    },
  },
  {
    command: 'open <url>',
    summary: 'the status of the supervisord at URL (unix:///path or http://host:port)',
    builder: (y) => ctlOptions(y).positional('url', { type: 'string' }),
    run: async (a) => {
      const url = String(a.url);
      const to = { ...a, backend: 'supervisord', serverurl: url, configuration: undefined };
      const { ctlOpen } = await daemon();
      const { stdIO, openFor } = await import('./commands/control.ts');
      let opened: Backend | undefined;
      try {
        return await ctlOpen(url, stdIO(a), async () => {
          opened = (await openFor(to)).backend;
          return opened;
        });
      } finally {
        await opened?.close().catch(() => undefined);
      }
    },
    shell: {
      help: help('open'),
      run: async (c, w) => {
        const { ctlOpen } = await daemon();
        const openServer = c.openServer;
        if (openServer === undefined) {
          c.io.out('ERROR: this shell cannot switch servers');
          return 1;
        }
        return ctlOpen(w.join(' ').trim(), c.io, openServer);
      },
    },
  },
  {
    command: 'fg [args..]',
    summary: "fg NAME: follow a process's output and send it input lines (supervisord only)",
    builder: withArgs,
    run: (a) =>
      interruptible(async (signal) => {
        const input = stdinLines();
        try {
          return await onBackend(a, async (b, io) =>
            (await daemon()).ctlFg(b, strs(a.args), io, signal, input.next),
          );
        } finally {
          input.close();
        }
      }),
    shell: {
      help: help('fg'),
      run: async (c, w) => (await daemon()).ctlFg(c.backend, w, c.io, c.signal, c.readLine),
    },
  },
];
