/**
 * Opens the backend a command asked for. Each backend is imported lazily, so
 * `supctl --help`, `--version`, `parse` and `convert` never load D-Bus or
 * Docker code (test/cli/lazy-load.test.ts).
 */
import type { Backend } from './types.ts';

export type BackendKind = 'systemd' | 'docker';
export type Scope = 'user' | 'system';

export interface OpenOptions {
  backend: BackendKind;
  /** systemd: user manager (session bus) or system manager. */
  scope: Scope;
  /** The supctl project; undefined = every project the backend knows. */
  project?: string | undefined;
  /** systemd: where unit files go (default: the scope's own unit directory). */
  unitDir?: string | undefined;
  /** systemd: D-Bus address (default: the scope's bus). */
  busAddress?: string | undefined;
  /** docker: IMAGE for every program, and PROGRAM=IMAGE overrides. */
  image?: string | undefined;
  images?: Record<string, string> | undefined;
  /** docker: DOCKER_HOST (default: the environment's, else the local socket). */
  dockerHost?: string | undefined;
  timeoutMs?: number | undefined;
}

/**
 * The scope when none is given: SUPCTL_SCOPE if set, else `system` for root
 * and `user` for everyone else (systemctl's default is system; a non-root
 * user can only manage their own user manager without polkit).
 */
export function defaultScope(
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.getuid?.() ?? 0,
): Scope {
  const s = env.SUPCTL_SCOPE;
  if (s === 'user' || s === 'system') return s;
  return uid === 0 ? 'system' : 'user';
}

export function defaultBackend(env: NodeJS.ProcessEnv = process.env): BackendKind {
  return env.SUPCTL_BACKEND === 'docker' ? 'docker' : 'systemd';
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export async function openBackend(opts: OpenOptions): Promise<Backend> {
  if (opts.backend === 'docker') {
    const { createDockerBackend } = await import('./docker/index.ts');
    return createDockerBackend(
      defined({
        project: opts.project,
        image: opts.image,
        images: opts.images,
        dockerHost: opts.dockerHost,
        timeoutMs: opts.timeoutMs,
      }),
    );
  }
  const { createSystemdBackend } = await import('./systemd/index.ts');
  return createSystemdBackend(
    defined({
      scope: opts.scope,
      project: opts.project,
      unitDir: opts.unitDir,
      busAddress: opts.busAddress,
      timeoutMs: opts.timeoutMs,
    }),
  );
}
