import { basename } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from './version.ts';
import { runCommand } from './run.ts';
import { EXIT } from './errors.ts';
import { ctlOptions, hoistable, type Args } from './options.ts';
import { VERBS } from './verbs.ts';

/**
 * supctl's entry point: the yargs commands, built from the verb table. Each
 * verb imports its implementation lazily, so `supctl --help` and `--version`
 * load neither D-Bus nor Docker code.
 */

/**
 * `supctl --json status` as well as `supctl status --json`: control options
 * given before the verb are moved after it (yargs only knows them per verb).
 */
export function hoistGlobals(args: string[]): string[] {
  const { values, flags } = hoistable();
  const lead: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    const key = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (flags.has(a) || (values.has(key) && a.includes('='))) {
      lead.push(a);
      i += 1;
    } else if (values.has(a) && i + 1 < args.length) {
      lead.push(a, args[i + 1]!);
      i += 2;
    } else break;
  }
  if (lead.length === 0 || i >= args.length || args[i]!.startsWith('-')) return args;
  return [args[i]!, ...lead, ...args.slice(i + 1)];
}

/**
 * `supctl` alone: the interactive shell on a terminal, else a usage line
 * (exit 2). As supervisorctl: the shell whatever stdin is, as runbooks pipe
 * commands into it.
 */
async function shellVerb(a: Args, asSupervisorctl: boolean): Promise<number> {
  if (!asSupervisorctl && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    const names = VERBS.map((v) => v.command.split(' ')[0]).join(', ');
    process.stderr.write(
      `supctl: name a command (${names}); see supctl --help (on a terminal, supctl alone opens its shell)\n`,
    );
    return 2;
  }
  const { openFor, stdIO } = await import('./commands/control.ts');
  const { runShell } = await import('./commands/shell.ts');
  const { backend, r } = await openFor(a);
  try {
    const prompt = asSupervisorctl ? 'supervisor' : 'supctl';
    const file = typeof a.configuration === 'string' ? a.configuration : undefined;
    return await runShell(backend, stdIO(a), r.project, prompt, file);
  } finally {
    await backend.close().catch(() => undefined);
  }
}

/**
 * Invoked as `supervisorctl` (a symlink to bin/supctl): supervisorctl's own
 * options before the verb. -c/-s/-u/-p are supctl's already; -h is --help;
 * -i (interactive) is what no verb on a terminal does anyway.
 */
function supervisorctlArgs(args: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') out.push('--help');
    else if (a === '-i' || a === '--interactive') continue;
    else {
      out.push(a);
      if (!a.includes('=') && i + 1 < args.length) out.push(args[++i]!);
    }
  }
  return [...out, ...args.slice(i)];
}

export async function main(argv: string[]): Promise<void> {
  const asSupervisorctl = basename(argv[1] ?? '') === 'supervisorctl';
  const args = asSupervisorctl ? supervisorctlArgs(hideBin(argv)) : hideBin(argv);
  let y = yargs(hoistGlobals(args))
    .scriptName(asSupervisorctl ? 'supervisorctl' : 'supctl')
    .usage(
      '$0 <command> [options]\n\nWith no command on a terminal: an interactive shell (supctl> ).',
    )
    .version(VERSION)
    .command('$0', false, ctlOptions, (a) => runCommand(() => shellVerb(a, asSupervisorctl)));
  for (const v of VERBS) {
    const handler = (a: Args) => runCommand(() => v.run(a));
    const cmd = v.aliases ? [v.command, ...v.aliases] : v.command;
    y =
      v.hidden === true
        ? y.command(cmd, false, v.builder, handler)
        : y.command(cmd, v.summary, v.builder, handler);
  }
  await y
    .strict()
    .fail((msg, err) => {
      // usage errors exit 2 with one line; errors from handlers are mapped in run.ts
      if (err) throw err;
      const line = msg.replace(/\s*\n\s*/g, ' ');
      process.stderr.write(`supctl: ${line} (see supctl --help)\n`);
      process.exit(EXIT.config);
    })
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .parseAsync();
}
