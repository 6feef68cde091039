import { toParseJson } from '../../config/index.ts';
import { namespec } from '../../model/names.ts';
import { loadForCli } from './load.ts';

interface ParseArgs {
  file: string;
  json: boolean;
  set: string[];
  values?: string | undefined;
}

export function parseCommand(args: ParseArgs): number {
  const deployment = loadForCli(args.file, args.set, args.values);
  const out = toParseJson(deployment);
  if (args.json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    for (const g of out.groups) {
      for (const p of g.processes) {
        const ns = namespec(g.name, p.name);
        process.stdout.write(`${ns.padEnd(33)} ${(p.argv ?? [p.command]).join(' ')}\n`);
      }
    }
  }
  return 0;
}
