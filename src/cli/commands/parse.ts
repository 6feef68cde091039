import { loadConfig, toParseJson } from '../../config/index.ts';
import { readValues } from './values.ts';

export interface ParseArgs {
  file: string;
  json: boolean;
  set: string[];
  values?: string | undefined;
}

export function parseCommand(args: ParseArgs): number {
  const values = readValues(args.set, args.values);
  const deployment = loadConfig(args.file, { values });
  const out = toParseJson(deployment);
  if (args.json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    for (const g of out.groups) {
      for (const p of g.processes) {
        const ns = g.name === p.name ? p.name : `${g.name}:${p.name}`;
        process.stdout.write(`${ns.padEnd(33)} ${p.argv.join(' ')}\n`);
      }
    }
  }
  return 0;
}
