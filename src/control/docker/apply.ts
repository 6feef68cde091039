/**
 * apply / update / reread over the Engine API. The desired containers come
 * from create.ts; the current ones from one label-filtered list. Each
 * container carries a hash of its create options: equal hash = unchanged
 * (left running, same id), different = changed (recreated), missing =
 * added, left over = removed. Results are reported by supervisor group.
 *
 * Update order, so that a failure leaves the previous containers running:
 *  1. check every image exists, finish or undo what a crashed run left
 *     (recover()), create the network if missing;
 *  2. create every new container (changed ones under NAME.supctl-next,
 *     added ones under their final name) — on any failure remove what was
 *     created: nothing else was touched;
 *  3. note the running old ones in the journal, stop the old
 *     changed/removed containers, start the new ones — if a stop or start
 *     fails, remove what this run created and start what it stopped;
 *  4. remove the old containers and rename the new ones to their names;
 *  5. start unchanged containers that should run (apply: every autostart
 *     one; update: those a crashed run left down), drop the journal.
 *
 * A SIGKILL between any two steps (failpoint() marks each) leaves a state
 * the next apply or update converges from: a temp container whose old one
 * still exists is removed, one whose old one is gone takes its name, a
 * never-started autostart container is started, and the journal names the
 * containers that were stopped while running.
 */
import type Dockerode from 'dockerode';
import type { Deployment } from '../../model/deployment.ts';
import { failpoint } from '../failpoint.ts';
import { acquireLock } from '../lock.ts';
import { BackendError, type ApplyOptions, type ApplyResult, type ChangeSet } from '../types.ts';
import type { DockerClient } from './client.ts';
import { containerSpecs, type ContainerSpec, type SpecOptions } from './create.ts';
import { COMPOSE_VERSION, LABEL, NEXT_SUFFIX, networkName } from './labels.ts';
import { clearJournal, journalPath, readJournal, writeJournal } from './journal.ts';
import { lockPath } from './lock-path.ts';
import {
  each,
  eachSettled,
  ignore404,
  removeContainer,
  renameContainer,
  startContainer,
  stopContainer,
} from './ops.ts';

interface Existing {
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
async function existingContainers(client: DockerClient, project: string): Promise<Existing[]> {
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

interface Diff {
  changes: ChangeSet;
  added: ContainerSpec[];
  changed: { spec: ContainerSpec; old: Existing }[];
  removed: Existing[];
  unchanged: { spec: ContainerSpec; old: Existing }[];
}

function diff(specs: ContainerSpec[], existing: Existing[]): Diff {
  const current = new Map(
    existing.filter((e) => !e.name.endsWith(NEXT_SUFFIX)).map((e) => [e.name, e]),
  );
  const d: Diff = {
    changes: { added: [], changed: [], removed: [] },
    added: [],
    changed: [],
    removed: [],
    unchanged: [],
  };
  const touched = new Set<string>();
  const wanted = new Set<string>();
  for (const spec of specs) {
    wanted.add(spec.name);
    const old = current.get(spec.name);
    if (!old) {
      d.added.push(spec);
      touched.add(spec.group);
    } else if (old.hash !== spec.hash) {
      d.changed.push({ spec, old });
      touched.add(spec.group);
    } else {
      d.unchanged.push({ spec, old });
    }
  }
  for (const old of current.values()) {
    if (!wanted.has(old.name)) {
      d.removed.push(old);
      touched.add(old.group);
    }
  }
  const oldGroups = new Set([...current.values()].map((e) => e.group));
  const newGroups = new Set(specs.map((s) => s.group));
  for (const g of [...touched].sort()) {
    if (!oldGroups.has(g)) d.changes.added.push(g);
    else if (!newGroups.has(g)) d.changes.removed.push(g);
    else d.changes.changed.push(g);
  }
  return d;
}

export async function planDeployment(
  client: DockerClient,
  d: Deployment,
  o: SpecOptions,
): Promise<ChangeSet> {
  const [specs, existing] = [containerSpecs(d, o), await existingContainers(client, o.project)];
  return diff(specs, existing).changes;
}

async function ensureNetwork(client: DockerClient, project: string): Promise<boolean> {
  const name = networkName(project);
  const found = await client.call('list networks', (dk) =>
    dk.listNetworks({ filters: { name: [name] } }),
  );
  if (found.some((n) => n.Name === name)) return false;
  await client.call(`create network ${name}`, (dk) =>
    dk.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: {
        [LABEL.network]: 'default',
        [LABEL.project]: project,
        [LABEL.version]: COMPOSE_VERSION,
        [LABEL.supctlProject]: project,
      },
    }),
  );
  return true;
}

