/**
 * Glue between the CLI's options and a Backend: opens it (lazily, see
 * control/open.ts), runs one verb with an IO on stdout/stderr, closes it.
 */
import { defaultProjectName } from '../../emit/project-name.ts';
import {
  defaultBackend,
  defaultScope,
  openBackend,
  type BackendKind,
  type Scope,
} from '../../control/open.ts';
import type { Backend } from '../../control/types.ts';
import { UsageError } from '../errors.ts';
import { splitImages } from './convert.ts';
import type { CtlIO } from './ctl.ts';

export interface CtlGlobals {
  backend?: string | undefined;
  scope?: string | undefined;
  name?: string | undefined;
  json?: boolean | undefined;
  wide?: boolean | undefined;
  image?: string[] | undefined;
  timeout?: number | undefined;
}

export interface Resolved {
  backend: BackendKind;
  scope: Scope;
  project: string | undefined;
}

export function resolveGlobals(g: CtlGlobals, file?: string): Resolved {
  const backend = (g.backend as BackendKind | undefined) ?? defaultBackend();
  const scope = (g.scope as Scope | undefined) ?? defaultScope();
  const fromEnv = process.env.SUPCTL_NAME === '' ? undefined : process.env.SUPCTL_NAME;
  const project = g.name ?? fromEnv ?? (file !== undefined ? defaultProjectName(file) : undefined);
  return { backend, scope, project };
}

export function stdIO(g: CtlGlobals): CtlIO {
  const io: CtlIO = {
    out: (line) => void process.stdout.write(`${line}\n`),
    write: (chunk) => void process.stdout.write(chunk),
    err: (line) => void process.stderr.write(`${line}\n`),
    json: g.json === true,
    wide: g.wide === true,
  };
  // progress only on a terminal; piped output stays plain
  if (process.stderr.isTTY && g.json !== true) {
    io.progress = (line) => void process.stderr.write(`supctl: ${line}\n`);
  }
  return io;
}

export async function openFor(
  g: CtlGlobals,
  file?: string,
): Promise<{ backend: Backend; r: Resolved }> {
  const r = resolveGlobals(g, file);
  const { image, images } = splitImages(g.image ?? []);
  const backend = await openBackend({
    backend: r.backend,
    scope: r.scope,
    project: r.project,
    unitDir: process.env.SUPCTL_SYSTEMD_UNIT_DIR || undefined,
    image,
    images: Object.keys(images).length > 0 ? images : undefined,
    dockerHost: process.env.DOCKER_HOST || undefined,
    timeoutMs: g.timeout,
  });
  return { backend, r };
}

/** Opens the backend, runs `fn`, always closes. Returns the verb's exit status. */
export async function withBackend(
  g: CtlGlobals,
  fn: (b: Backend, io: CtlIO, r: Resolved) => Promise<number>,
  file?: string,
): Promise<number> {
  const { backend, r } = await openFor(g, file);
  try {
    return await fn(backend, stdIO(g), r);
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
