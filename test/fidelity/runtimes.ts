/**
 * The three runtimes one scenario runs under, each behind supctl's control
 * facade (src/control/types.ts Backend):
 *  - supervisord: a real supervisord 4.2.5 (test/integration/harness.ts),
 *    driven by the supervisord backend over XML-RPC;
 *  - systemd: the generated units on the harness's user manager, installed
 *    by the systemd backend's apply;
 *  - docker: the generated containers on the harness's dockerd, created by
 *    the docker backend's apply.
 * The program writes its observations to a results dir: a host dir for the
 * first two; inside a container it is /fid, copied out with `docker cp`
 * (the docker backend creates containers from the compose model, which has
 * no volumes, so nothing can be bind-mounted without changing the product).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createDockerBackend } from '../../src/control/docker/index.ts';
import { createSupervisordBackend } from '../../src/control/supervisord/index.ts';
import { createSystemdBackend } from '../../src/control/systemd/index.ts';
import type { Backend } from '../../src/control/types.ts';
import type { Deployment } from '../../src/model/deployment.ts';
import { startSupervisord, type Harness } from '../integration/harness.ts';

export const RUNTIMES = ['supervisord', 'systemd', 'docker'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** Where the program writes inside a container. */
const CONTAINER_DIR = '/fid';

export interface Runtime {
  name: RuntimeName;
  backend: Backend;
  /** The results dir as the program sees it (what `@R@` in a scenario becomes). */
  programDir: string;
  /** The config this runtime runs (for the key tables' claims). */
  deployment: Deployment;
  /** Makes the program's results readable on the host; returns that dir. */
  collect(): Promise<string>;
  close(): Promise<void>;
}

export interface RuntimeSetup {
  h: Harness;
  /** A fresh host dir for this runtime in this scenario. */
  dir: string;
  /** A unique project name (systemd unit / container prefix). */
  project: string;
  /** The scenario's program sections with the results dir filled in. */
  sections: (resultsDir: string) => string;
}

const TIMEOUT_MS = 30_000;

function load(dir: string, text: string): Deployment {
  const path = join(dir, 'supervisord.conf');
  writeFileSync(path, text);
  return loadConfig(path, { env: {}, hostNodeName: 'fidelity' });
}

async function supervisord(s: RuntimeSetup): Promise<Runtime> {
  const results = join(s.dir, 'results');
  mkdirSync(results, { recursive: true });
  const sections = s.sections(results);
  const sd = await startSupervisord({ sections });
  const backend = createSupervisordBackend({
    serverUrl: `unix://${sd.socketPath}`,
    timeoutMs: TIMEOUT_MS,
  });
  return {
    name: 'supervisord',
    backend,
    programDir: results,
    deployment: load(s.dir, sections),
    collect: () => Promise.resolve(results),
    async close() {
      await backend.close();
      await sd.stop();
    },
  };
}

async function systemd(s: RuntimeSetup): Promise<Runtime> {
  const results = join(s.dir, 'results');
  mkdirSync(results, { recursive: true });
  const d = load(s.dir, s.sections(results));
  const backend = await createSystemdBackend({
    scope: 'user',
    project: s.project,
    unitDir: s.h.systemd.unitDir,
    busAddress: s.h.systemd.busAddress,
    logDir: join(s.dir, 'logs'),
    timeoutMs: TIMEOUT_MS,
  });
  await backend.apply(d, { dryRun: false, onlyChanges: false });
  return {
    name: 'systemd',
    backend,
    programDir: results,
    deployment: d,
    collect: () => Promise.resolve(results),
    async close() {
      await backend.remove();
      await backend.close();
    },
  };
}

async function docker(s: RuntimeSetup): Promise<Runtime> {
  const results = join(s.dir, 'results');
  mkdirSync(results, { recursive: true });
  const d = load(s.dir, s.sections(CONTAINER_DIR));
  const backend = await createDockerBackend({
    project: s.project,
    image: s.h.docker.image,
    dockerHost: s.h.docker.host,
    timeoutMs: TIMEOUT_MS,
  });
  await backend.apply(d, { dryRun: false, onlyChanges: false });
  return {
    name: 'docker',
    backend,
    programDir: CONTAINER_DIR,
    deployment: d,
    async collect() {
      // every container has its own /fid; the file names carry the process name
      for (const p of await backend.list()) {
        spawnSync('docker', ['cp', `${p.ref}:${CONTAINER_DIR}/.`, results], {
          env: { ...process.env, DOCKER_HOST: s.h.docker.host },
          timeout: TIMEOUT_MS,
          stdio: 'ignore',
        });
      }
      return results;
    },
    async close() {
      await backend.remove();
      await backend.close();
    },
  };
}

export function openRuntime(name: RuntimeName, s: RuntimeSetup): Promise<Runtime> {
  return { supervisord, systemd, docker }[name](s);
}
