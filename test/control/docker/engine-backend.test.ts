/**
 * What the docker and swarm backends share, on a fake client (the real
 * backends are proven in test/integration/docker*.test.ts and swarm*.test.ts):
 * the project a verb acts on, the plan/apply/remove routing, and signal's
 * faults.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Dockerode from 'dockerode';
import type { DockerClient } from '../../../src/control/docker/client.ts';
import {
  EngineBackend,
  errorText,
  signalContainers,
  type EngineBackendOptions,
  type ProjectOps,
} from '../../../src/control/docker/engine-backend.ts';
import { BackendError } from '../../../src/control/types.ts';
import type { Deployment } from '../../../src/model/deployment.ts';
import { proc } from '../fake-backend.ts';

/** A client whose containers record the signals they get; `refuse` answers 409 for a container. */
function fakeClient(kills: string[], refuse = new Set<string>()): DockerClient {
  const docker = {
    getContainer: (id: string) => ({
      kill: ({ signal }: { signal: string }) => {
        if (refuse.has(id)) return Promise.reject(new BackendError('CONFLICT', 'not running'));
        kills.push(`${id} ${signal}`);
        return Promise.resolve();
      },
    }),
  } as unknown as Dockerode;
  return {
    docker,
    host: 'unix:///fake.sock',
    timeoutMs: 1000,
    call: (_what, fn) => fn(docker, new AbortController().signal),
  };
}

class Probe extends EngineBackend {
  project(d?: Deployment): string {
    return this.projectFor(d);
  }
}

const DEPLOYMENT = { configFile: '/etc/supervisor/My App.conf' } as unknown as Deployment;

function probe(opts: EngineBackendOptions, calls: string[] = []): Probe {
  const ops: ProjectOps = {
    plan: (_c, _d, o) => {
      calls.push(`plan ${o.project} ${o.image ?? '-'}`);
      return Promise.resolve({ added: [], changed: [], removed: [] });
    },
    apply: (_c, _d, o) => {
      calls.push(`apply ${o.project}`);
      return Promise.resolve({ changes: { added: [], changed: [], removed: [] }, written: [] });
    },
    remove: (_c, project) => {
      calls.push(`remove ${project}`);
      return Promise.resolve();
    },
  };
  return new Probe(fakeClient([]), opts, () => Promise.resolve(ops));
}

test('the project: --name normalized as compose does, else the config file name; neither is an error', () => {
  assert.equal(probe({ project: 'Shop.V2' }).project(DEPLOYMENT), 'shopv2');
  assert.equal(probe({}).project(DEPLOYMENT), 'my_app');
  assert.throws(() => probe({}).project(), /no project name: pass --name PROJECT/);
});

test('plan, apply and remove reach the backend ops with the project and images', async () => {
  const calls: string[] = [];
  const b = probe({ project: 'shop', image: 'img:1' }, calls);
  await b.plan(DEPLOYMENT);
  await b.apply(DEPLOYMENT, { dryRun: false, onlyChanges: false });
  await b.remove();
  await b.close();
  assert.deepEqual(calls, ['plan shop img:1', 'apply shop', 'remove shop']);
});

test('errorText: an Error is its message, anything else its text', () => {
  assert.equal(errorText(new Error('boom')), 'boom');
  assert.equal(errorText(42), '42');
});

test('signal: unknown signal, a stopped process, a 409 and a real-time signal', async () => {
  const kills: string[] = [];
  const client = fakeClient(kills, new Set(['gone']));
  const run = proc('a', 'a', 'RUNNING', { ref: 'c1' });
  const stopped = proc('b', 'b', 'STOPPED', { ref: 'c2' });
  const gone = proc('c', 'c', 'RUNNING', { ref: 'gone' });
  const byRef = (t: { ref: string }) => Promise.resolve(t.ref);
  const faults = (rs: { ok: boolean; fault?: string }[]) => rs.map((r) => (r.ok ? 'ok' : r.fault));
  assert.deepEqual(faults(await signalContainers(client, [run], 'NOPE', byRef)), ['BAD_SIGNAL']);
  assert.deepEqual(faults(await signalContainers(client, [run, stopped, gone], 'hup', byRef)), [
    'ok',
    'NOT_RUNNING',
    'NOT_RUNNING',
  ]);
  assert.deepEqual(faults(await signalContainers(client, [run], '40', byRef)), ['ok']);
  const where = () => Promise.reject(new BackendError('FAILED', 'runs on node n2'));
  const r = await signalContainers(client, [run], 'TERM', where);
  assert.deepEqual([r[0]!.fault, r[0]!.message], ['FAILED', 'ERROR (runs on node n2)']);
  assert.deepEqual(kills, ['c1 SIGHUP', 'c1 40']);
});
