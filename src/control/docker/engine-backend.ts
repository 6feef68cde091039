/**
 * What the docker and swarm backends share: their options, which project
 * they act on, and the project-level verbs (plan, apply, remove, close),
 * each backend giving only its own plan/apply/remove functions.
 */
import type { Deployment } from '../../model/deployment.ts';
import { composeProjectName, defaultProjectName } from '../../emit/project-name.ts';
import { faultResult, okResult } from '../format.ts';
import { killSignal } from '../signals.ts';
import {
  BackendError,
  SIGNALLABLE_STATES,
  type ActionResult,
  type ApplyOptions,
  type ApplyResult,
  type ChangeSet,
  type ProcessStatus,
  type RemoveOptions,
} from '../types.ts';
import type { DockerClient } from './client.ts';
import type { SpecOptions } from './create.ts';

export interface EngineBackendOptions {
  /** The project (compose project / stack name); without it list() shows every supctl project. */
  project?: string | undefined;
  image?: string | undefined;
  images?: Record<string, string>;
  dockerHost?: string | undefined;
  timeoutMs?: number;
}

/** A backend's project-level steps, on its client. */
export interface ProjectOps {
  plan(client: DockerClient, d: Deployment, o: SpecOptions): Promise<ChangeSet>;
  apply(
    client: DockerClient,
    d: Deployment,
    o: SpecOptions,
    opts: ApplyOptions,
  ): Promise<ApplyResult>;
  remove(client: DockerClient, project: string, opts?: RemoveOptions): Promise<void>;
}

/** A message for a one-line fault: an Error's message, else the value as text. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export abstract class EngineBackend {
  /** `ops` is loaded on first use: a backend may keep heavy modules out of its status path. */
  constructor(
    protected readonly client: DockerClient,
    protected readonly opts: EngineBackendOptions,
    private readonly ops: () => Promise<ProjectOps>,
  ) {}

  /** --name, else the name the config file gives (as docker-compose names a project). */
  protected projectFor(d?: Deployment): string {
    if (this.opts.project) return composeProjectName(this.opts.project);
    if (d) return defaultProjectName(d.configFile);
    throw new BackendError('FAILED', 'no project name: pass --name PROJECT');
  }

  private specOptions(d: Deployment): SpecOptions {
    return { project: this.projectFor(d), image: this.opts.image, images: this.opts.images ?? {} };
  }

  async plan(d: Deployment): Promise<ChangeSet> {
    return (await this.ops()).plan(this.client, d, this.specOptions(d));
  }

  async apply(d: Deployment, opts: ApplyOptions): Promise<ApplyResult> {
    return (await this.ops()).apply(this.client, d, this.specOptions(d), opts);
  }

  async remove(opts?: RemoveOptions): Promise<void> {
    return (await this.ops()).remove(this.client, this.projectFor(), opts);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * supervisorctl's `signal` on each target: BAD_SIGNAL for a signal Linux
 * lacks, NOT_RUNNING for a process not running (also when the daemon says
 * its container is not: 409), else the container `containerOf` names is
 * killed with it.
 */
export function signalContainers(
  client: DockerClient,
  targets: ProcessStatus[],
  sig: string,
  containerOf: (t: ProcessStatus) => Promise<string>,
): Promise<ActionResult[]> {
  const signal = killSignal(sig);
  return Promise.all(
    targets.map(async (t) => {
      if (signal === undefined) return faultResult(t.namespec, 'BAD_SIGNAL', sig);
      if (!SIGNALLABLE_STATES.includes(t.state)) return faultResult(t.namespec, 'NOT_RUNNING');
      try {
        const id = await containerOf(t);
        await client.call(`signal ${t.namespec}`, (dk) => dk.getContainer(id).kill({ signal }));
        return okResult(t.namespec, 'signal');
      } catch (e) {
        if (e instanceof BackendError && e.code === 'CONFLICT') {
          return faultResult(t.namespec, 'NOT_RUNNING');
        }
        return faultResult(t.namespec, 'FAILED', errorText(e));
      }
    }),
  );
}
