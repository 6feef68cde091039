import { defaultProjectName } from '../../emit/project-name.ts';
import { formatReport, strictViolations } from '../../emit/report.ts';
import type { EmitResult } from '../../emit/types.ts';
import { writeFilesAtomically } from '../../emit/write.ts';
import { UsageError } from '../errors.ts';
import { loadForCli } from './load.ts';

export interface ConvertArgs {
  file: string;
  to: 'systemd' | 'compose';
  out: string;
  name?: string | undefined;
  set: string[];
  values?: string | undefined;
  strict: boolean;
  report: 'text' | 'json';
  // systemd
  scope: 'system' | 'user';
  templates?: string | undefined;
  inlineEnv: boolean;
  logrotate: boolean;
  // compose
  image: string[];
  envFile: boolean;
  swarm: boolean;
  shellWrap: boolean;
}

/** `--image IMG` for every service, `--image PROGRAM=IMG` per program. */
export function splitImages(list: string[]): {
  image: string | undefined;
  images: Record<string, string>;
} {
  let image: string | undefined;
  const images: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    // an image reference never contains '=', so PROGRAM=IMAGE is unambiguous
    if (eq > 0) images[item.slice(0, eq)] = item.slice(eq + 1);
    else image = item;
  }
  return { image, images };
}

export async function convertCommand(args: ConvertArgs): Promise<number> {
  const deployment = loadForCli(args.file, args.set, args.values);
  const project = args.name ?? defaultProjectName(args.file);
  let result: EmitResult;
  if (args.to === 'systemd') {
    const { emitSystemd } = await import('../../emit/systemd/index.ts');
    result = emitSystemd(deployment, {
      project,
      scope: args.scope,
      templatesDir: args.templates,
      inlineEnv: args.inlineEnv,
      logrotate: args.logrotate,
    });
  } else {
    const { image, images } = splitImages(args.image);
    if (image === undefined && Object.keys(images).length === 0) {
      throw new UsageError(
        '--to compose needs --image IMAGE (the image that used to run supervisord)',
      );
    }
    const { emitCompose, ComposeError } = await import('../../emit/compose/index.ts');
    try {
      result = emitCompose(deployment, {
        project,
        image,
        images,
        envFile: args.envFile,
        swarm: args.swarm,
        shellWrap: args.shellWrap,
      });
    } catch (err) {
      // a program without an image, an unknown program, a bad --name, nothing to run
      if (err instanceof ComposeError) throw new UsageError(err.message, { cause: err });
      throw err;
    }
  }
  const report = formatReport(result.findings, args.report);
  if (args.strict && strictViolations(result.findings).length > 0) {
    process.stderr.write(report);
    process.stderr.write(
      'supctl: --strict: approximated or untranslatable keys above; nothing written\n',
    );
    return 1;
  }
  writeFilesAtomically(args.out, result.files);
  (args.report === 'json' ? process.stdout : process.stderr).write(report);
  return 0;
}
