/**
 * The verb table: every supctl verb once, with its summary, arguments and
 * options, its one-shot handler and, for supervisorctl's verbs, its line in
 * the interactive shell. main.ts builds the yargs commands from it and
 * commands/shell.ts its dispatch and `help`. Handlers import their code
 * lazily: `supctl --help` loads no verb.
 */
import type { Backend } from '../control/types.ts';
import { fileOptions, ctlOptions, str, strs, type AnyArgv, type Args } from './options.ts';
import type { CtlIO } from './commands/ctl-io.ts';
import { CONVERT, PARSE, SANDBOX } from './verbs-offline.ts';
import { DAEMON_VERBS } from './verbs-daemon.ts';

/** What a shell line runs against: the open backend and the shell's project. */
export interface ShellContext {
  backend: Backend;
  io: CtlIO;
  project: string | undefined;
  /** Ends a `tail -f` (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** The stack's config (`-c FILE`): reread/update's file when none is given. */
  configFile?: string | undefined;
  /** The shell's next input line (shutdown/reload's question, fg's input); null at its end. */
  readLine?: ((prompt?: string) => Promise<string | null>) | undefined;
  /** `open URL`: the shell goes on against the supervisord at URL. */
  openServer?: ((url: string) => Promise<Backend>) | undefined;
}

export interface Verb {
  /** yargs' command: the name and its positionals, e.g. `status [names..]`. */
  command: string;
  aliases?: string[];
  summary: string;
  /** Left out of --help and of shell completion (`__complete`). */
  hidden?: boolean;
  builder: (y: AnyArgv) => AnyArgv;
  /** The one-shot verb; resolves to its exit status. */
  run: (a: Args) => Promise<number>;
  /** supervisorctl's verbs also run in the interactive shell. */
  shell?: {
    /** `help <verb>`'s line. */
    help: string;
    run: (c: ShellContext, words: string[]) => Promise<number>;
  };
}

const NAMES_HELP = 'NAME, GROUP:NAME, GROUP:* or all';

const withNames = (y: AnyArgv): AnyArgv =>
  ctlOptions(y).positional('names', { type: 'string', array: true, describe: NAMES_HELP });
const withArgs = (y: AnyArgv): AnyArgv =>
  ctlOptions(y).positional('args', { type: 'string', array: true });

/** Runs `fn` on the backend the options name. */
async function onBackend(
  a: Args,
  fn: (b: Backend, io: CtlIO, project: string | undefined) => Promise<number>,
): Promise<number> {
  const { withBackend } = await import('./commands/control.ts');
  return withBackend(a, (b, io, r) => fn(b, io, r.project));
}

const show = () => import('./commands/ctl-show.ts');
const act = () => import('./commands/ctl-act.ts');
const config = () => import('./commands/ctl-config.ts');

function startStop(verb: 'start' | 'stop' | 'restart', summary: string, help: string): Verb {
  return {
    command: `${verb} [names..]`,
    summary,
    builder: withNames,
    run: (a) =>
      onBackend(a, async (b, io) => (await act()).ctlStartStop(b, verb, strs(a.names), io)),
    shell: { help, run: async (c, w) => (await act()).ctlStartStop(c.backend, verb, w, c.io) },
  };
}

/** reread/update with no file on systemd: the file the project's manifest records. */
async function recordedFile(a: Args, verb: string): Promise<string | undefined> {
  const { defaultBackend } = await import('../control/backends.ts');
  if (verb === 'apply' || (str(a.backend) ?? defaultBackend()) !== 'systemd') return undefined;
  const project = str(a.name) ?? (process.env.SUPCTL_NAME || undefined);
  if (project === undefined) return undefined;
  const { defaultScope } = await import('../control/systemd/open.ts');
  const { recordedConfig } = await import('../control/stack/find.ts');
  const sc = str(a.scope);
  const scope = sc === 'user' || sc === 'system' ? sc : defaultScope();
  return recordedConfig(project, scope, process.env.SUPCTL_SYSTEMD_UNIT_DIR || undefined);
}

