/**
 * apply / update / reread / remove of a stack. Each service supctl creates
 * carries a hash of its spec (spec.ts): equal hash = unchanged (not touched,
 * so its tasks keep their ids), different = changed (a Swarm rolling update,
 * one task at a time, rolled back by Swarm if a new task fails), missing =
 * added, left over = removed.
 *
 * Ownership: the service-level io.supctl.* labels are supctl's record of a
 * stack it created. A stack docker deployed (`docker stack deploy -c` from
 * `convert --to compose --swarm`) has the namespace but not the record:
 * supctl reads it (status, pid, tail, avail) and refuses to change it.
 */
import type { Service } from 'dockerode';
import type { Deployment } from '../../model/deployment.ts';
import { BackendError, type ApplyOptions, type ApplyResult, type ChangeSet } from '../types.ts';
import type { DockerClient } from '../docker/client.ts';
import { LABEL } from '../docker/labels.ts';
import { checkImages } from '../docker/prerequisites.ts';
import { SECRET_LABEL, SERVICE_LABEL, STACK, containerLabels } from './labels.ts';
import { ensureStackNetwork, removeStackNetworks } from './network.ts';
import { locked } from '../docker/project-lock.ts';
import { convergeTimeoutMs, waitConverged, type Watch } from './converge.ts';
import type { SpecOptions } from '../docker/create.ts';
import { swarmSpecs, type SwarmServiceSpec } from './spec.ts';

interface Existing {
  id: string;
  name: string;
  group: string;
  hash: string | undefined;
  version: number;
  /** The daemon's time of its last change. */
  updatedAt: string | undefined;
  replicas: number;
  ours: boolean;
}

export async function stackServices(client: DockerClient, project: string): Promise<Service[]> {
  return client.call('list services', (dk) =>
    dk.listServices({ filters: { label: [`${STACK.namespace}=${project}`] } }),
  );
}

function existing(s: Service): Existing {
  const spec = s.Spec!;
  const labels = spec.Labels ?? {};
  return {
    id: s.ID,
    name: spec.Name!,
    group: containerLabels(spec)[LABEL.group] ?? spec.Name!,
    hash: labels[SERVICE_LABEL.hash],
    version: s.Version?.Index ?? 0,
    updatedAt: s.UpdatedAt,
    replicas: spec.Mode?.Replicated?.Replicas ?? 0,
    ours: labels[SERVICE_LABEL.project] !== undefined,
  };
}

/** Refuses a stack that has services supctl did not create. */
export function ensureOwned(project: string, services: Service[]): void {
  const foreign = services.map(existing).filter((e) => !e.ours);
  if (foreign.length === 0) return;
  throw new BackendError(
    'CONFLICT',
    `stack ${project} has services supctl did not create (${foreign.map((e) => e.name).join(', ')}; deployed by docker stack deploy?): supctl only changes stacks it created; remove it with \`docker stack rm ${project}\` before supctl apply`,
  );
}

interface Plan {
  changes: ChangeSet;
  added: SwarmServiceSpec[];
  changed: { spec: SwarmServiceSpec; old: Existing }[];
  unchanged: { spec: SwarmServiceSpec; old: Existing }[];
  removed: Existing[];
}

function diff(specs: SwarmServiceSpec[], current: Existing[]): Plan {
  const byName = new Map(current.map((e) => [e.name, e]));
  const plan: Plan = {
    changes: { added: [], changed: [], removed: [] },
    added: [],
    changed: [],
    unchanged: [],
    removed: [],
  };
  const groups = {
    added: new Set<string>(),
    changed: new Set<string>(),
    removed: new Set<string>(),
  };
  const groupOf = (s: SwarmServiceSpec) => containerLabels(s.spec)[LABEL.group] ?? s.name;
  for (const s of specs) {
    const old = byName.get(s.name);
    byName.delete(s.name);
    if (!old) {
      plan.added.push(s);
      groups.added.add(groupOf(s));
    } else if (old.hash !== s.hash) {
      plan.changed.push({ spec: s, old });
      groups.changed.add(groupOf(s));
    } else plan.unchanged.push({ spec: s, old });
  }
  for (const old of byName.values()) {
    plan.removed.push(old);
    groups.removed.add(old.group);
  }
  // a group with added and removed services changed (supervisorctl reread's view)
  for (const g of groups.added) if (groups.removed.has(g)) groups.changed.add(g);
  const without = (x: Set<string>) => [...x].filter((g) => !groups.changed.has(g)).sort();
  plan.changes = {
    added: without(groups.added),
    changed: [...groups.changed].sort(),
    removed: without(groups.removed),
  };
  return plan;
}

