/**
 * The backend registry: what can run the programs. An entry is data plus a
 * lazy import, so `supctl --help`, `--version`, `parse` and `convert` never
 * load D-Bus or Docker code (test/cli/lazy-load.test.ts). A new backend is
 * its folder (with a module exporting `open`) plus one `registerBackend` line.
 */
import type { Deployment } from '../model/deployment.ts';
import type { Backend } from './types.ts';

/** A command-line option a backend adds to the control verbs (a yargs option). */
export interface BackendOption {
  type: 'string' | 'boolean' | 'number';
  describe: string;
  /** A one-letter form, e.g. `s` for supervisorctl's `-s URL`. */
  alias?: string;
  array?: boolean;
  choices?: readonly string[];
  /** Only the verbs that read a config file (apply, update, reread) take it. */
  fileVerbsOnly?: boolean;
}

/** What a backend is opened with. */
export interface BackendContext {
  /** The supctl project; undefined = every project the backend knows. */
  project: string | undefined;
  /** Per backend call. */
  timeoutMs: number | undefined;
  /** The backend's own options, by name, as given (absent = not given). */
  options: Readonly<Record<string, unknown>>;
  /** The backend's own environment variables that are set and not empty. */
  env: Readonly<Record<string, string>>;
  /** The config file apply/update/reread read (undefined for the other verbs). */
  deployment?: Deployment | undefined;
}

export type OpenBackend = (c: BackendContext) => Promise<Backend>;

export interface BackendEntry {
  name: string;
  describe: string;
  options: Readonly<Record<string, BackendOption>>;
  /** Environment variables the backend reads, with what each sets. */
  env: Readonly<Record<string, string>>;
  load: () => Promise<{ open: OpenBackend }>;
}

const REGISTRY = new Map<string, BackendEntry>();

export function registerBackend(e: BackendEntry): void {
  if (REGISTRY.has(e.name)) throw new Error(`backend ${e.name} is registered twice`);
  REGISTRY.set(e.name, e);
}

/** Every backend, in registration order (the first is the default). */
export function backends(): BackendEntry[] {
  return [...REGISTRY.values()];
}

export function backendEntry(name: string): BackendEntry | undefined {
  return REGISTRY.get(name);
}

/** SUPCTL_BACKEND when it names a backend, else the first registered. */
export function defaultBackend(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.SUPCTL_BACKEND;
  if (named !== undefined && REGISTRY.has(named)) return named;
  return backends()[0]!.name;
}

registerBackend({
  name: 'systemd',
  describe: 'systemd units over D-Bus',
  options: {
    scope: {
      type: 'string',
      choices: ['user', 'system'],
      describe: 'systemd manager (default: $SUPCTL_SCOPE, else system for root, user otherwise)',
    },
  },
  env: {
    SUPCTL_SCOPE: 'the default --scope',
    SUPCTL_SYSTEMD_UNIT_DIR: 'where unit files go (default: the unit directory of the scope)',
  },
  load: () => import('./systemd/open.ts'),
});
registerBackend({
  name: 'docker',
  describe: 'containers over the Docker Engine API',
  options: {
    image: {
      type: 'string',
      array: true,
      fileVerbsOnly: true,
      describe: 'docker: IMAGE for all programs, or PROGRAM=IMAGE',
    },
  },
  env: { DOCKER_HOST: 'the daemon (default: the local socket)' },
  load: () => import('./docker/open.ts'),
});
registerBackend({
  name: 'swarm',
  describe: 'a stack of Docker Swarm services over the Engine API of a manager',
  options: {
    image: {
      type: 'string',
      array: true,
      fileVerbsOnly: true,
      describe: 'docker, swarm: IMAGE for all programs, or PROGRAM=IMAGE',
    },
  },
  env: {
    SUPCTL_SWARM_HOST: 'the manager daemon (default: DOCKER_HOST, else the local socket)',
    DOCKER_HOST: 'the manager daemon when SUPCTL_SWARM_HOST is not set',
  },
  load: () => import('./swarm/open.ts'),
});
registerBackend({
  name: 'supervisord',
  describe: 'a running supervisord over its XML-RPC interface, as supervisorctl',
  options: {
    serverurl: {
      type: 'string',
      alias: 's',
      describe:
        "supervisord: URL of its server, unix:///path or http://host:port (default: the config file's, else http://localhost:9001)",
    },
    username: { type: 'string', alias: 'u', describe: 'supervisord: user name for its server' },
    password: { type: 'string', alias: 'p', describe: 'supervisord: password for its server' },
  },
  env: {
    SUPCTL_SERVERURL: 'the default -s/--serverurl',
    SUPCTL_USERNAME: 'the default -u/--username',
    SUPCTL_PASSWORD: 'the default -p/--password',
  },
  load: () => import('./supervisord/open.ts'),
});
