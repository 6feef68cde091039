import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from './version.ts';
import { runCommand } from './run.ts';

/**
 * supctl's entry point. Each verb imports its implementation lazily, so
 * `supctl --help` and `--version` load neither D-Bus nor Docker code.
 */
/** Options every control verb takes (not parse/convert: their --scope/--name differ). */
function ctlOptions<T>(y: Argv<T>) {
  return y
    .option('backend', {
      choices: ['systemd', 'docker'] as const,
      describe: 'what runs the programs (default: systemd, or $SUPCTL_BACKEND)',
    })
    .option('scope', {
      choices: ['user', 'system'] as const,
      describe: 'systemd manager (default: $SUPCTL_SCOPE, else system for root, user otherwise)',
    })
    .option('name', { type: 'string', describe: 'project (default: every project; $SUPCTL_NAME)' })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
    .option('wide', {
      type: 'boolean',
      default: false,
      describe: 'status: add restarts, CPU and memory columns',
    })
    .option('timeout', { type: 'number', describe: 'milliseconds per backend call' });
}

/** apply/update/reread: the config file, template values and docker's images. */
function fileOptions<T>(y: Argv<T>) {
  return ctlOptions(y)
    .positional('file', {
      type: 'string',
      demandOption: true,
      describe: 'supervisord.conf or a conf.d fragment',
    })
    .option('set', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'KEY=VALUE for a template placeholder (repeatable)',
    })
    .option('values', { type: 'string', describe: 'file of KEY=VALUE lines for placeholders' })
    .option('image', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'docker: IMAGE for all programs, or PROGRAM=IMAGE',
    });
}

type CtlArgv = {
  backend?: string | undefined;
  scope?: string | undefined;
  name?: string | undefined;
  json: boolean;
  wide: boolean;
  timeout?: number | undefined;
};

function globalsOf(a: CtlArgv & { image?: string[] | undefined }) {
  return {
    backend: a.backend,
    scope: a.scope,
    name: a.name,
    json: a.json,
    wide: a.wide,
    timeout: a.timeout,
    image: a.image,
  };
}

/** A verb taking process names: status, start, stop, restart, pid. */
function namesVerb(verb: 'status' | 'start' | 'stop' | 'restart' | 'pid') {
  return async (a: CtlArgv & { names?: string[] | undefined }) =>
    runCommand(async () => {
      const { withBackend } = await import('./commands/control.ts');
      const ctl = await import('./commands/ctl.ts');
      const names = (a.names ?? []).map(String);
      return withBackend(globalsOf(a), (b, io) =>
        verb === 'status'
          ? ctl.ctlStatus(b, names, io)
          : verb === 'pid'
            ? ctl.ctlPid(b, names, io)
            : ctl.ctlStartStop(b, verb, names, io),
      );
    });
}

const NAMES_HELP = 'NAME, GROUP:NAME, GROUP:* or all';

const VALUE_OPTS = new Set(['--backend', '--scope', '--name', '--timeout', '--image']);
const FLAG_OPTS = new Set(['--json', '--wide', '--no-json', '--no-wide']);

/**
 * `supctl --json status` as well as `supctl status --json`: control options
 * given before the verb are moved after it (yargs only knows them per verb).
 */
export function hoistGlobals(args: string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    const key = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (FLAG_OPTS.has(a) || (VALUE_OPTS.has(key) && a.includes('='))) {
      lead.push(a);
      i += 1;
    } else if (VALUE_OPTS.has(a) && i + 1 < args.length) {
      lead.push(a, args[i + 1]!);
      i += 2;
    } else break;
  }
  if (lead.length === 0 || i >= args.length || args[i]!.startsWith('-')) return args;
  return [args[i]!, ...lead, ...args.slice(i + 1)];
}

