/** Removing a project: its containers (stopped first) and its network, under the apply lock. */
import { failpoint } from '../failpoint.ts';
import { groupProgress, type ProgressSink } from '../progress.ts';
import type { DockerClient } from './client.ts';
import { existingContainers } from './existing.ts';
import { clearJournal } from './journal.ts';
import { networkName } from './labels.ts';
import { each, ignore404, removeContainer, stopContainer } from './ops.ts';
import { locked } from './project-lock.ts';

export async function removeProject(
  client: DockerClient,
  project: string,
  onProgress?: ProgressSink,
): Promise<void> {
  await locked(
    client,
    project,
    {
      locked: () => failpoint('docker:remove:locked'),
      unlocking: () => failpoint('docker:remove:unlocking'),
    },
    (journal) => removeLocked(client, project, journal, onProgress),
  );
}

async function removeLocked(
  client: DockerClient,
  project: string,
  journal: string,
  onProgress: ProgressSink | undefined,
): Promise<void> {
  const existing = await existingContainers(client, project);
  const stoppedOne = groupProgress(
    'stop',
    existing.map((x) => x.group),
    onProgress,
  );
  const removedOne = groupProgress(
    'remove',
    existing.map((x) => x.group),
    onProgress,
  );
  await each(existing, async (x) => {
    await stopContainer(client, x.id, x.stopTimeout).catch(() => undefined);
    stoppedOne(x.group);
  });
  failpoint('docker:remove:stopped');
  await each(existing, async (x) => {
    await removeContainer(client, x.id);
    removedOne(x.group);
  });
  failpoint('docker:remove:removed');
  await ignore404(
    client.call(`remove network ${networkName(project)}`, (dk) =>
      dk.getNetwork(networkName(project)).remove(),
    ),
  );
  clearJournal(journal);
}
