/** Removing a project: its containers (stopped first) and its network, under the apply lock. */
import { failpoint } from '../failpoint.ts';
import type { DockerClient } from './client.ts';
import { existingContainers } from './existing.ts';
import { clearJournal } from './journal.ts';
import { networkName } from './labels.ts';
import { each, ignore404, removeContainer, stopContainer } from './ops.ts';
import { locked } from './project-lock.ts';

export async function removeProject(client: DockerClient, project: string): Promise<void> {
  await locked(
    client,
    project,
    {
      locked: () => failpoint('docker:remove:locked'),
      unlocking: () => failpoint('docker:remove:unlocking'),
    },
    (journal) => removeLocked(client, project, journal),
  );
}

async function removeLocked(client: DockerClient, project: string, journal: string): Promise<void> {
  const existing = await existingContainers(client, project);
  await each(existing, (x) => stopContainer(client, x.id, x.stopTimeout).catch(() => undefined));
  failpoint('docker:remove:stopped');
  await each(existing, (x) => removeContainer(client, x.id));
  failpoint('docker:remove:removed');
  await ignore404(
    client.call(`remove network ${networkName(project)}`, (dk) =>
      dk.getNetwork(networkName(project)).remove(),
    ),
  );
  clearJournal(journal);
}
