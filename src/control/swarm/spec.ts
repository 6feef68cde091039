/**
 * The compose model (the compose target's key tables with `--swarm`, so the
 * findings are `convert --to compose --swarm`'s) → Engine API service specs,
 * one per compose service: identical numprocs instances are one replicated
 * service (slot N = the Nth process), instances that %(process_num) makes
 * differ are separate services PROGRAM_NN (planServices decides).
 *
 * Kept from the model as is: stop_signal, stop_grace_period, init (Docker's
 * tini as pid 1), group kill (TINI_KILL_PROCESS_GROUP=1 in the environment,
 * which makes tini signal the program's whole process group), user,
 * working_dir, restart_policy (condition any/on-failure/none, window =
 * startsecs, max_attempts = startretries), logging. autostart=false → 0
 * replicas. Secret-looking environment values become Swarm secrets
 * (secrets.ts).
 */
import type { ServiceSpec } from 'dockerode';
import type { Deployment } from '../../model/deployment.ts';
import { composeModel, type ComposedService } from '../../emit/compose/index.ts';
import { realConfigPath } from '../config-path.ts';
import { configHash, graceSeconds, type SpecOptions } from '../docker/create.ts';
import { LABEL } from '../docker/labels.ts';
import { SERVICE_LABEL, STACK, stackName } from './labels.ts';
import { splitSecrets, type SwarmSecret } from './secrets.ts';

export interface SwarmServiceSpec {
  /** NAMESPACE_SERVICE. */
  name: string;
  /** SERVICE: its name on the stack's network. */
  alias: string;
  image: string;
  /** Replicas when started (the processes it stands for). */
  replicas: number;
  autostart: boolean;
  hash: string;
  secrets: SwarmSecret[];
  /** Secret references name secrets only; apply fills in their ids. */
  spec: ServiceSpec;
}

const NS_PER_S = 1_000_000_000;

function nanos(duration: string | undefined): number | undefined {
  return duration === undefined ? undefined : graceSeconds(duration) * NS_PER_S;
}

function serviceSpec(project: string, s: ComposedService, configFile: string): SwarmServiceSpec {
  const { plan, svc } = s;
  const p = plan.processes[0]!;
  const name = stackName(project, plan.name);
  const replicas = plan.processes.length;
  const argv = svc.entrypoint.length > 0 ? [...svc.entrypoint, ...svc.command] : svc.command;
  const { command, env, secrets } = splitSecrets(name, argv, svc.environment ?? {}, svc.user);
  const rp = svc.deploy?.restart_policy;
  const containerLabels: Record<string, string> = {
    ...svc.labels,
    [STACK.namespace]: project,
    [LABEL.startsecs]: String(p.startsecs),
    [LABEL.stopsignal]: p.stopsignal,
    [LABEL.autostart]: String(p.autostart),
    [LABEL.priority]: String(p.priority),
  };
  const spec: ServiceSpec = {
    Name: name,
    Labels: {
      [STACK.namespace]: project,
      [STACK.image]: svc.image,
      [SERVICE_LABEL.project]: project,
      [SERVICE_LABEL.replicas]: String(replicas),
      [SERVICE_LABEL.processes]: plan.processes.map((x) => x.name).join(','),
    },
    TaskTemplate: {
      ContainerSpec: {
        Image: svc.image,
        Labels: containerLabels,
        Command: command,
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        ...(svc.working_dir !== undefined ? { Dir: svc.working_dir } : {}),
        ...(svc.user !== undefined ? { User: svc.user } : {}),
        Init: svc.init,
        StopSignal: svc.stop_signal,
        StopGracePeriod: graceSeconds(svc.stop_grace_period) * NS_PER_S,
        Secrets: secrets.map((x) => x.ref),
      },
      RestartPolicy: {
        Condition: rp?.condition ?? 'none',
        Delay: nanos(rp?.delay) ?? 0,
        ...(rp?.max_attempts !== undefined ? { MaxAttempts: rp.max_attempts } : {}),
        ...(rp?.window !== undefined ? { Window: nanos(rp.window) } : {}),
      },
      ...(svc.logging
        ? { LogDriver: { Name: svc.logging.driver, Options: svc.logging.options ?? {} } }
        : {}),
    },
    Mode: { Replicated: { Replicas: p.autostart ? replicas : 0 } },
    // one task at a time, the old one stopped first (supervisor never runs two
    // copies of a process); a task that fails rolls the whole service back
    UpdateConfig: {
      Parallelism: 1,
      Delay: 0,
      FailureAction: 'rollback',
      Monitor: Math.max(1, p.startsecs) * NS_PER_S,
      MaxFailureRatio: 0,
      Order: 'stop-first',
    },
    RollbackConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Order: 'stop-first' },
  };
  // replicas change with start/stop: outside the hash, as is the config file's place
  const hash = configHash({ ...spec, Mode: undefined });
  spec.Labels![SERVICE_LABEL.hash] = hash;
  containerLabels[LABEL.configFile] = configFile;
  return {
    name,
    alias: plan.name,
    image: svc.image,
    replicas,
    autostart: p.autostart,
    hash,
    secrets,
    spec,
  };
}

/** Every service the deployment needs. */
export function swarmSpecs(d: Deployment, o: SpecOptions): SwarmServiceSpec[] {
  const model = composeModel(d, {
    project: o.project,
    image: o.image,
    images: o.images,
    envFile: false,
    swarm: true,
    shellWrap: false,
  });
  const configFile = realConfigPath(d.configFile);
  return model.services.map((s) => serviceSpec(o.project, s, configFile));
}
