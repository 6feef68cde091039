/**
 * What marks a Swarm stack: the labels `docker stack deploy` sets (so
 * `docker stack services/ps P` list a supctl stack, and supctl reads a stack
 * that docker deployed from `convert --to compose --swarm`), plus the
 * service-level io.supctl.* record of a stack supctl created itself.
 */
export const STACK = {
  namespace: 'com.docker.stack.namespace',
  image: 'com.docker.stack.image',
} as const;

/** Service-level labels (Spec.Labels): only supctl's apply sets them; they are its record. */
export const SERVICE_LABEL = {
  project: 'io.supctl.project',
  hash: 'io.supctl.config-hash',
  /** Replicas when started: `start` scales back to it. */
  replicas: 'io.supctl.replicas',
  /** The supervisor process names of a replicated service, slot 1 first, comma-separated. */
  processes: 'io.supctl.processes',
  /**
   * When `stop` scaled it to 0 (ISO time): Swarm deletes a scaled-down
   * service's tasks once they are down, and their stop time with them.
   */
  stoppedAt: 'io.supctl.stopped-at',
} as const;

/** Secret labels: which project and service own a secret. */
export const SECRET_LABEL = { service: 'io.supctl.service' } as const;

/** docker stack deploy's service (and secret) name: NAMESPACE_NAME. */
export function stackName(project: string, name: string): string {
  return `${project}_${name}`;
}

/** A service's container labels (where the compose model's io.supctl.* labels are). */
export function containerLabels(
  spec: { TaskTemplate?: unknown } | undefined,
): Record<string, string> {
  const tt = spec?.TaskTemplate as
    { ContainerSpec?: { Labels?: Record<string, string> } } | undefined;
  return tt?.ContainerSpec?.Labels ?? {};
}
