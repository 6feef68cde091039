import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from './version.ts';
import { runCommand } from './run.ts';

/**
 * supctl's entry point. Each verb imports its implementation lazily, so
 * `supctl --help` and `--version` load neither D-Bus nor Docker code.
 */
export async function main(argv: string[]): Promise<void> {
  await yargs(hideBin(argv))
    .scriptName('supctl')
    .usage('$0 <command> [options]')
    .version(VERSION)
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
    .demandCommand(1, 'name a command; see supctl --help')
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