export async function main(argv: string[]): Promise<void> {
  const args = hoistGlobals(hideBin(argv));
  await yargs(args)
    .scriptName('supctl')
    .usage(
      '$0 <command> [options]\n\nWith no command on a terminal: an interactive shell (supctl> ).',
    )
    .version(VERSION)
    .command(
      '$0',
      false,
      (y) => ctlOptions(y),
      (a) =>
        runCommand(async () => {
          if (!process.stdin.isTTY || !process.stdout.isTTY) {
            process.stderr.write(
              'supctl: name a command (status, start, stop, restart, signal, tail, pid, avail,\n' +
                '  reread, update, apply, remove, sandbox, parse, convert); see supctl --help.\n' +
                '  With no command on a terminal, supctl opens its interactive shell.\n',
            );
            return 2;
          }
          const { openFor, stdIO } = await import('./commands/control.ts');
          const { runShell } = await import('./commands/shell.ts');
          const g = globalsOf(a);
          const { backend, r } = await openFor(g);
          try {
            return await runShell(backend, stdIO(g), { ...g, project: r.project });
          } finally {
            await backend.close().catch(() => undefined);
          }
        }),
    )
    .command(
      'status [names..]',
      'status of processes, like supervisorctl status (exit 3 if one is not running)',
      (y) =>
        ctlOptions(y).positional('names', { type: 'string', array: true, describe: NAMES_HELP }),
      (a) => namesVerb('status')(a),
    )
    .command(
      'start [names..]',
      'start processes',
      (y) =>
        ctlOptions(y).positional('names', { type: 'string', array: true, describe: NAMES_HELP }),
      (a) => namesVerb('start')(a),
    )
    .command(
      'stop [names..]',
      'stop processes',
      (y) =>
        ctlOptions(y).positional('names', { type: 'string', array: true, describe: NAMES_HELP }),
      (a) => namesVerb('stop')(a),
    )
    .command(
      'restart [names..]',
      'stop, then start processes (does not reread the config)',
      (y) =>
        ctlOptions(y).positional('names', { type: 'string', array: true, describe: NAMES_HELP }),
      (a) => namesVerb('restart')(a),
    )
    .command(
      'pid [names..]',
      'pid of processes (0 when not running)',
      (y) =>
        ctlOptions(y).positional('names', { type: 'string', array: true, describe: NAMES_HELP }),
      (a) => namesVerb('pid')(a),
    )
    .command(
      'signal [args..]',
      'signal SIG NAME...: send a signal (HUP, SIGHUP or 1) to processes',
      (y) => ctlOptions(y).positional('args', { type: 'string', array: true }),
      (a) =>
        runCommand(async () => {
          const { withBackend } = await import('./commands/control.ts');
          const { ctlSignal } = await import('./commands/ctl.ts');
          return withBackend(globalsOf(a), (b, io) => ctlSignal(b, (a.args ?? []).map(String), io));
        }),
    )
    .command(
      'tail [args..]',
      'tail [-f|-N] NAME [stdout|stderr]: the end of a process log (default 1600 bytes of stdout)',
      (y) =>
        ctlOptions(y)
          .positional('args', { type: 'string', array: true })
          .option('f', { type: 'boolean', default: false, describe: 'follow (Ctrl-C ends)' }),
      (a) =>
        runCommand(async () => {
          const { withBackend } = await import('./commands/control.ts');
          const { ctlTail } = await import('./commands/ctl.ts');
          const ac = new AbortController();
          const stop = (): void => ac.abort();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          try {
            return await withBackend(globalsOf(a), (b, io) =>
              ctlTail(b, { follow: a.f, words: (a.args ?? []).map(String), signal: ac.signal }, io),
            );
          } finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
        }),
    )
    .command(
      'avail',
      'every configured process: in use or avail, auto or manual, priority',
      (y) => ctlOptions(y),
      (a) =>
        runCommand(async () => {
          const { withBackend } = await import('./commands/control.ts');
          const { ctlAvail } = await import('./commands/ctl.ts');
          return withBackend(globalsOf(a), (b, io) => ctlAvail(b, io));
        }),
    )
    .command(
      'reread <file>',
      'what update would change: NAME: available|changed|disappeared',
      (y) => fileOptions(y),
      (a) => fileVerb('reread', a),
    )
    .command(
      'update <file>',
      'apply only what changed: start new, restart changed, remove disappeared programs',
      (y) => fileOptions(y),
      (a) => fileVerb('update', a),
    )
    .command(
      'apply <file>',
      'translate, install and start every program of FILE (all or nothing)',
      (y) =>
        fileOptions(y).option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'only print what would change',
        }),
      (a) => fileVerb('apply', a),
    )
    .command(
      ['remove', 'uninstall'],
      'stop and remove every program of a project (needs --name)',
      (y) => ctlOptions(y),
      (a) =>
        runCommand(async () => {
          const { withBackend, requireProject, resolveGlobals } =
            await import('./commands/control.ts');
          const { ctlRemove } = await import('./commands/ctl.ts');
          const g = globalsOf(a);
          const project = requireProject(resolveGlobals(g), 'remove');
          return withBackend(g, (b, io) => ctlRemove(b, io, project));
        }),
    )
    .command(
      'sandbox <action>',
      'a private systemd user manager on a private bus: up, down, env (for eval)',
      (y) =>
        y
          .positional('action', {
            choices: ['up', 'down', 'env', 'status'] as const,
            demandOption: true,
          })
          .option('id', {
            type: 'string',
            describe: 'sandbox id: several sandboxes can run side by side (default: default)',
          })
          .option('dir', {
            type: 'string',
            describe: 'state directory (default: ~/.local/state/supctl/sandbox-ID)',
          }),
      (a) =>
        runCommand(async () => {
          const { sandboxCommand } = await import('./commands/sandbox.ts');
          return sandboxCommand({ action: a.action, id: a.id, dir: a.dir });
        }),
    )
    .command(
      'parse <file>',
      'read a supervisord config exactly as supervisord does and print the process model',
      (y) =>
        y
          .positional('file', {
            type: 'string',
            demandOption: true,
            describe: 'supervisord.conf or a conf.d fragment',
          })
          .option('json', {
            type: 'boolean',
            default: false,
            describe: 'print the normalized model as JSON',
          })
          .option('set', {
            type: 'string',
            array: true,
            default: [],
            describe: 'KEY=VALUE for a template placeholder (repeatable)',
          })
          .option('values', {
            type: 'string',
            describe: 'file of KEY=VALUE lines for template placeholders',
          }),
      (args) =>
        runCommand(async () => {
          const { parseCommand } = await import('./commands/parse.ts');
          return parseCommand({
            file: args.file,
            json: args.json,
            set: args.set,
            values: args.values,
          });
        }),
    )
    .command(
      'convert <file>',
      'translate every program into systemd units or compose services',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true })
          .option('to', { choices: ['systemd', 'compose'] as const, demandOption: true })
          .option('out', {
            type: 'string',
            demandOption: true,
            describe: 'output directory (nothing is written outside it)',
          })
          .option('name', {
            type: 'string',
            describe: 'project name (default: from the config file name)',
          })
          .option('set', {
            type: 'string',
            array: true,
            default: [],
            describe: 'KEY=VALUE for a template placeholder',
          })
          .option('values', {
            type: 'string',
            describe: 'file of KEY=VALUE lines for template placeholders',
          })
          .option('strict', {
            type: 'boolean',
            default: false,
            describe: 'exit 1 if any key is approximated or untranslatable',
          })
          .option('report', { choices: ['text', 'json'] as const, default: 'text' as const })
          .option('scope', {
            choices: ['system', 'user'] as const,
            default: 'system' as const,
            describe: 'systemd: system or user units',
          })
          .option('templates', {
            type: 'string',
            describe: 'systemd: directory of templates overriding units/',
          })
          .option('inline-env', {
            type: 'boolean',
            default: false,
            describe: 'systemd: Environment= lines instead of a 0600 EnvironmentFile',
          })
          .option('logrotate', {
            type: 'boolean',
            default: false,
            describe: 'systemd: also write a logrotate snippet for maxbytes/backups',
          })
          .option('image', {
            type: 'string',
            array: true,
            default: [],
            describe: 'compose: IMAGE for all, or PROGRAM=IMAGE',
          })
          .option('env-file', {
            type: 'boolean',
            default: false,
            describe: 'compose: environment in env files',
          })
          .option('swarm', {
            type: 'boolean',
            default: false,
            describe: 'compose: add deploy: keys for docker stack deploy',
          })
          .option('shell-wrap', {
            type: 'boolean',
            default: false,
            describe: 'compose: emulate umask/redirect_stderr with sh -c',
          }),
      (args) =>
        runCommand(async () => {
          const { convertCommand } = await import('./commands/convert.ts');
          return convertCommand({
            file: args.file,
            to: args.to,
            out: args.out,
            name: args.name,
            set: args.set,
            values: args.values,
            strict: args.strict,
            report: args.report,
            scope: args.scope,
            templates: args.templates,
            inlineEnv: args['inline-env'],
            logrotate: args.logrotate,
            image: args.image,
            envFile: args['env-file'],
            swarm: args.swarm,
            shellWrap: args['shell-wrap'],
          });
        }),
    )
    .strict()
    .fail((msg, err) => {
      // usage errors exit 2 with one line; errors from handlers are mapped in run.ts
      if (err) throw err;
      process.stderr.write(`supctl: ${msg}\nRun 'supctl --help' for usage.\n`);
      process.exit(2);
    })
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .parseAsync();
}

async function fileVerb(
  verb: 'reread' | 'update' | 'apply',
  a: CtlArgv & {
    file: string;
    set: string[];
    values?: string | undefined;
    image: string[];
    'dry-run'?: boolean;
  },
): Promise<void> {
  return runCommand(async () => {
    const { withBackend, requireProject } = await import('./commands/control.ts');
    const { loadForCli } = await import('./commands/load.ts');
    const ctl = await import('./commands/ctl.ts');
    const d = loadForCli(a.file, a.set, a.values);
    return withBackend(
      globalsOf(a),
      (b, io, r) => {
        const project = requireProject(r, verb);
        if (verb === 'reread') return ctl.ctlReread(b, d, io);
        return ctl.ctlApply(b, d, io, {
          onlyChanges: verb === 'update',
          dryRun: a['dry-run'] === true,
          project,
        });
      },
      a.file,
    );
  });
}
