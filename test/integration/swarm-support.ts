/**
 * What the swarm tests share: the harness's swarm dockerd (a second private
 * daemon, a single-node swarm; SUPCTL_TEST_SWARM_HOST from up.sh), supctl
 * run with --backend swarm on it, and the docker CLI / Engine API on it for
 * the assertions.
 */
import { spawnSync } from 'node:child_process';
import Docker from 'dockerode';

export interface SwarmEnv {
  host: string;
  docker: Docker;
  /** supctl --backend swarm --name PROJECT ARGS. */
  supctl: (...args: string[]) => {
    status: number | null;
    stdout: string;
    stderr: string;
    lines: string[];
  };
  /** supctl ARGS, for the verbs that take no backend (convert). */
  supctlOffline: (...args: string[]) => { status: number | null; stdout: string; stderr: string };
  /** The docker CLI on the swarm daemon. */
  dockerCli: (...args: string[]) => { status: number | null; stdout: string; stderr: string };
}

/** The swarm daemon of the harness; a harness without one is an error, not a skip. */
export function swarmEnv(project: string): SwarmEnv {
  const host = process.env['SUPCTL_TEST_SWARM_HOST'];
  if (!host?.startsWith('unix://')) {
    throw new Error(
      'SUPCTL_TEST_SWARM_HOST is not set to a unix:// socket: restart the harness (make harness-down harness-up)',
    );
  }
  const env = { ...process.env, SUPCTL_SWARM_HOST: host };
  const spawn = (cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(cmd, args, {
      env: { ...env, ...extra },
      encoding: 'utf8',
      timeout: 180_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    host,
    docker: new Docker({ socketPath: host.slice('unix://'.length) }),
    supctl: (...args) => {
      const r = spawn(process.execPath, [
        'bin/supctl',
        ...args,
        '--backend',
        'swarm',
        '--name',
        project,
      ]);
      return { ...r, lines: r.stdout.split('\n').filter(Boolean) };
    },
    supctlOffline: (...args) => spawn(process.execPath, ['bin/supctl', ...args]),
    dockerCli: (...args) => spawn('docker', args, { DOCKER_HOST: host }),
  };
}

export interface TaskInfo {
  ID: string;
  Slot?: number;
  DesiredState: string;
  Status: { State: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
}

/** Tasks of one service of the stack (NAMESPACE_NAME). */
export async function tasksOf(docker: Docker, service: string): Promise<TaskInfo[]> {
  return (await docker.listTasks({ filters: { service: [service] } })) as TaskInfo[];
}

/** Ids of the running tasks of a service, sorted. */
export async function runningTaskIds(docker: Docker, service: string): Promise<string[]> {
  return (await tasksOf(docker, service))
    .filter((t) => t.Status.State === 'running' && t.DesiredState === 'running')
    .map((t) => t.ID)
    .sort();
}

/** stdout of every container a service's tasks ran (oldest first), as one string. */
export async function serviceOutput(docker: Docker, service: string): Promise<string> {
  const cs = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.swarm.service.name=${service}`] },
  });
  let out = '';
  for (const c of cs.sort((a, b) => a.Created - b.Created)) {
    const buf = await docker.getContainer(c.Id).logs({ stdout: true, stderr: true });
    // multiplexed frames: 8-byte header, then the payload
    for (let i = 0; i + 8 <= buf.length;) {
      const n = buf.readUInt32BE(i + 4);
      out += buf.subarray(i + 8, i + 8 + n).toString('utf8');
      i += 8 + n;
    }
  }
  return out;
}

/** Services, secrets, networks and containers still labelled with the stack's namespace. */
export async function leftovers(docker: Docker, project: string): Promise<string[]> {
  const label = { label: [`com.docker.stack.namespace=${project}`] };
  const [services, secrets, networks, containers] = await Promise.all([
    docker.listServices({ filters: label }),
    docker.listSecrets({ filters: label }),
    docker.listNetworks({ filters: label }),
    docker.listContainers({ all: true, filters: label }),
  ]);
  return [
    ...services.map((s) => `service ${s.Spec?.Name}`),
    ...secrets.map((s) => `secret ${s.Spec?.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...containers.map((c) => `container ${c.Names[0]}`),
  ];
}

/** The parts of a service's spec the tests read. */
export interface ServiceView {
  Spec: {
    Mode: { Replicated: { Replicas: number } };
    TaskTemplate: { RestartPolicy: { Condition: string } };
    UpdateConfig: { FailureAction: string };
  };
}

export async function inspectService(docker: Docker, name: string): Promise<ServiceView> {
  return (await docker.getService(name).inspect()) as ServiceView;
}
