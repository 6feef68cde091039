/**
 * serve's in-memory state against the real runtimes: after warm-up, reads
 * (getAllProcessInfo, getProcessInfo, getState, /metrics, /readyz) cost no
 * call to the backend; a program killed with SIGKILL shows up in
 * getProcessInfo without any action request (the feed saw it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDockerBackend } from '../../src/control/docker/index.ts';
import { createSystemdBackend } from '../../src/control/systemd/index.ts';
import type { Backend } from '../../src/control/types.ts';
import { createServeServer } from '../../src/serve/server.ts';
import { dockerFeed } from '../../src/serve/state/docker-feed.ts';
import { StateStore, type OpenFeed } from '../../src/serve/state/store.ts';
import { systemdFeed } from '../../src/serve/state/systemd-feed.ts';
import { storeBackend } from '../../src/serve/state/view.ts';
import { XmlRpcClient } from '../../src/xmlrpc/client.ts';
import type { XmlRpcValue } from '../../src/xmlrpc/types.ts';
import { counting } from '../serve/state/counting.ts';
import { describeWithHarness, systemdCliEnv, waitFor } from './harness.ts';

const CONF = `[program:steady]
command=/bin/sleep 1000
startsecs=0
stopsignal=KILL

[program:victim]
command=/bin/sleep 1000
startsecs=0
autorestart=false
stopsignal=KILL
`;

interface Served {
  store: StateStore;
  real: ReturnType<typeof counting>;
  url: string;
  server: Server;
}

async function serveWith(open: () => Promise<Backend>, feed: OpenFeed): Promise<Served> {
  const real = counting(await open());
  const store = new StateStore({
    open: () => Promise.resolve(real.backend),
    feed,
    usageIntervalMs: 0,
  });
  await store.start();
  const server = createServeServer({
    backend: storeBackend(store),
    credentials: null,
    log: () => undefined,
    unreachable: () => store.unreachable,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { store, real, url, server };
}

async function stop(s: Served | undefined): Promise<void> {
  if (s === undefined) return;
  s.server.closeAllConnections();
  s.server.close();
  await s.store.close();
}

/** Waits for both RUNNING and then for no re-list during 1 s. */
async function settle(s: Served): Promise<void> {
  await waitFor(
    'steady and victim RUNNING in the store',
    () =>
      s.store.processes().every((p) => p.state === 'RUNNING') && s.store.processes().length === 2
        ? true
        : undefined,
    60_000,
    100,
  );
  let last = -1;
  await waitFor(
    'no re-list for 1 s',
    async () => {
      const now = s.real.total();
      if (now === last) return true;
      last = now;
      await new Promise((r) => setTimeout(r, 1_000));
      return s.real.total() === last ? true : undefined;
    },
    60_000,
    0,
  );
}

async function readsCostNothing(s: Served): Promise<void> {
  await settle(s);
  const before = s.real.total();
  const rpc = (method: string, ...params: XmlRpcValue[]): Promise<unknown> =>
    new XmlRpcClient({ url: s.url }).call(method, params);
  for (let i = 0; i < 50; i++) {
    const all = (await rpc('supervisor.getAllProcessInfo')) as { statename: string }[];
    assert.equal(all.length, 2);
    await rpc('supervisor.getProcessInfo', 'steady');
    await rpc('supervisor.getState');
    assert.equal((await fetch(`${s.url}/metrics`)).status, 200);
    assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
  }
  assert.deepEqual(
    s.real.total() - before,
    0,
    `backend calls during 250 reads: ${JSON.stringify([...s.real.calls])}`,
  );
}

async function crashIsSeen(s: Served): Promise<void> {
  const info = (await new XmlRpcClient({ url: s.url }).call('supervisor.getProcessInfo', [
    'victim',
  ])) as {
    pid: number;
    statename: string;
  };
  assert.equal(info.statename, 'RUNNING');
  assert.ok(info.pid > 0);
  process.kill(info.pid, 'SIGKILL');
  const after = await waitFor(
    'the SIGKILL in getProcessInfo',
    async () => {
      const i = (await new XmlRpcClient({ url: s.url }).call('supervisor.getProcessInfo', [
        'victim',
      ])) as {
        pid: number;
        statename: string;
      };
      return i.pid !== info.pid ? i : undefined;
    },
    60_000,
    100,
  );
  assert.notEqual(after.statename, 'RUNNING', JSON.stringify(after));
}

describeWithHarness('serve state store on the systemd user manager', (h) => {
  const project = `sst${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-sstate-'));
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: project });
  const conf = join(dir, 'app.conf');
  let s: Served | undefined;
  before(async () => {
    writeFileSync(conf, CONF);
    const a = spawnSync(process.execPath, ['bin/supctl', 'apply', conf], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(a.status, 0, a.stderr);
    s = await serveWith(
      () =>
        createSystemdBackend({
          scope: 'user',
          project,
          unitDir: h.systemd.unitDir,
          busAddress: h.systemd.busAddress,
        }),
      systemdFeed({ scope: 'user', busAddress: h.systemd.busAddress }),
    );
  });
  after(async () => {
    await stop(s);
    spawnSync(process.execPath, ['bin/supctl', 'uninstall'], { env, timeout: 120_000 });
  });
  test('reads cost no D-Bus call after warm-up', () => readsCostNothing(s!));
  test('kill -9 shows up in getProcessInfo without an action', () => crashIsSeen(s!));
});

describeWithHarness('serve state store on dockerd', (h) => {
  const project = `ssd${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-sstated-'));
  const env = { ...process.env, DOCKER_HOST: h.docker.host };
  const conf = join(dir, 'app.conf');
  const docker = ['--backend', 'docker', '--name', project];
  let s: Served | undefined;
  before(async () => {
    writeFileSync(conf, CONF);
    const a = spawnSync(
      process.execPath,
      ['bin/supctl', 'apply', conf, '--image', h.docker.image, ...docker],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(a.status, 0, a.stderr);
    s = await serveWith(
      () => createDockerBackend({ project, dockerHost: h.docker.host }),
      dockerFeed({ project, dockerHost: h.docker.host }),
    );
  });
  after(async () => {
    await stop(s);
    spawnSync(process.execPath, ['bin/supctl', 'uninstall', ...docker], {
      env,
      timeout: 120_000,
    });
  });
  test('reads cost no Engine API call after warm-up', () => readsCostNothing(s!));
  test('kill -9 shows up in getProcessInfo without an action', () => crashIsSeen(s!));
});
