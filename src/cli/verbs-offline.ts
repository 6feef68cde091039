/**
 * The verb table's entries that need no backend: sandbox, parse, convert.
 * convert's --to choices and options come from the target registry.
 */
import type { Options } from 'yargs';
import type { SandboxAction } from '../control/sandbox.ts';
import { targets } from '../emit/targets.ts';
import { fileArg, str, strs, templateOptions, type AnyArgv } from './options.ts';
import type { Verb } from './verbs.ts';

export const SANDBOX: Verb = {
  command: 'sandbox <action> [command..]',
  summary:
    'a private systemd user manager (up, down, env for eval) or, with --system, a booted Debian host (up, shell, exec, reboot, down)',
  builder: (y) =>
    y
      .positional('action', {
        choices: ['up', 'down', 'env', 'status', 'shell', 'exec', 'reboot'] as const,
        demandOption: true,
      })
      .positional('command', {
        type: 'string',
        array: true,
        describe: 'exec: the command to run inside',
      })
      .option('system', {
        type: 'boolean',
        describe: 'a booted Debian 12 host in a container (systemd as PID 1, journald, supervisor)',
      })
      .option('id', {
        type: 'string',
        describe: 'sandbox id: several sandboxes can run side by side (default: default)',
      })
      .option('dir', {
        type: 'string',
        describe:
          'state directory (default: ~/.local/state/supctl/sandbox-ID, or ~/.local/state/supctl/host with --system)',
      }),
  run: async (a) => {
    const { sandboxCommand } = await import('./commands/sandbox.ts');
    return sandboxCommand({
      action: a.action as SandboxAction,
      id: str(a.id),
      dir: str(a.dir),
      system: a.system === true,
      command: [...strs(a.command), ...strs(a._).slice(1)],
    });
  },
};

export const PARSE: Verb = {
  command: 'parse <file>',
  summary: 'read a supervisord config exactly as supervisord does and print the process model',
  builder: (y) =>
    templateOptions(
      fileArg(y).option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the normalized model as JSON',
      }),
    ),
  run: async (a) => {
    const { parseCommand } = await import('./commands/parse.ts');
    return parseCommand({
      file: String(a.file),
      json: a.json === true,
      set: strs(a.set),
      values: str(a.values),
    });
  },
};

/** Every target's options; one option name shared by two targets is declared once. */
function targetOptions(y: AnyArgv): AnyArgv {
  const seen = new Set<string>();
  for (const t of targets()) {
    for (const [name, o] of Object.entries(t.options)) {
      if (seen.has(name)) continue;
      seen.add(name);
      y = y.option(name, o as Options);
    }
  }
  return y;
}

export const CONVERT: Verb = {
  command: 'convert <file>',
  summary: `translate every program into ${targets()
    .map((t) => t.describe)
    .join(' or ')}`,
  builder: (y) =>
    targetOptions(
      templateOptions(
        fileArg(y)
          .option('to', { choices: targets().map((t) => t.name), demandOption: true })
          .option('out', {
            type: 'string',
            demandOption: true,
            describe: 'output directory (nothing is written outside it)',
          })
          .option('name', {
            type: 'string',
            describe: 'project name (default: from the config file name)',
          }),
      )
        .option('strict', {
          type: 'boolean',
          default: false,
          describe: 'exit 1 if any key is approximated or untranslatable',
        })
        .option('report', { choices: ['text', 'json'] as const, default: 'text' as const }),
    ),
  run: async (a) => {
    const { convertCommand } = await import('./commands/convert.ts');
    return convertCommand({
      file: String(a.file),
      to: String(a.to),
      out: String(a.out),
      name: str(a.name),
      set: strs(a.set),
      values: str(a.values),
      strict: a.strict === true,
      report: a.report === 'json' ? 'json' : 'text',
      options: a,
    });
  },
};
