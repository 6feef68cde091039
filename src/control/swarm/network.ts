/**
 * The stack's network, as `docker stack deploy` makes it: an overlay
 * network NAMESPACE_default that every service joins under its own name, so
 * programs reach each other by service name on any node. Labelled with the
 * namespace and supctl's project: uninstall removes only that one.
 */
import type { DockerClient } from '../docker/client.ts';
import { SERVICE_LABEL, STACK, stackName } from './labels.ts';

function stackNetwork(project: string): string {
  return stackName(project, 'default');
}

/** The network's id, created when missing; `written` notes a creation. */
export async function ensureStackNetwork(
  client: DockerClient,
  project: string,
  written: string[],
): Promise<string> {
  const name = stackNetwork(project);
  const found = await client.call('list networks', (dk) =>
    dk.listNetworks({ filters: { name: [name] } }),
  );
  const have = found.find((n) => n.Name === name);
  if (have) return have.Id;
  const created = await client.call(`create network ${name}`, (dk) =>
    dk.createNetwork({
      Name: name,
      Driver: 'overlay',
      Attachable: false,
      CheckDuplicate: true,
      Labels: { [STACK.namespace]: project, [SERVICE_LABEL.project]: project },
    }),
  );
  written.push(`network ${name}`);
  return created.id;
}

const listOurs = (client: DockerClient, project: string) =>
  client.call('list networks', (dk) =>
    dk.listNetworks({ filters: { label: [`${SERVICE_LABEL.project}=${project}`] } }),
  );

/**
 * Removes the networks supctl created for the stack; returns those still
 * listed (a manager accepts the removal while the node still holds the
 * network for tasks being shut down: it goes once they are gone).
 */
export async function removeStackNetworks(
  client: DockerClient,
  project: string,
): Promise<string[]> {
  for (const n of await listOurs(client, project)) {
    try {
      await client.call(`remove network ${n.Name}`, (dk) => dk.getNetwork(n.Id).remove());
    } catch {
      // tasks of the removed services still attached: the caller retries
    }
  }
  return (await listOurs(client, project)).map((n) => `network ${n.Name}`);
}
