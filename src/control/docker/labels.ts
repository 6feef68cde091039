/**
 * Labels on every container and network: Docker Compose's own (so
 * `docker-compose ps` / `docker compose ps` list the project) plus
 * io.supctl.* (what list() needs without the config).
 */
export const COMPOSE_VERSION = '1.29.2';

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  supctlProject: 'io.supctl.project',
  group: 'io.supctl.group',
  program: 'io.supctl.program',
  process: 'io.supctl.process',
  hash: 'io.supctl.config-hash',
  startsecs: 'io.supctl.startsecs',
  stopsignal: 'io.supctl.stopsignal',
  stopwaitsecs: 'io.supctl.stopwaitsecs',
  autostart: 'io.supctl.autostart',
  priority: 'io.supctl.priority',
  /** The config file the project was applied from (realpath): `supctl -c FILE` finds it by this. */
  configFile: 'io.supctl.config-file',
} as const;

/** Suffix of a container created by an update before it replaces the old one. */
export const NEXT_SUFFIX = '.supctl-next';

export function networkName(project: string): string {
  return `${project}_default`;
}

/** docker-compose 1.29.2's container name. */
export function containerName(project: string, service: string, n: number): string {
  return `${project}_${service}_${n}`;
}
