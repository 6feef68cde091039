/**
 * The Docker backend on the harness dockerd (test/harness/up.sh) with the
 * local busybox image: apply, every verb, logs, update (added / changed /
 * removed; unchanged keeps its container id), a failed update that leaves
 * the old containers running, Debian's docker-compose 1.29.2 seeing the
 * project, a crash counted as a restart, remove. No mocks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { createDockerBackend } from '../../src/control/docker/index.ts';
import { BackendError, type Backend, type ProcessStatus } from '../../src/control/types.ts';
import type { Deployment } from '../../src/model/deployment.ts';
import { emitCompose } from '../../src/emit/compose/index.ts';
import { writeFilesAtomically } from '../../src/emit/write.ts';
import { describeWithHarness, waitFor, withTimeout } from './harness.ts';

const DOCKER = '/usr/bin/docker';

function docker(...args: string[]): string {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

const WEB = `/bin/sh -c 'echo out-line; echo err-line >&2; trap "echo got-usr1" USR1; trap "exit 0" TERM; while true; do sleep 1; done'`;
// crashes 6 times (its counter lives in the container's filesystem), then stays up
const CRASH = `/bin/sh -c 'n=$(cat /tmp/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/n; echo run $n; if [ $n -le 6 ]; then exit 1; fi; exec sleep 1000'`;

const V1 = `
[program:web]
command=${WEB}
startsecs=1
stopwaitsecs=5
stopasgroup=true
environment=GREETING="hello"

[program:pool]
command=/bin/sleep 1000
process_name=%(program_name)s_%(process_num)s
numprocs=2
startsecs=0

[program:crash]
command=${CRASH}
autorestart=true
startsecs=1
`;

// web unchanged, pool changed, crash removed, extra and quick added
const V2 = `
[program:web]
command=${WEB}
startsecs=1
stopwaitsecs=5
stopasgroup=true
environment=GREETING="hello"

[program:pool]
command=/bin/sleep 2000
process_name=%(program_name)s_%(process_num)s
numprocs=2
startsecs=0

[program:extra]
command=/bin/sh -c 'sleep 2; exit 0'
autorestart=false
startsecs=1

[program:quick]
command=/bin/sh -c 'exit 2'
autorestart=false
startsecs=1
`;

describeWithHarness('docker backend', (h) => {
  const image = h.docker.image;
  const project = `supctl-tdock-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-dock-'));
  let backend: Backend;

  const load = (name: string, text: string): Deployment => {
    const path = join(dir, `${name}.conf`);
    writeFileSync(path, text);
    return loadConfig(path, { env: {}, hostNodeName: 'node1' });
  };
  const byName = async (): Promise<Map<string, ProcessStatus>> =>
    new Map((await backend.list()).map((p) => [p.namespec, p]));
  const one = async (namespec: string): Promise<ProcessStatus> => {
    const p = (await byName()).get(namespec);
    assert.ok(p, `${namespec} listed`);
    return p;
  };

  before(async () => {
    backend = await createDockerBackend({ project, image, dockerHost: h.docker.host });
  });

  after(async () => {
    await backend?.remove().catch(() => undefined);
    await backend?.close();
    // belt and braces: nothing of this project may survive the test
    const ids = docker('ps', '-aq', '--filter', `label=io.supctl.project=${project}`);
    if (ids) docker('rm', '-f', ...ids.split('\n'));
    spawnSync(DOCKER, ['network', 'rm', `${project}_default`]);
    spawnSync(DOCKER, ['rm', '-f', `${project}_other_1`]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('plan and dry run on an empty project change nothing', async () => {
    const d = load('v1', V1);
    assert.deepEqual(await backend.plan(d), {
      added: ['crash', 'pool', 'web'],
      changed: [],
      removed: [],
    });
    const r = await backend.apply(d, { dryRun: true, onlyChanges: false });
    assert.deepEqual(r.changes.added, ['crash', 'pool', 'web']);
    assert.deepEqual(await backend.list(), []);
  });

  test('apply creates the network and one labelled container per process', async () => {
    const r = await backend.apply(load('v1', V1), { dryRun: false, onlyChanges: false });
    assert.deepEqual(r.changes.added, ['crash', 'pool', 'web']);
    const names = [...(await byName()).keys()].sort();
    assert.deepEqual(names, ['crash', 'pool:pool_0', 'pool:pool_1', 'web']);
    const net = JSON.parse(docker('network', 'inspect', `${project}_default`)) as {
      Labels: Record<string, string>;
    }[];
    assert.equal(net[0]!.Labels['com.docker.compose.project'], project);

    const [info] = JSON.parse(docker('inspect', `${project}_web_1`)) as {
      Config: {
        Labels: Record<string, string>;
        Env: string[];
        StopSignal: string;
        StopTimeout: number;
        Entrypoint: string[];
      };
      HostConfig: { Init: boolean; RestartPolicy: { Name: string }; NetworkMode: string };
    }[];
    assert.ok(info);
    const l = info.Config.Labels;
    assert.equal(l['com.docker.compose.project'], project);
    assert.equal(l['com.docker.compose.service'], 'web');
    assert.equal(l['com.docker.compose.container-number'], '1');
    assert.equal(l['com.docker.compose.oneoff'], 'False');
    assert.match(l['com.docker.compose.config-hash']!, /^[0-9a-f]{64}$/);
    assert.equal(l['io.supctl.group'], 'web');
    assert.ok(info.Config.Env.includes('TINI_KILL_PROCESS_GROUP=1'));
    assert.ok(info.Config.Env.includes('GREETING=hello'));
    assert.equal(info.Config.StopSignal, 'SIGTERM');
    assert.equal(info.Config.StopTimeout, 5);
    assert.equal(info.Config.Entrypoint[0], '/bin/sh');
    assert.equal(info.HostConfig.Init, true);
    assert.equal(info.HostConfig.RestartPolicy.Name, 'on-failure');
    assert.equal(info.HostConfig.NetworkMode, `${project}_default`);
    const [pool2] = JSON.parse(docker('inspect', `${project}_pool_2`)) as {
      Config: { Labels: Record<string, string> };
    }[];
    assert.equal(pool2!.Config.Labels['com.docker.compose.container-number'], '2');
    assert.equal(pool2!.Config.Labels['io.supctl.process'], 'pool_1');
  });

  test('a crashing program (Docker doubles its delay: 0.1 s … 3.2 s) shows BACKOFF, then RUNNING with its restarts counted', async () => {
    await waitFor(
      'crash in BACKOFF',
      async () => ((await one('crash')).state === 'BACKOFF' ? true : undefined),
      30_000,
      20,
    );
    const up = await waitFor(
      'crash RUNNING',
      async () => {
        const p = await one('crash');
        return p.state === 'RUNNING' ? p : undefined;
      },
      30_000,
    );
    assert.equal(up.restarts, 6);
  });

  test("Debian's docker-compose 1.29.2 lists the project", () => {
    const out = join(dir, 'compose');
    const d = load('v1', V1);
    writeFilesAtomically(
      out,
      emitCompose(d, {
        project,
        image,
        images: {},
        envFile: false,
        swarm: false,
        shellWrap: false,
      }).files,
    );
    const r = spawnSync('docker-compose', ['-p', project, '-f', join(out, 'compose.yaml'), 'ps'], {
      encoding: 'utf8',
      cwd: out,
      env: { ...process.env, DOCKER_HOST: h.docker.host },
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    for (const n of ['web_1', 'pool_1', 'pool_2', 'crash_1']) {
      assert.match(r.stdout, new RegExp(`^${project}_${n}\\s`, 'm'), r.stdout);
    }
  });

  test('status: RUNNING with pid and uptime', async () => {
    const web = await waitFor('web RUNNING', async () => {
      const p = await one('web');
      return p.state === 'RUNNING' ? p : undefined;
    });
    assert.match(web.description, /^pid \d+, uptime \d+:\d\d:\d\d$/);
    assert.ok(web.pid !== null && web.pid > 0);
    assert.equal(web.project, project);
  });

  test('logs keep stdout and stderr apart; follow sees new output until aborted', async () => {
    const web = await one('web');
    const read = async (channel: 'stdout' | 'stderr'): Promise<string> => {
      const parts: Buffer[] = [];
      await backend.logs(web, { channel, follow: false }, (c) => parts.push(c));
      return Buffer.concat(parts).toString();
    };
    assert.equal(await read('stdout'), 'out-line\n');
    assert.equal(await read('stderr'), 'err-line\n');
    const parts: Buffer[] = [];
    await backend.logs(web, { channel: 'stdout', follow: false, bytes: 5 }, (c) => parts.push(c));
    assert.equal(Buffer.concat(parts).toString(), 'line\n');

    const ac = new AbortController();
    const seen: string[] = [];
    const following = backend.logs(
      web,
      { channel: 'stdout', follow: true, signal: ac.signal },
      (c) => seen.push(c.toString()),
    );
    await waitFor('history', () => (seen.join('').includes('out-line') ? true : undefined));
    const [sig] = await backend.signal([web], 'USR1');
    assert.deepEqual(sig, { namespec: 'web', ok: true, message: 'signalled' });
    await waitFor('got-usr1 followed', () =>
      seen.join('').includes('got-usr1') ? true : undefined,
    );
    ac.abort();
    await withTimeout(following, 5000, 'follow ends on abort');
    assert.equal(seen.join(''), 'out-line\ngot-usr1\n');
  });

  test('stop, start, restart and signal with supervisor faults', async () => {
    let web = await one('web');
    assert.deepEqual(await backend.stop([web]), [
      { namespec: 'web', ok: true, message: 'stopped' },
    ]);
    web = await one('web');
    assert.equal(web.state, 'STOPPED');
    assert.match(web.description, /^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/);
    assert.equal((await backend.stop([web]))[0]!.fault, 'NOT_RUNNING');
    assert.equal((await backend.signal([web], 'HUP'))[0]!.fault, 'NOT_RUNNING');

    assert.deepEqual(await backend.start([web]), [
      { namespec: 'web', ok: true, message: 'started' },
    ]);
    web = await one('web');
    assert.equal(web.state, 'RUNNING');
    assert.equal((await backend.start([web]))[0]!.fault, 'ALREADY_STARTED');
    assert.equal((await backend.signal([web], 'NOPE'))[0]!.fault, 'BAD_SIGNAL');

    const before = web.startedAt!;
    const pools = [...(await byName()).values()].filter((p) => p.group === 'pool');
    const r = await backend.restart([web, ...pools]);
    assert.deepEqual(
      r.map((x) => [x.namespec, x.ok]),
      [
        ['web', true],
        ['pool:pool_0', true],
        ['pool:pool_1', true],
      ],
    );
    web = await one('web');
    assert.equal(web.state, 'RUNNING');
    assert.ok(web.startedAt! > before, 'restart started a new run');
  });

  test('detail: CPU and memory from one-shot stats; avail lists every process', async () => {
    const all = await backend.list({ detail: true });
    const web = all.find((p) => p.namespec === 'web')!;
    assert.ok(web.cpuNsec !== null && web.cpuNsec > 0);
    assert.ok(web.memoryBytes !== null && web.memoryBytes > 0);
    const avail = await backend.avail();
    assert.deepEqual(avail.map((a) => [a.namespec, a.inUse, a.autostart]).sort(), [
      ['crash', true, true],
      ['pool:pool_0', true, true],
      ['pool:pool_1', true, true],
      ['web', true, true],
    ]);
  });

  test('update: added, changed and removed; unchanged keeps its container', async () => {
    const old = await byName();
    const d = load('v2', V2);
    const changes = { added: ['extra', 'quick'], changed: ['pool'], removed: ['crash'] };
    assert.deepEqual(await backend.plan(d), changes);
    const r = await backend.apply(d, { dryRun: false, onlyChanges: true });
    assert.deepEqual(r.changes, changes);
    const now = await byName();
    assert.deepEqual([...now.keys()].sort(), [
      'extra',
      'pool:pool_0',
      'pool:pool_1',
      'quick',
      'web',
    ]);
    assert.equal(now.get('web')!.ref, old.get('web')!.ref, 'unchanged web keeps its container');
    assert.notEqual(now.get('pool:pool_0')!.ref, old.get('pool:pool_0')!.ref);
    assert.equal(docker('ps', '-aq', '--filter', `id=${old.get('crash')!.ref}`), '');
    assert.equal(
      docker('inspect', '-f', '{{.Name}}', now.get('pool:pool_0')!.ref),
      `/${project}_pool_1`,
    );
    assert.deepEqual(await backend.plan(d), { added: [], changed: [], removed: [] });
  });

  test('exit after startsecs → EXITED; exit within startsecs, no restart → FATAL', async () => {
    const extra = await waitFor('extra EXITED', async () => {
      const p = await one('extra');
      return p.state === 'EXITED' ? p : undefined;
    });
    assert.equal(extra.exitStatus, 0);
    const quick = await waitFor('quick FATAL', async () => {
      const p = await one('quick');
      return p.state === 'FATAL' ? p : undefined;
    });
    assert.equal(quick.exitStatus, 2);
    assert.equal(quick.description, 'Exited too quickly (process log may have details)');
  });

  test('an update whose new container cannot start rolls back to the old ones', async () => {
    const old = await byName();
    // daemon exists on this host (the reader checks) but not in the busybox image: start fails
    const d = load(
      'v2-user',
      V2.replace('command=/bin/sleep 2000', 'command=/bin/sleep 2000\nuser=daemon').replace(
        'numprocs=2\nstartsecs=0',
        'numprocs=2\nstartsecs=0\nstopwaitsecs=3',
      ),
    );
    await assert.rejects(
      backend.apply(d, { dryRun: false, onlyChanges: true }),
      (e: unknown) => e instanceof BackendError && /daemon/.test(e.message),
    );
    const now = await waitFor('old pool running again', async () => {
      const m = await byName();
      return m.get('pool:pool_0')?.state === 'RUNNING' && m.get('pool:pool_1')?.state === 'RUNNING'
        ? m
        : undefined;
    });
    assert.deepEqual(
      [...now.values()].map((p) => [p.namespec, p.ref]),
      [...old.values()].map((p) => [p.namespec, p.ref]),
    );
    assert.equal(docker('ps', '-aq', '--filter', `name=supctl-next`), '');
  });

  test('a failed update (missing image) changes nothing and names the image', async () => {
    const old = await byName();
    const bad = await createDockerBackend({
      project,
      image,
      images: { extra: 'supctl-test/missing:latest' },
      dockerHost: h.docker.host,
    });
    await assert.rejects(
      bad.apply(load('v2', V2.replace('sleep 2000', 'sleep 3000')), {
        dryRun: false,
        onlyChanges: true,
      }),
      (e: unknown) =>
        e instanceof BackendError &&
        e.code === 'NOT_FOUND' &&
        e.message.includes('supctl-test/missing:latest') &&
        e.message.includes('docker load'),
    );
    const now = await byName();
    assert.deepEqual(
      [...now.values()].map((p) => [p.namespec, p.ref, p.state]),
      [...old.values()].map((p) => [p.namespec, p.ref, p.state]),
    );
  });

  test('a name conflict fails the update before anything is stopped', async () => {
    const old = await byName();
    docker('create', '--name', `${project}_other_1`, image, 'true');
    const d = load('v3', V2 + '\n[program:other]\ncommand=/bin/sleep 1000\n');
    await assert.rejects(
      backend.apply(d, { dryRun: false, onlyChanges: true }),
      (e: unknown) =>
        e instanceof BackendError && e.code === 'CONFLICT' && e.message.includes('other_1'),
    );
    docker('rm', '-f', `${project}_other_1`);
    const now = await byName();
    assert.deepEqual(
      [...now.values()].map((p) => [p.namespec, p.ref, p.state]),
      [...old.values()].map((p) => [p.namespec, p.ref, p.state]),
    );
  });

  test('remove tears down containers and network', async () => {
    await backend.remove();
    assert.deepEqual(await backend.list(), []);
    assert.equal(
      docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`),
      '',
    );
    assert.equal(spawnSync(DOCKER, ['network', 'inspect', `${project}_default`]).status, 1);
  });
});

describeWithHarness('docker backend errors', () => {
  test('an unreachable daemon is one BackendError, fast', async () => {
    await assert.rejects(
      withTimeout(
        createDockerBackend({ dockerHost: 'unix:///nonexistent/docker.sock', timeoutMs: 2000 }),
        5000,
        'unreachable daemon',
      ),
      (e: unknown) =>
        e instanceof BackendError &&
        e.code === 'UNREACHABLE' &&
        !e.message.includes('\n') &&
        e.message.includes('/nonexistent/docker.sock'),
    );
  });
});