export async function planStack(
  client: DockerClient,
  d: Deployment,
  o: SpecOptions,
): Promise<ChangeSet> {
  const current = await stackServices(client, o.project);
  return diff(swarmSpecs(d, o), current.map(existing)).changes;
}

/** Creates the secrets the specs name that do not exist yet, and fills in their ids. */
async function ensureSecrets(
  client: DockerClient,
  project: string,
  specs: SwarmServiceSpec[],
  written: string[],
): Promise<void> {
  const have = await client.call('list secrets', (dk) =>
    dk.listSecrets({ filters: { label: [`${STACK.namespace}=${project}`] } }),
  );
  const ids = new Map(have.map((s) => [s.Spec?.Name ?? '', s.ID]));
  for (const spec of specs) {
    for (const secret of spec.secrets) {
      let id = ids.get(secret.name);
      if (id === undefined) {
        const created = (await client.call(`create secret ${secret.name}`, (dk) =>
          dk.createSecret({
            Name: secret.name,
            Data: Buffer.from(secret.value).toString('base64'),
            Labels: {
              [STACK.namespace]: project,
              [SERVICE_LABEL.project]: project,
              [SECRET_LABEL.service]: spec.name,
            },
          }),
        )) as { id?: string; ID?: string };
        id = created.id ?? created.ID ?? '';
        ids.set(secret.name, id);
        written.push(`secret ${secret.name}`);
      }
      secret.ref.SecretID = id;
    }
  }
}

/** Removes the project's secrets that no service names any more (in use: left for the next run). */
async function pruneSecrets(
  client: DockerClient,
  project: string,
  keep: Set<string>,
  written: string[],
): Promise<void> {
  const have = await client.call('list secrets', (dk) =>
    dk.listSecrets({ filters: { label: [`${SERVICE_LABEL.project}=${project}`] } }),
  );
  for (const s of have) {
    const name = s.Spec?.Name ?? s.ID;
    if (keep.has(name)) continue;
    try {
      await client.call(`remove secret ${name}`, (dk) => dk.getSecret(s.ID).remove());
      written.push(`removed secret ${name}`);
    } catch {
      // still used by a task being shut down
    }
  }
}

async function updateService(
  client: DockerClient,
  id: string,
  version: number,
  spec: object,
): Promise<void> {
  await client.call(`update service ${id.slice(0, 12)}`, (dk, signal) =>
    dk.getService(id).update({ _query: { version }, _body: spec, abortSignal: signal }),
  );
}

/** No crash points here: Swarm keeps each service's update state itself. */
const NO_STEPS = { locked: () => undefined, unlocking: () => undefined };

/** What converge.ts waits for on a service this run created, updated or scaled up. */
function watchOf(s: SwarmServiceSpec, id: string, updated: boolean, since?: string): Watch {
  const tt = s.spec.TaskTemplate as { ContainerSpec?: { StopGracePeriod?: number } } | undefined;
  const c = tt?.ContainerSpec;
  return {
    id,
    name: s.name,
    replicas: s.spec.Mode?.Replicated?.Replicas ?? 0,
    updated,
    stopGraceS: (c?.StopGracePeriod ?? 10 * 1e9) / 1e9,
    startsecs: Number(containerLabels(s.spec)[LABEL.startsecs] ?? '1') || 0,
    since,
  };
}

/**
 * Under the project's lock (the docker backend's: one apply, update or
 * uninstall of a stack at a time from this machine), then waits for the
 * changes to settle.
 */
export async function applyStack(
  client: DockerClient,
  d: Deployment,
  o: SpecOptions,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const specs = swarmSpecs(d, o);
  if (opts.dryRun) {
    const services = await stackServices(client, o.project);
    ensureOwned(o.project, services);
    return { changes: diff(specs, services.map(existing)).changes, written: [] };
  }
  return locked(client, o.project, NO_STEPS, () => applyLocked(client, specs, o, opts));
}