async function checkImages(client: DockerClient, specs: ContainerSpec[]): Promise<void> {
  const images = [...new Set(specs.map((s) => s.image))];
  await Promise.all(
    images.map(async (image) => {
      try {
        await client.call(`inspect image ${image}`, (dk) => dk.getImage(image).inspect());
      } catch (e) {
        if (e instanceof BackendError && e.code === 'NOT_FOUND') {
          throw new BackendError(
            'NOT_FOUND',
            `image ${image} is not in the Docker daemon at ${client.host}: build it (docker build -t ${image} DIR) or load it (docker load -i IMAGE.tar); there is no registry to pull from`,
            { cause: e },
          );
        }
        throw e;
      }
    }),
  );
}

/** How long a daemon may still be finishing a create we stopped waiting for. */
export const LATE_CREATE_MS = 2_000;

/**
 * A create that timed out may still complete in the daemon: remove the
 * container by name (only if it carries this spec's hash: the name is
 * ours) now and, in case it appears only later, once more after a while.
 * Best effort; the timeout is what gets reported.
 */
async function removeLateCreate(
  client: DockerClient,
  spec: ContainerSpec,
  name: string,
): Promise<void> {
  for (const wait of [0, LATE_CREATE_MS]) {
    await new Promise((r) => setTimeout(r, wait));
    try {
      const info = await client.call(`inspect ${name}`, (dk) => dk.getContainer(name).inspect());
      if (info.Config.Labels[LABEL.hash] === spec.hash) await removeContainer(client, info.Id);
    } catch {
      /* not there (yet), or the daemon still does not answer */
    }
  }
}

