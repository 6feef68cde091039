/**
 * The target registry: what `convert --to` can write. An entry is data plus
 * a lazy import, so `supctl --help` loads no emitter. A new target is its
 * folder (with a module exporting an `emit` of type `EmitTarget`) plus one
 * `registerTarget` line; the two below adapt their emitters' own options.
 */
import type { Deployment } from '../model/deployment.ts';
import { splitImages } from './images.ts';
import type { EmitResult } from './types.ts';

/** A `convert` option a target adds (a yargs option). */
export interface TargetOption {
  type: 'string' | 'boolean';
  describe: string;
  array?: boolean;
  choices?: readonly string[];
  default?: string | boolean | readonly string[];
}

export interface TargetContext {
  project: string;
  /** The target's own options, by name, as given or defaulted. */
  options: Readonly<Record<string, unknown>>;
}

export type EmitTarget = (d: Deployment, c: TargetContext) => EmitResult;

export interface TargetEntry {
  name: string;
  describe: string;
  options: Readonly<Record<string, TargetOption>>;
  load: () => Promise<{ emit: EmitTarget }>;
}

const REGISTRY = new Map<string, TargetEntry>();

export function registerTarget(e: TargetEntry): void {
  if (REGISTRY.has(e.name)) throw new Error(`target ${e.name} is registered twice`);
  REGISTRY.set(e.name, e);
}

/** Every target, in registration order. */
export function targets(): TargetEntry[] {
  return [...REGISTRY.values()];
}

export function targetEntry(name: string): TargetEntry | undefined {
  return REGISTRY.get(name);
}

/** The message for a compose conversion that names no image. */
const NO_IMAGE = '--to compose needs --image IMAGE (the image that used to run supervisord)';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

registerTarget({
  name: 'systemd',
  describe: 'systemd units',
  options: {
    scope: {
      type: 'string',
      choices: ['system', 'user'],
      default: 'system',
      describe: 'systemd: system or user units',
    },
    templates: { type: 'string', describe: 'systemd: directory of templates overriding units/' },
    'inline-env': {
      type: 'boolean',
      default: false,
      describe: 'systemd: Environment= lines instead of a 0600 EnvironmentFile',
    },
    logrotate: {
      type: 'boolean',
      default: false,
      describe: 'systemd: also write a logrotate snippet for maxbytes/backups',
    },
  },
  load: async () => {
    const { emitSystemd } = await import('./systemd/index.ts');
    const emit: EmitTarget = (d, { project, options: o }) =>
      emitSystemd(d, {
        project,
        scope: o.scope === 'user' ? 'user' : 'system',
        templatesDir: str(o.templates),
        inlineEnv: o['inline-env'] === true,
        logrotate: o.logrotate === true,
      });
    return { emit };
  },
});
registerTarget({
  name: 'compose',
  describe: 'compose services',
  options: {
    image: {
      type: 'string',
      array: true,
      default: [],
      describe: 'compose: IMAGE for all, or PROGRAM=IMAGE',
    },
    'env-file': { type: 'boolean', default: false, describe: 'compose: environment in env files' },
    swarm: {
      type: 'boolean',
      default: false,
      describe: 'compose: add deploy: keys for docker stack deploy',
    },
    'shell-wrap': {
      type: 'boolean',
      default: false,
      describe: 'compose: emulate umask/redirect_stderr with sh -c',
    },
  },
  load: async () => {
    const { emitCompose, ComposeError } = await import('./compose/index.ts');
    const emit: EmitTarget = (d, { project, options: o }) => {
      const { image, images } = splitImages(strs(o.image));
      if (image === undefined && Object.keys(images).length === 0) {
        throw new ComposeError('E_IMAGE', NO_IMAGE);
      }
      return emitCompose(d, {
        project,
        image,
        images,
        envFile: o['env-file'] === true,
        swarm: o.swarm === true,
        shellWrap: o['shell-wrap'] === true,
      });
    };
    return { emit };
  },
});
registerTarget({
  name: 'kubernetes',
  describe: 'Kubernetes manifests',
  options: {
    image: {
      type: 'string',
      array: true,
      default: [],
      describe: 'kubernetes: IMAGE for all, or PROGRAM=IMAGE',
    },
    namespace: { type: 'string', describe: 'kubernetes: metadata.namespace of every object' },
  },
  load: async () => {
    const { emitKubernetes, KubernetesError } = await import('./kubernetes/index.ts');
    const emit: EmitTarget = (d, { project, options: o }) => {
      const { image, images } = splitImages(strs(o.image));
      if (image === undefined && Object.keys(images).length === 0) {
        throw new KubernetesError('E_IMAGE', '--to kubernetes needs --image IMAGE');
      }
      return emitKubernetes(d, { project, namespace: str(o.namespace), image, images });
    };
    return { emit };
  },
});