/** reread/update/apply: the config file against what is installed. */
function fileVerb(verb: 'reread' | 'update' | 'apply', summary: string, help?: string): Verb {
  return {
    command: verb === 'apply' ? `${verb} <file>` : `${verb} [file]`,
    summary,
    builder:
      verb === 'apply'
        ? (y) =>
            fileOptions(y).option('dry-run', {
              type: 'boolean',
              default: false,
              describe: 'only print what would change',
            })
        : (y) => fileOptions(y, true),
    run: async (a) => {
      const { withBackend, requireProject } = await import('./commands/control.ts');
      const { loadForCli } = await import('./commands/load.ts');
      // without a file: the stack's own config (-c FILE)
      const file = str(a.file) ?? str(a.configuration) ?? (await recordedFile(a, verb));
      if (file === undefined) {
        const { UsageError } = await import('./errors.ts');
        throw new UsageError(`${verb} needs the config file: ${verb} FILE or -c FILE`);
      }
      const d = loadForCli(file, strs(a.set), typeof a.values === 'string' ? a.values : undefined);
      const c = await config();
      return withBackend(
        a,
        (b, io, r) => {
          const project = requireProject(r, verb);
          if (verb === 'reread') return c.ctlReread(b, d, io);
          return c.ctlApply(b, d, io, {
            onlyChanges: verb === 'update',
            dryRun: a['dry-run'] === true,
            project,
          });
        },
        { file, deployment: d },
      );
    },
    ...(help === undefined
      ? {}
      : {
          shell: {
            help,
            run: async (c: ShellContext, words: string[]) => {
              const file = words[0] ?? c.configFile;
              if (file === undefined) {
                c.io.out(`Error: ${verb} needs the config file: ${verb} <file>`);
                return 1;
              }
              const { loadForCli } = await import('./commands/load.ts');
              const d = loadForCli(file, [], undefined);
              const cf = await config();
              if (verb === 'reread') return cf.ctlReread(c.backend, d, c.io);
              return cf.ctlApply(c.backend, d, c.io, {
                onlyChanges: true,
                dryRun: false,
                project: c.project ?? '(project)',
              });
            },
          },
        }),
  };
}

/** `uninstall`: the whole project goes (its units or containers, its manifest). */
async function uninstall(a: Args, verb = 'uninstall'): Promise<number> {
  const { requireProject, resolveGlobals } = await import('./commands/control.ts');
  const file = str(a.configuration);
  const project = requireProject(resolveGlobals(a, file), verb);
  await (await import('./commands/serve-install.ts')).uninstallServeUnit(a, project);
  return onBackend(a, async (b, io) => (await config()).ctlRemove(b, io, project));
}