export async function create(
  client: DockerClient,
  spec: ContainerSpec,
  name: string,
): Promise<Dockerode.Container> {
  try {
    return await client.call(`create container ${name}`, (dk, abortSignal) =>
      dk.createContainer({ ...spec.options, name, abortSignal }),
    );
  } catch (e) {
    if (e instanceof BackendError && e.code === 'TIMEOUT') {
      await removeLateCreate(client, spec, name);
      throw e;
    }
    if (e instanceof BackendError && e.code === 'CONFLICT') {
      throw new BackendError(
        'CONFLICT',
        `container name ${name} is already in use by a container that is not part of this project: remove or rename it`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** An apply on vfs storage can take minutes; a waiting one should outlast it. */
const LOCK_TIMEOUT_MS = 300_000;

/**
 * Runs `fn` holding the project's apply lock (another run's temp containers
 * are not leftovers), with the journal's path. A lock left by a killed run
 * is taken over (lock.ts). `step` names the failpoints, literally, so the
 * crash test can find every one in the source.
 */
async function locked<T>(
  client: DockerClient,
  project: string,
  step: { locked: () => void; unlocking: () => void },
  fn: (journal: string) => Promise<T>,
): Promise<T> {
  const lock = lockPath(client.host, project);
  const release = await acquireLock(lock, LOCK_TIMEOUT_MS);
  try {
    step.locked();
    const r = await fn(journalPath(lock));
    step.unlocking();
    return r;
  } finally {
    release();
  }
}

export async function applyDeployment(
  client: DockerClient,
  d: Deployment,
  o: SpecOptions,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const specs = containerSpecs(d, o);
  if (opts.dryRun) {
    return {
      changes: diff(specs, await existingContainers(client, o.project)).changes,
      written: [],
    };
  }
  return locked(
    client,
    o.project,
    {
      locked: () => failpoint('docker:apply:locked'),
      unlocking: () => failpoint('docker:apply:unlocking'),
    },
    (journal) => applyLocked(client, specs, o, opts, journal),
  );
}

/**
 * Leftovers of a run that died half-way, all under temp names: one whose
 * old container still exists never replaced it (removed; the old one
 * stays), one whose old container is gone was being renamed (it takes the
 * name). True when anything changed.
 */
async function recover(client: DockerClient, existing: Existing[]): Promise<boolean> {
  const names = new Set(existing.map((e) => e.name));
  const temps = existing.filter((e) => e.name.endsWith(NEXT_SUFFIX));
  await each(temps, async (t) => {
    const name = t.name.slice(0, -NEXT_SUFFIX.length);
    if (names.has(name)) await removeContainer(client, t.id);
    else await renameContainer(client, t.id, name);
  });
  return temps.length > 0;
}

interface Created {
  spec: ContainerSpec;
  id: string;
  temp: boolean;
}

/**
 * Undoes exactly what this run did (not what it planned): removes the
 * containers it created, starts the ones it stopped. Every step is tried;
 * true when all succeeded.
 */
async function rollback(
  client: DockerClient,
  created: Created[],
  stopped: Existing[],
): Promise<boolean> {
  const removing = await eachSettled(created, (c) => removeContainer(client, c.id));
  const starting = await eachSettled(stopped, (x) => startContainer(client, x.name, x.id));
  return removing.length === 0 && starting.length === 0;
}

async function applyLocked(
  client: DockerClient,
  specs: ContainerSpec[],
  o: SpecOptions,
  opts: ApplyOptions,
  journal: string,
): Promise<ApplyResult> {
  const written: string[] = [];
  await checkImages(client, specs);
  let existing = await existingContainers(client, o.project);
  if (await recover(client, existing)) existing = await existingContainers(client, o.project);
  const plan = diff(specs, existing);
  // containers a crashed run stopped while they ran
  const down = readJournal(journal);
  if (await ensureNetwork(client, o.project)) written.push(`network ${networkName(o.project)}`);
  failpoint('docker:apply:prepared');

  // 2. create everything new; undo on failure
  const created: Created[] = [];
  const createOne = async (spec: ContainerSpec, temp: boolean) => {
    const c = await create(client, spec, temp ? spec.name + NEXT_SUFFIX : spec.name);
    created.push({ spec, id: c.id, temp });
    failpoint('docker:apply:created-first');
  };
  try {
    await each(
      [
        ...plan.added.map((spec) => ({ spec, temp: false })),
        ...plan.changed.map(({ spec }) => ({ spec, temp: true })),
      ],
      (x) => createOne(x.spec, x.temp),
    );
  } catch (e) {
    await rollback(client, created, []);
    throw e;
  }
  failpoint('docker:apply:created');

  // 3. stop the old, start the new; undo what ran on failure
  const olds = [...plan.changed.map((x) => x.old), ...plan.removed];
  writeJournal(journal, [...down, ...olds.filter((x) => x.running).map((x) => x.id)]);
  const stopped: Existing[] = [];
  try {
    await each(olds, async (x) => {
      if ((await stopContainer(client, x.id, x.stopTimeout)) === 'stopped') stopped.push(x);
    });
    failpoint('docker:apply:stopped');
    await each(
      created.filter(({ spec }) => spec.autostart),
      ({ id, spec }) => startContainer(client, spec.name, id),
    );
  } catch (e) {
    // an undo that failed leaves the journal naming what it could not start
    if (await rollback(client, created, stopped)) writeJournal(journal, down);
    throw e;
  }
  failpoint('docker:apply:started');

  // 4. remove the old ones, give the new ones their names (a crash here: recover() finishes it)
  await each(olds, (x) => removeContainer(client, x.id));
  failpoint('docker:apply:removed-old');
  await each(
    created.filter(({ temp }) => temp),
    async ({ id, spec }) => {
      await renameContainer(client, id, spec.name);
      failpoint('docker:apply:renamed-first');
    },
  );
  failpoint('docker:apply:renamed');
  for (const { spec } of created) written.push(`container ${spec.name}`);
  for (const x of plan.removed) written.push(`removed container ${x.name}`);

  // 5. unchanged containers that should run: apply, every autostart one; update, those a crash left down
  const wasDown = new Set(down);
  await each(
    plan.unchanged.filter(
      ({ spec, old }) =>
        !old.running &&
        (wasDown.has(old.id) || (spec.autostart && (!opts.onlyChanges || old.neverStarted))),
    ),
    ({ old }) => startContainer(client, old.name, old.id),
  );
  failpoint('docker:apply:converged');
  clearJournal(journal);
  return { changes: plan.changes, written };
}

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
