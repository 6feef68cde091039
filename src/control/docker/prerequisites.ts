/** What must exist before an apply creates containers: the images and the project network. */
import { BackendError } from '../types.ts';
import type { DockerClient } from './client.ts';
import type { ContainerSpec } from './create.ts';
import { COMPOSE_VERSION, LABEL, networkName } from './labels.ts';

/** Creates the project network when missing; true when it did. */
export async function ensureNetwork(client: DockerClient, project: string): Promise<boolean> {
  const name = networkName(project);
  const found = await client.call('list networks', (dk) =>
    dk.listNetworks({ filters: { name: [name] } }),
  );
  if (found.some((n) => n.Name === name)) return false;
  await client.call(`create network ${name}`, (dk) =>
    dk.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: {
        [LABEL.network]: 'default',
        [LABEL.project]: project,
        [LABEL.version]: COMPOSE_VERSION,
        [LABEL.supctlProject]: project,
      },
    }),
  );
  return true;
}

/** Fails with how to get an image when any spec names one the daemon lacks (there is no pull). */
export async function checkImages(
  client: DockerClient,
  specs: readonly Pick<ContainerSpec, 'image'>[],
): Promise<void> {
  const images = [...new Set(specs.map((s) => s.image))];
  await Promise.all(
    images.map(async (image) => {
      try {
        await client.call(`inspect image ${image}`, (dk) => dk.getImage(image).inspect());
      } catch (e) {
        if (e instanceof BackendError && e.code === 'NOT_FOUND') {
          throw new BackendError(
            'NOT_FOUND',
            `image ${image} is not in the Docker daemon at ${client.host}: build it (docker build -t ${image} DIR) or load it (docker load -i IMAGE.tar); there is no registry to pull from`,
            { cause: e },
          );
        }
        throw e;
      }
    }),
  );
}
