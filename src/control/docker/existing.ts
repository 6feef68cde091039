/** The project's containers as they are now, with what an apply needs of each. */
import type { DockerClient } from './client.ts';
import { LABEL } from './labels.ts';

export interface Existing {
  id: string;
  name: string;
  group: string;
  hash: string;
  running: boolean;
  /** Created and never started: only a run that died (or failed) before its start leaves one. */
  neverStarted: boolean;
  stopTimeout: number;
}

/** The project's containers (a crashed run's temp ones included), from one list call. */
export async function existingContainers(
  client: DockerClient,
  project: string,
): Promise<Existing[]> {
  const list = await client.call('list containers', (d) =>
    d.listContainers({ all: true, filters: { label: [`${LABEL.supctlProject}=${project}`] } }),
  );
  return list.map((c) => ({
    id: c.Id,
    name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
    group: c.Labels[LABEL.group] ?? '',
    hash: c.Labels[LABEL.hash] ?? '',
    running: c.State === 'running' || c.State === 'restarting',
    neverStarted: c.State === 'created',
    stopTimeout: Number(c.Labels[LABEL.stopwaitsecs] ?? '10') || 10,
  }));
}
