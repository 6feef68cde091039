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
import type { Deployment } from '../../model/deployment.ts';
import { failpoint } from '../failpoint.ts';
import { groupProgress } from '../progress.ts';
import type { ApplyOptions, ApplyResult, ChangeSet } from '../types.ts';
import type { DockerClient } from './client.ts';
import { containerSpecs, type ContainerSpec, type SpecOptions } from './create.ts';
import { create } from './create-container.ts';
import { diff } from './diff.ts';
import { existingContainers, type Existing } from './existing.ts';
import { NEXT_SUFFIX, networkName } from './labels.ts';
import { clearJournal, readJournal, writeJournal } from './journal.ts';
import {
  each,
  eachSettled,
  removeContainer,
  renameContainer,
  startContainer,
  stopContainer,
} from './ops.ts';
import { checkImages, ensureNetwork } from './prerequisites.ts';
import { locked } from './project-lock.ts';

export async function planDeployment(
  client: DockerClient,
  d: Deployment,
  o: SpecOptions,
): Promise<ChangeSet> {
  const [specs, existing] = [containerSpecs(d, o), await existingContainers(client, o.project)];
  return diff(specs, existing).changes;
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
  const toCreate = [
    ...plan.added.map((spec) => ({ spec, temp: false })),
    ...plan.changed.map(({ spec }) => ({ spec, temp: true })),
  ];
  // unchanged containers that should run: apply, every autostart one; update, those a crash left down
  const wasDown = new Set(down);
  const startLater = plan.unchanged.filter(
    ({ spec, old }) =>
      opts.noStart !== true &&
      !old.running &&
      (wasDown.has(old.id) || (spec.autostart && (!opts.onlyChanges || old.neverStarted))),
  );
  const created: Created[] = [];
  const createdOne = groupProgress(
    'create',
    toCreate.map((x) => x.spec.group),
    opts.onProgress,
  );
  const startedOne = groupProgress(
    'start',
    [...toCreate.filter((x) => x.spec.autostart && opts.noStart !== true), ...startLater].map(
      (x) => x.spec.group,
    ),
    opts.onProgress,
  );
  const createOne = async (spec: ContainerSpec, temp: boolean) => {
    const c = await create(client, spec, temp ? spec.name + NEXT_SUFFIX : spec.name);
    created.push({ spec, id: c.id, temp });
    createdOne(spec.group);
    failpoint('docker:apply:created-first');
  };
  try {
    await each(toCreate, (x) => createOne(x.spec, x.temp));
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
      created.filter(({ spec }) => spec.autostart && opts.noStart !== true),
      async ({ id, spec }) => {
        await startContainer(client, spec.name, id);
        startedOne(spec.group);
      },
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

  // 5. the unchanged containers that should run (startLater)
  await each(startLater, async ({ old, spec }) => {
    await startContainer(client, old.name, old.id);
    startedOne(spec.group);
  });
  failpoint('docker:apply:converged');
  clearJournal(journal);
  return { changes: plan.changes, written };
}
