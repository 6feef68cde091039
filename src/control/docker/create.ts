/**
 * Compose model service → Engine API container create options, one per
 * supervisor process (a scaled service gives N containers, numbered 1..N
 * as docker-compose does). The mapping itself is the compose emitter's
 * (composeModel); this file only changes its form.
 */
import { createHash } from 'node:crypto';
import type { ContainerCreateOptions } from 'dockerode';
import type { Deployment } from '../../model/deployment.ts';
import type { Process } from '../../model/process.ts';
import { composeModel, type ComposedService } from '../../emit/compose/index.ts';
import { realConfigPath } from '../config-path.ts';
import { COMPOSE_VERSION, LABEL, containerName, networkName } from './labels.ts';

export interface ContainerSpec {
  /** Final container name: PROJECT_SERVICE_N. */
  name: string;
  group: string;
  process: string;
  service: string;
  number: number;
  image: string;
  autostart: boolean;
  /** Seconds, for the stop call's timeout. */
  stopTimeout: number;
  hash: string;
  options: ContainerCreateOptions;
}

export interface SpecOptions {
  project: string;
  image: string | undefined;
  images: Record<string, string>;
}

/** "10s" / "1m30s" (what the emitter writes) → seconds. */
export function graceSeconds(s: string): number {
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms)/g)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 'ms' ? n / 1000 : n;
  }
  return Math.ceil(total);
}

/** JSON with sorted keys: the same spec always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function configHash(options: unknown): string {
  return createHash('sha256').update(canonical(options)).digest('hex');
}

function restartPolicy(restart: string): { Name: string; MaximumRetryCount: number } {
  const [name, count] = restart.split(':');
  return { Name: name === 'no' ? 'no' : name!, MaximumRetryCount: count ? Number(count) : 0 };
}

function specFor(
  project: string,
  s: ComposedService,
  p: Process,
  n: number,
  configFile: string,
): ContainerSpec {
  const { plan, svc } = s;
  const name = containerName(project, plan.name, n);
  const net = networkName(project);
  const labels: Record<string, string> = {
    ...svc.labels,
    [LABEL.project]: project,
    [LABEL.service]: plan.name,
    [LABEL.number]: String(n),
    [LABEL.oneoff]: 'False',
    [LABEL.version]: COMPOSE_VERSION,
    [LABEL.supctlProject]: project,
    [LABEL.group]: plan.group.name,
    [LABEL.program]: plan.program.name,
    [LABEL.process]: p.name,
    [LABEL.startsecs]: String(p.startsecs),
    [LABEL.stopsignal]: p.stopsignal,
    [LABEL.stopwaitsecs]: String(graceSeconds(svc.stop_grace_period)),
    [LABEL.autostart]: String(p.autostart),
    [LABEL.priority]: String(p.priority),
  };
  const stopTimeout = graceSeconds(svc.stop_grace_period);
  const options: ContainerCreateOptions = {
    name,
    Image: svc.image,
    Entrypoint: svc.entrypoint,
    Cmd: svc.command,
    Env: Object.entries(svc.environment ?? {}).map(([k, v]) => `${k}=${v}`),
    WorkingDir: svc.working_dir ?? '',
    User: svc.user ?? '',
    StopSignal: svc.stop_signal,
    StopTimeout: stopTimeout,
    Tty: false,
    OpenStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Labels: labels,
    HostConfig: {
      Init: svc.init,
      RestartPolicy: restartPolicy(svc.restart),
      LogConfig: { Type: svc.logging?.driver ?? 'json-file', Config: svc.logging?.options ?? {} },
      NetworkMode: net,
    },
    NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: [plan.name] } } },
  };
  // the hash covers everything but the name and itself
  const hash = configHash({ ...options, name: undefined });
  labels[LABEL.configHash] = hash;
  labels[LABEL.hash] = hash;
  // outside the hash: moving the config file must not recreate the containers
  labels[LABEL.configFile] = configFile;
  return {
    name,
    group: plan.group.name,
    process: p.name,
    service: plan.name,
    number: n,
    image: svc.image,
    autostart: p.autostart,
    stopTimeout,
    hash,
    options,
  };
}

/** Every container the deployment needs, by final name. */
export function containerSpecs(d: Deployment, o: SpecOptions): ContainerSpec[] {
  const model = composeModel(d, {
    project: o.project,
    image: o.image,
    images: o.images,
    envFile: false,
    swarm: false,
    shellWrap: false,
  });
  const configFile = realConfigPath(d.configFile);
  const specs: ContainerSpec[] = [];
  for (const s of model.services) {
    s.plan.processes.forEach((p, i) => {
      specs.push(specFor(o.project, s, p, i + 1, configFile));
    });
  }
  return specs;
}