async function applyLocked(
  client: DockerClient,
  specs: SwarmServiceSpec[],
  o: SpecOptions,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const services = await stackServices(client, o.project);
  ensureOwned(o.project, services);
  const plan = diff(specs, services.map(existing));
  await checkImages(client, specs);
  const written: string[] = [];
  await ensureSecrets(client, o.project, specs, written);
  const network = await ensureStackNetwork(client, o.project, written);
  for (const s of specs) {
    const tt = s.spec.TaskTemplate as { Networks?: { Target: string; Aliases: string[] }[] };
    tt.Networks = [{ Target: network, Aliases: [s.alias] }];
  }
  const watches: Watch[] = [];
  for (const s of plan.added) {
    const created = (await client.call(`create service ${s.name}`, (dk) =>
      dk.createService(s.spec),
    )) as { id?: string; ID?: string };
    watches.push(watchOf(s, created.id ?? created.ID ?? s.name, false));
    written.push(`service ${s.name}`);
  }
  for (const { spec, old } of plan.changed) {
    await updateService(client, old.id, old.version, spec.spec);
    watches.push(watchOf(spec, old.id, true, old.updatedAt));
    written.push(`updated service ${spec.name}`);
  }
  for (const old of plan.removed) {
    await client.call(`remove service ${old.name}`, (dk) => dk.getService(old.id).remove());
    written.push(`removed service ${old.name}`);
  }
  // apply (not update) starts every autostart service a stop left at 0 replicas
  if (!opts.onlyChanges) {
    for (const { spec, old } of plan.unchanged) {
      if (!spec.autostart || old.replicas === spec.replicas) continue;
      await scaleService(client, old.id, spec.replicas);
      watches.push(watchOf(spec, old.id, false));
    }
  }
  await waitConverged(client, watches, convergeTimeoutMs(watches, client.timeoutMs));
  await pruneSecrets(
    client,
    o.project,
    new Set(specs.flatMap((s) => s.secrets.map((x) => x.name))),
    written,
  );
  return { changes: plan.changes, written };
}

/** Sets a service's replicas (its spec otherwise as it is). */
export async function scaleService(
  client: DockerClient,
  id: string,
  replicas: number,
): Promise<void> {
  await mutateService(client, id, (spec) => {
    spec.Mode = { Replicated: { Replicas: replicas } };
    const labels = (spec.Labels ??= {});
    if (replicas === 0) labels[SERVICE_LABEL.stoppedAt] = new Date().toISOString();
    else delete labels[SERVICE_LABEL.stoppedAt];
  });
}

/** Reads a service's spec, changes it, writes it back at the version read. */
export async function mutateService(
  client: DockerClient,
  id: string,
  change: (spec: NonNullable<Service['Spec']>) => void,
): Promise<void> {
  const s = await client.call(
    `inspect service ${id.slice(0, 12)}`,
    (dk) => dk.getService(id).inspect() as Promise<Service>,
  );
  const spec = s.Spec!;
  change(spec);
  await updateService(client, id, s.Version?.Index ?? 0, spec);
}

/**
 * Removes the stack: its services, then (once their tasks are gone, which
 * Swarm does in the background) its secrets and its network.
 */
export function removeStack(client: DockerClient, project: string): Promise<void> {
  return locked(client, project, NO_STEPS, () => removeLocked(client, project));
}

async function removeLocked(client: DockerClient, project: string): Promise<void> {
  const services = await stackServices(client, project);
  ensureOwned(project, services);
  for (const s of services) {
    await client.call(`remove service ${s.Spec?.Name ?? s.ID}`, (dk) =>
      dk.getService(s.ID).remove(),
    );
  }
  const deadline = Date.now() + Math.max(client.timeoutMs, 60_000);
  for (;;) {
    await pruneSecrets(client, project, new Set(), []);
    const networks = await removeStackNetworks(client, project);
    const secrets = await client.call('list secrets', (dk) =>
      dk.listSecrets({ filters: { label: [`${SERVICE_LABEL.project}=${project}`] } }),
    );
    const left = [...secrets.map((x) => `secret ${x.Spec?.Name ?? x.ID}`), ...networks];
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      throw new BackendError(
        'TIMEOUT',
        `stack ${project}: still in use after its services were removed: ${left.join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
