/**
 * Glue between the CLI's options and a Backend: opens the one the options
 * name through the backend registry (lazily), runs one verb with an IO on
 * stdout/stderr, closes it.
 */
import { basename } from 'node:path';
import { backendEntry, defaultBackend, type BackendEntry } from '../../control/backends.ts';
import type { Backend } from '../../control/types.ts';
import type { Deployment } from '../../model/deployment.ts';
import { defaultProjectName } from '../../emit/project-name.ts';
import { UsageError } from '../errors.ts';
import { str, type Args } from '../options.ts';
import { useColour } from '../colour.ts';
import { progressRenderer } from '../progress.ts';
import type { CtlIO } from './ctl-io.ts';
import { ownOf } from './own.ts';

interface Resolved {
  backend: BackendEntry;
  project: string | undefined;
}

export function resolveGlobals(a: Args, file?: string): Resolved {
  const name = str(a.backend) ?? defaultBackend();
  const backend = backendEntry(name);
  if (backend === undefined) throw new UsageError(`no backend ${name}`);
  const fromEnv = process.env.SUPCTL_NAME === '' ? undefined : process.env.SUPCTL_NAME;
  const project =
    str(a.name) ?? fromEnv ?? (file !== undefined ? defaultProjectName(file) : undefined);
  return { backend, project };
}

export function stdIO(a: Args): CtlIO {
  const json = a.json === true;
  const io: CtlIO = {
    out: (line) => void process.stdout.write(`${line}\n`),
    write: (chunk) => void process.stdout.write(chunk),
    err: (line) => void process.stderr.write(`${line}\n`),
    json,
    wide: a.wide === true,
    steps: progressRenderer(process.stderr, { json }),
    colour: useColour({
      isTTY: process.stdout.isTTY,
      json,
      invokedAs: typeof a.$0 === 'string' ? basename(a.$0) : undefined,
      env: process.env,
    }),
  };
  // progress only on a terminal; piped output stays plain
  if (process.stderr.isTTY && !json) {
    io.progress = (line) => void process.stderr.write(`supctl: ${line}\n`);
  }
  return io;
}

/** The config file a verb read (apply, update, reread), and what it holds. */
interface VerbConfig {
  file: string;
  deployment: Deployment;
}

export async function openFor(
  a: Args,
  config?: VerbConfig,
): Promise<{ backend: Backend; r: Resolved }> {
  const r = resolveGlobals(a, config?.file);
  const stackFile = str(a.configuration);
  if (stackFile !== undefined) {
    const { openStack } = await import('./open-stack.ts');
    const { loadForCli } = await import('./load.ts');
    const d = config?.deployment ?? loadForCli(stackFile, [], undefined);
    const project = r.project ?? defaultProjectName(stackFile);
    return { backend: await openStack(a, stackFile, d), r: { ...r, project } };
  }
  const { open } = await r.backend.load();
  const timeout = a.timeout;
  const backend = await open({
    project: r.project,
    timeoutMs: typeof timeout === 'number' ? timeout : undefined,
    ...ownOf(r.backend, a),
    deployment: config?.deployment,
  });
  return { backend, r };
}

/** Opens the backend, runs `fn`, always closes. Returns the verb's exit status. */
export async function withBackend(
  a: Args,
  fn: (b: Backend, io: CtlIO, r: Resolved) => Promise<number>,
  config?: VerbConfig,
): Promise<number> {
  const { backend, r } = await openFor(a, config);
  try {
    return await fn(backend, stdIO(a), r);
  } finally {
    await backend.close().catch(() => undefined);
  }
}

export function requireProject(r: Resolved, verb: string): string {
  if (r.project === undefined) {
    throw new UsageError(`${verb} needs --name PROJECT (or SUPCTL_NAME)`);
  }
  return r.project;
}
