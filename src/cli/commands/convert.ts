import { defaultProjectName } from '../../emit/project-name.ts';
import { formatReport, strictViolations } from '../../emit/report.ts';
import { targetEntry } from '../../emit/targets.ts';
import { writeFilesAtomically } from '../../emit/write.ts';
import { FIDELITY_COLOUR, useColour } from '../colour.ts';
import { UsageError } from '../errors.ts';
import { loadForCli } from './load.ts';

interface ConvertArgs {
  file: string;
  /** A registered target (src/emit/targets.ts). */
  to: string;
  out: string;
  name?: string | undefined;
  set: string[];
  values?: string | undefined;
  strict: boolean;
  report: 'text' | 'json';
  /** Every option, the target picks its own. */
  options: Readonly<Record<string, unknown>>;
}

export async function convertCommand(args: ConvertArgs): Promise<number> {
  const target = targetEntry(args.to);
  if (target === undefined) throw new UsageError(`no target ${args.to}`);
  const deployment = loadForCli(args.file, args.set, args.values);
  const project = args.name ?? defaultProjectName(args.file);
  const options: Record<string, unknown> = {};
  for (const k of Object.keys(target.options)) options[k] = args.options[k];
  const { emit } = await target.load();
  const result = emit(deployment, { project, options });
  const toStdout = args.report === 'json';
  const colour = useColour({
    isTTY: (toStdout ? process.stdout : process.stderr).isTTY,
    json: toStdout,
    invokedAs: undefined,
    env: process.env,
  });
  const report = formatReport(
    result.findings,
    args.report,
    colour ? (f) => FIDELITY_COLOUR[f] : undefined,
  );
  if (args.strict && strictViolations(result.findings).length > 0) {
    process.stderr.write(report);
    process.stderr.write(
      'supctl: --strict: approximated or untranslatable keys above; nothing written\n',
    );
    return 1;
  }
  writeFilesAtomically(args.out, result.files);
  (toStdout ? process.stdout : process.stderr).write(report);
  return 0;
}