/** Runs a tail until it ends or SIGINT/SIGTERM ends a follow. */
async function tailVerb(a: Args): Promise<number> {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const t = { follow: a.f === true, words: strs(a.args), signal: ac.signal };
    return await onBackend(a, async (b, io) => (await show()).ctlTail(b, t, io));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export const VERBS: readonly Verb[] = [
  {
    command: 'status [names..]',
    summary: 'status of processes, like supervisorctl status (exit 3 if one is not running)',
    builder: withNames,
    run: async (a) =>
      (await (await show()).statusViaServe(a, strs(a.names))) ?? (await show()).runStatus(a),
    shell: {
      help: 'status [<name>|<gname>:*|all ...]\tGet process status info',
      run: async (c, w) => (await show()).ctlStatus(c.backend, w, c.io),
    },
  },
  startStop('start', 'start processes', 'start <name>|<gname>:*|all ...\tStart processes'),
  startStop('stop', 'stop processes', 'stop <name>|<gname>:*|all ...\tStop processes'),
  startStop(
    'restart',
    'stop, then start processes (does not reread the config)',
    'restart <name>|<gname>:*|all ...\tRestart processes (stop, then start)',
  ),
  {
    command: 'pid [names..]',
    summary: 'pid of processes (0 when not running)',
    builder: withNames,
    run: (a) => onBackend(a, async (b, io) => (await show()).ctlPid(b, strs(a.names), io)),
    shell: {
      help: 'pid [<name>|all ...]\tPrint the pid of processes',
      run: async (c, w) => (await show()).ctlPid(c.backend, w, c.io),
    },
  },
  {
    command: 'signal [args..]',
    summary: 'signal SIG NAME...: send a signal (HUP, SIGHUP or 1) to processes',
    builder: withArgs,
    run: (a) => onBackend(a, async (b, io) => (await act()).ctlSignal(b, strs(a.args), io)),
    shell: {
      help: 'signal <sig> <name>|<gname>:*|all ...\tSignal processes',
      run: async (c, w) => (await act()).ctlSignal(c.backend, w, c.io),
    },
  },
  {
    command: 'tail [args..]',
    summary:
      'tail [-f|-N] NAME [stdout|stderr]: the end of a process log (default 1600 bytes of stdout)',
    builder: (y) =>
      withArgs(y).option('f', {
        type: 'boolean',
        default: false,
        describe: 'follow (Ctrl-C ends)',
      }),
    run: tailVerb,
    shell: {
      help: 'tail [-f|-N] <name> [stdout|stderr]\tOutput the last part of process logs',
      // `tail -f` ends with Ctrl-C (the shell aborts `signal`)
      run: async (c, w) =>
        (await show()).ctlTail(
          c.backend,
          { follow: false, words: w, ...(c.signal ? { signal: c.signal } : {}) },
          c.io,
        ),
    },
  },
  {
    command: 'avail',
    summary: 'every configured process: in use or avail, auto or manual, priority',
    builder: ctlOptions,
    run: (a) => onBackend(a, async (b, io) => (await show()).ctlAvail(b, io)),
    shell: {
      help: 'avail\t\t\tDisplay all configured processes',
      run: async (c) => (await show()).ctlAvail(c.backend, c.io),
    },
  },
  fileVerb(
    'reread',
    'what update would change: NAME: available|changed|disappeared',
    'reread <file>\t\tShow what update would change',
  ),
  fileVerb(
    'update',
    'apply only what changed: start new, restart changed, remove disappeared programs',
    'update <file>\t\tApply only what changed in <file>',
  ),
  fileVerb('apply', 'translate, install and start every program of FILE (all or nothing)'),
  {
    command: 'uninstall',
    summary: 'stop and remove every program of a project (needs --name, or -c FILE)',
    builder: ctlOptions,
    run: (a) => uninstall(a),
  },
  {
    command: 'remove [groups..]',
    summary:
      "supervisorctl's remove GROUP...: take groups out of the running config (remove --name P: deprecated, use uninstall)",
    builder: (y) => ctlOptions(y).positional('groups', { type: 'string', array: true }),
    run: async (a) => {
      const groups = strs(a.groups);
      if (groups.length > 0) {
        return onBackend(a, async (b, io) => (await config()).ctlGroups(b, 'remove', groups, io));
      }
      // supervisorctl's remove with no name does nothing (exit 0); only an
      // explicit --name (or SUPCTL_NAME) is the deprecated project removal
      if (str(a.name) === undefined && !process.env.SUPCTL_NAME) return 0;
      process.stderr.write('supctl: remove --name P is deprecated: use uninstall --name P\n');
      return uninstall(a, 'remove');
    },
    shell: {
      help: 'remove <name> [...]\tRemoves process/group from active config',
      run: async (c, w) => (await config()).ctlGroups(c.backend, 'remove', w, c.io),
    },
  },
  {
    command: 'add [groups..]',
    summary: "supervisorctl's add GROUP...: bring a removed group back from the stack's config",
    builder: (y) => ctlOptions(y).positional('groups', { type: 'string', array: true }),
    run: async (a) =>
      strs(a.groups).length === 0
        ? 0 // supervisorctl's add with no name: nothing
        : onBackend(a, async (b, io) => (await config()).ctlGroups(b, 'add', strs(a.groups), io)),
    shell: {
      help: 'add <name> [...]\tActivates any updates in config for process/group',
      run: async (c, w) => (await config()).ctlGroups(c.backend, 'add', w, c.io),
    },
  },
  {
    command: 'install-shim',
    summary:
      'a supervisorctl symlink to supctl (--dir, default /usr/local/bin); --remove takes ours away',
    builder: (y) =>
      y
        .option('dir', {
          type: 'string',
          default: '/usr/local/bin',
          describe: 'where the link goes',
        })
        .option('remove', {
          type: 'boolean',
          default: false,
          describe: 'remove the link supctl made',
        }),
    run: async (a) => {
      const { installShim } = await import('./commands/shim.ts');
      const dir = str(a.dir) ?? '/usr/local/bin';
      process.stdout.write(
        `${installShim({ dir, remove: a.remove === true, self: process.argv[1] ?? '' })}\n`,
      );
      return 0;
    },
  },
  {
    command: 'serve',
    summary:
      "supervisor's XML-RPC (/RPC2, /logtail), /metrics and /livez /readyz /healthz over the backend",
    builder: (y) =>
      ctlOptions(y)
        .option('c', {
          alias: 'configuration',
          type: 'string',
          describe:
            'config file: listen where its [inet_http_server]/[unix_http_server] say; reloadConfig reads it',
        })
        .option('listen', {
          type: 'string',
          describe:
            "HOST:PORT or unix:PATH (default: the config file's servers, else 127.0.0.1:9001)",
        })
        .option('image', {
          type: 'string',
          array: true,
          describe:
            'docker: IMAGE for all programs, or PROGRAM=IMAGE, for the containers update through serve creates',
        })
        .option('install', {
          type: 'boolean',
          describe:
            'write, enable and start a systemd unit PROJECT-supctl-serve.service running this serve (--scope)',
        })
        .option('remove', {
          type: 'boolean',
          describe: 'with --install: stop and remove that unit',
        }),
    run: async (a) => (await import('./commands/serve.ts')).runServe(a),
  },
  {
    command: 'migrate <file> [groups..]',
    summary:
      'move groups of a running supervisord to systemd or Docker, one at a time (or back: --rollback)',
    builder: (y) =>
      fileOptions(y)
        .positional('groups', { type: 'string', array: true })
        .option('to', { choices: ['systemd', 'docker'], describe: 'where the groups go' })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'print the plan and findings only',
        })
        .option('edit-config', {
          type: 'boolean',
          default: false,
          describe: 'comment the moved sections out of FILE (backup: FILE.supctl-bak)',
        })
        .option('rollback', { type: 'boolean', default: false, describe: 'move the groups back' }),
    run: async (a) => (await import('./commands/migrate.ts')).runMigrate(a),
  },
  ...DAEMON_VERBS,
  SANDBOX,
  PARSE,
  CONVERT,
  {
    command: 'completion <shell>',
    summary: 'print a bash or zsh completion script: eval "$(supctl completion bash)"',
    builder: (y) =>
      y.positional('shell', { choices: ['bash', 'zsh'], describe: 'the shell to complete in' }),
    run: async (a) => {
      const { completionScript } = await import('./commands/completion.ts');
      process.stdout.write(completionScript(a.shell === 'zsh' ? 'zsh' : 'bash', VERBS));
      return 0;
    },
  },
  {
    command: '__complete <what>',
    summary: 'for completion scripts: `names` prints every process name of the backend',
    hidden: true,
    builder: (y) => ctlOptions(y).positional('what', { choices: ['names'] }),
    run: (a) =>
      onBackend(a, async (b, io) =>
        (await import('./commands/completion.ts')).completeNames(b, io),
      ),
  },
];
