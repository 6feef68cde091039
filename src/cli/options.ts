/**
 * The CLI's shared options, each declared once: the control options (with
 * every registered backend's own), the template values, and a verb's config
 * file. Descriptions only; no backend code is loaded here.
 */
import type { Argv, Options } from 'yargs';
import { backends, type BackendOption } from '../control/backends.ts';

/** yargs' view of the parsed arguments the verb table reads. */
export type Args = Record<string, unknown>;

// yargs' builder types nest per option; the table works on plain records instead
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyArgv = Argv<any>;

function yargsOption(o: BackendOption): Options {
  const { fileVerbsOnly, ...spec } = o;
  void fileVerbsOnly;
  return spec;
}

/** Options of every backend, for the verbs that read no config or for those that do. */
function backendOptions(y: AnyArgv, fileVerbs: boolean): AnyArgv {
  for (const b of backends()) {
    for (const [name, o] of Object.entries(b.options)) {
      if ((o.fileVerbsOnly === true) === fileVerbs) y = y.option(name, yargsOption(o));
    }
  }
  return y;
}

/** Options every control verb takes (not parse/convert: their --scope/--name differ). */
export function ctlOptions(y: AnyArgv): AnyArgv {
  y = y.option('backend', {
    choices: backends().map((b) => b.name),
    describe: `what runs the programs (default: ${backends()[0]?.name ?? '-'}, or $SUPCTL_BACKEND)`,
  });
  return backendOptions(y, false)
    .option('name', { type: 'string', describe: 'project (default: every project; $SUPCTL_NAME)' })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
    .option('wide', {
      type: 'boolean',
      default: false,
      describe: 'status: add restarts, CPU and memory columns',
    })
    .option('timeout', { type: 'number', describe: 'milliseconds per backend call' })
    .option('configuration', {
      alias: 'c',
      type: 'string',
      describe:
        'names the stack by its supervisord config: act on every program of FILE wherever it runs now',
    });
}

/** --set/--values: values for a templated config's placeholders. */
export function templateOptions(y: AnyArgv): AnyArgv {
  return y
    .option('set', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'KEY=VALUE for a template placeholder (repeatable)',
    })
    .option('values', { type: 'string', describe: 'file of KEY=VALUE lines for placeholders' });
}

/** The config file positional. */
export function fileArg(y: AnyArgv, optional = false): AnyArgv {
  return y.positional('file', {
    type: 'string',
    demandOption: !optional,
    describe: 'supervisord.conf or a conf.d fragment',
  });
}

/** apply/update/reread: control options, the config file, its values, backends' file options. */
export function fileOptions(y: AnyArgv, optionalFile = false): AnyArgv {
  return backendOptions(templateOptions(fileArg(ctlOptions(y), optionalFile)), true);
}

/**
 * The control options that take a value, and the flags: what `hoistGlobals`
 * may move from before the verb to after it.
 */
export function hoistable(): { values: Set<string>; flags: Set<string> } {
  const values = new Set(['--backend', '--name', '--timeout', '--configuration', '-c']);
  const flags = new Set(['--json', '--wide', '--no-json', '--no-wide']);
  for (const b of backends()) {
    for (const [name, o] of Object.entries(b.options)) {
      if (o.type === 'boolean') flags.add(`--${name}`).add(`--no-${name}`);
      else values.add(`--${name}`);
      if (o.alias !== undefined) (o.type === 'boolean' ? flags : values).add(`-${o.alias}`);
    }
  }
  return { values, flags };
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
