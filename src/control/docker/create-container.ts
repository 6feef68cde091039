/** Creating one container, and cleaning up after a create that timed out. */
import type Dockerode from 'dockerode';
import { BackendError } from '../types.ts';
import type { DockerClient } from './client.ts';
import type { ContainerSpec } from './create.ts';
import { LABEL } from './labels.ts';
import { removeContainer } from './ops.ts';

/** How long a daemon may still be finishing a create we stopped waiting for. */
export const LATE_CREATE_MS = 2_000;

/**
 * A create that timed out may still complete in the daemon: remove the
 * container by name (only if it carries this spec's hash: the name is
 * ours) now and, in case it appears only later, once more after a while.
 * Best effort; the timeout is what gets reported.
 */
async function removeLateCreate(
  client: DockerClient,
  spec: ContainerSpec,
  name: string,
): Promise<void> {
  for (const wait of [0, LATE_CREATE_MS]) {
    await new Promise((r) => setTimeout(r, wait));
    try {
      const info = await client.call(`inspect ${name}`, (dk) => dk.getContainer(name).inspect());
      if (info.Config.Labels[LABEL.hash] === spec.hash) await removeContainer(client, info.Id);
    } catch {
      /* not there (yet), or the daemon still does not answer */
    }
  }
}

export async function create(
  client: DockerClient,
  spec: ContainerSpec,
  name: string,
): Promise<Dockerode.Container> {
  try {
    return await client.call(`create container ${name}`, (dk, abortSignal) =>
      dk.createContainer({ ...spec.options, name, abortSignal }),
    );
  } catch (e) {
    if (e instanceof BackendError && e.code === 'TIMEOUT') {
      await removeLateCreate(client, spec, name);
      throw e;
    }
    if (e instanceof BackendError && e.code === 'CONFLICT') {
      throw new BackendError(
        'CONFLICT',
        `container name ${name} is already in use by a container that is not part of this project: remove or rename it`,
        { cause: e },
      );
    }
    throw e;
  }
}
