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
          .positional('file', { type: 'string', demandOption: true, describe: 'supervisord.conf or a conf.d fragment' })
          .option('json', { type: 'boolean', default: false, describe: 'print the normalized model as JSON' })
          .option('set', { type: 'string', array: true, default: [], describe: 'KEY=VALUE for a template placeholder (repeatable)' })
          .option('values', { type: 'string', describe: 'file of KEY=VALUE lines for template placeholders' }),
      (args) =>
        runCommand(async () => {
          const { parseCommand } = await import('./commands/parse.ts');
          return parseCommand({ file: args.file, json: args.json, set: args.set, values: args.values });
        }),
    )
    .demandCommand(1, 'name a command; see supctl --help')
    .strict()
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .parseAsync();
}
