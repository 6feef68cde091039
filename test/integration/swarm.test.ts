/**
 * --backend swarm on the harness's single-node swarm: apply shows in
 * `docker stack services/ps`, status lines per task (numprocs → replicas,
 * %(process_num) → separate services), the verbs, a secret-looking value as
 * a Swarm secret, update rolling only the changed service, uninstall
 * leaving nothing, and a stack docker deployed from `convert --to compose
 * --swarm` output read (status) but not changed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, waitFor } from './harness.ts';
import { createClient } from '../../src/control/docker/client.ts';
import { containerLogs } from '../../src/control/docker/logs.ts';
import { inspectService, leftovers, runningTaskIds, swarmEnv, tasksOf } from './swarm-support.ts';

const PROJECT = `swa${process.pid}`;

const CONF = (webMessage: string) => `[program:web]
command=/bin/sh -c 'echo ${webMessage}; echo web-err >&2; exec sleep 1000'
startsecs=0
environment=API_TOKEN="tok$en 1",PLAIN="visible"

[program:w]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0
stopsignal=KILL

[program:idx]
command=/bin/sh -c 'echo idx-%(process_num)s; exec sleep 1000'
numprocs=2
process_name=%(program_name)s_%(process_num)s
startsecs=0

[program:manual]
command=/bin/sleep 1000
autostart=false
`;

describeWithHarness('supctl --backend swarm on a single-node swarm', (h) => {
  const s = swarmEnv(PROJECT);
  const dir = mkdtempSync(join(tmpdir(), 'supctl-swarm-'));
  const conf = join(dir, 'app.conf');
  const allRunning = () =>
    waitFor(
      'every autostart process RUNNING',
      () => {
        const r = s.supctl('status');
        const states = r.lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '));
        return states.filter((x) => !x.startsWith('manual')).every((x) => x.endsWith(' RUNNING'))
          ? r.lines
          : undefined;
      },
      120_000,
      250,
    );

  before(() => {
    writeFileSync(conf, CONF('web-out'));
    const r = s.supctl('apply', conf, '--image', h.docker.image);
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => {
    s.supctl('uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  test('docker stack services/ps show the stack; status per task', async () => {
    const services = s.dockerCli(
      'stack',
      'services',
      PROJECT,
      '--format',
      '{{.Name}} {{.Replicas}}',
    );
    assert.equal(services.status, 0, services.stderr);
    assert.deepEqual(
      services.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0])
        .sort(),
      [
        `${PROJECT}_idx_00`,
        `${PROJECT}_idx_01`,
        `${PROJECT}_manual`,
        `${PROJECT}_w`,
        `${PROJECT}_web`,
      ],
    );
    assert.match(services.stdout, new RegExp(`${PROJECT}_manual 0/0`));
    const lines = await allRunning();
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      [
        'idx:idx_0 RUNNING',
        'idx:idx_1 RUNNING',
        'manual STOPPED',
        'w:w_0 RUNNING',
        'w:w_1 RUNNING',
        'web RUNNING',
      ],
    );
    assert.match(
      lines.find((l) => l.startsWith('w:w_1'))!,
      /pid \d+, uptime \d+:\d\d:\d\d$/,
    );
    const ps = s.dockerCli(
      'stack',
      'ps',
      PROJECT,
      '--filter',
      'desired-state=running',
      '--format',
      '{{.Name}}',
    );
    assert.equal(ps.stdout.split('\n').filter(Boolean).length, 5, ps.stdout);
  });

  test('a secret-looking value is a Swarm secret, given back to the program as its variable', async () => {
    await allRunning();
    const secrets = await s.docker.listSecrets({
      filters: { label: [`com.docker.stack.namespace=${PROJECT}`] },
    });
    assert.deepEqual(
      secrets.map((x) => x.Spec?.Name?.replace(/_[0-9a-f]{12}$/, '')),
      [`${PROJECT}_web_API_TOKEN`],
    );
    const svc = await inspectService(s.docker, `${PROJECT}_web`);
    const specText = JSON.stringify(svc.Spec);
    assert.doesNotMatch(specText, /tok\$en/);
    assert.match(specText, /PLAIN=visible/);
    const pid = s.supctl('pid', 'web').stdout.trim();
    assert.match(pid, /^\d+$/);
    const environ = await waitFor('the program environment', () => {
      try {
        return spawnEnviron(Number(pid));
      } catch {
        return undefined;
      }
    });
    assert.ok(environ.includes('API_TOKEN=tok$en 1'), environ.join(' '));
  });

  test('stop / start scale a service; signal, tail, restart', async () => {
    await allRunning();
    let r = s.supctl('stop', 'w:w_0');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /one replicated service: stop w:\* stops it as a whole/);
    r = s.supctl('stop', 'w:*');
    assert.deepEqual([r.status, r.lines], [0, ['w:w_0: stopped', 'w:w_1: stopped']]);
    assert.equal((await inspectService(s.docker, `${PROJECT}_w`)).Spec.Mode.Replicated.Replicas, 0);
    r = s.supctl('start', 'w:*');
    assert.deepEqual([r.status, r.lines], [0, ['w:w_0: started', 'w:w_1: started']]);
    r = s.supctl('start', 'manual');
    assert.deepEqual([r.status, r.lines], [0, ['manual: started']]);
    // tail before the signal: HUP ends idx's `sleep`, and the task is replaced
    r = s.supctl('tail', 'idx:idx_1');
    assert.equal(r.stdout.trim(), 'idx-1');
    r = s.supctl('signal', 'HUP', 'idx:idx_1');
    assert.deepEqual([r.status, r.lines], [0, ['idx:idx_1: signalled']]);
    r = s.supctl('tail', 'web', 'stderr');
    assert.equal(r.stdout.trim(), 'web-err');
    const before = await runningTaskIds(s.docker, `${PROJECT}_web`);
    r = s.supctl('restart', 'web');
    assert.deepEqual([r.status, r.lines], [0, ['web: stopped', 'web: started']]);
    const after = await runningTaskIds(s.docker, `${PROJECT}_web`);
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before);
  });

  test('update rolls only the changed service: the others keep their task ids', async () => {
    await allRunning();
    const keep = [`${PROJECT}_w`, `${PROJECT}_idx_00`, `${PROJECT}_idx_01`];
    const ids = await Promise.all(keep.map((x) => runningTaskIds(s.docker, x)));
    const webBefore = await runningTaskIds(s.docker, `${PROJECT}_web`);
    writeFileSync(conf, CONF('web-v2'));
    const r = s.supctl('update', conf, '--image', h.docker.image);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.lines.slice(0, 2), ['web: stopped', 'web: updated process group']);
    const svc = await inspectService(s.docker, `${PROJECT}_web`);
    assert.equal(svc.Spec.UpdateConfig.FailureAction, 'rollback');
    await waitFor(
      'web rolled to a new task',
      async () => {
        const now = await runningTaskIds(s.docker, `${PROJECT}_web`);
        return now.length === 1 && now[0] !== webBefore[0] ? true : undefined;
      },
      120_000,
      250,
    );
    await waitFor(
      'web prints the new message',
      () => (s.supctl('tail', 'web').stdout.trim() === 'web-v2' ? true : undefined),
      60_000,
      250,
    );
    assert.deepEqual(await Promise.all(keep.map((x) => runningTaskIds(s.docker, x))), ids);
  });

  test('a stack deployed with docker stack deploy from convert output is read, not changed', async () => {
    const other = `${PROJECT}d`;
    const out = join(dir, 'out');
    const c = swarmEnv(other);
    let r = c.supctlOffline(
      'convert',
      '--to',
      'compose',
      '--swarm',
      conf,
      '--image',
      h.docker.image,
      '--out',
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    const deploy = c.dockerCli('stack', 'deploy', '-c', join(out, 'compose.yaml'), other);
    assert.equal(deploy.status, 0, deploy.stderr);
    try {
      const lines = await waitFor(
        'the docker-deployed stack RUNNING',
        () => {
          const st = c.supctl('status');
          return st.lines.filter((l) => / RUNNING /.test(l)).length === 5 ? st.lines : undefined;
        },
        120_000,
        250,
      );
      assert.deepEqual(
        lines.map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
        [
          'idx:idx_0 RUNNING',
          'idx:idx_1 RUNNING',
          'manual STOPPED',
          'w:w_1 RUNNING',
          'w:w_2 RUNNING',
          'web RUNNING',
        ],
      );
      r = c.supctl('apply', conf, '--image', h.docker.image);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /supctl did not create .*docker stack rm/);
      r = c.supctl('uninstall');
      assert.notEqual(r.status, 0);
      r = c.supctl('stop', 'web');
      assert.match(r.stdout, /web: ERROR .*not created by supctl/);
      assert.equal(
        (
          await c.docker.listServices({
            filters: { label: [`com.docker.stack.namespace=${other}`] },
          })
        ).length,
        5,
      );
    } finally {
      c.dockerCli('stack', 'rm', other);
    }
  });

  test('a daemon that is not a swarm manager is refused in one line', () => {
    const r = spawnSync(process.execPath, ['bin/supctl', 'status', '--backend', 'swarm'], {
      env: { ...process.env, SUPCTL_SWARM_HOST: h.docker.host },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /is not a swarm manager .*docker swarm init/);
  });

  test('uninstall removes services, secrets and the network: nothing keeps the namespace label', async () => {
    const r = s.supctl('uninstall');
    assert.equal(r.status, 0, r.stderr);
    const left = await leftovers(s.docker, PROJECT);
    assert.deepEqual(
      left.filter((x) => !x.startsWith('container ')),
      [],
    );
    // Swarm removes the task containers in the background
    await waitFor(
      'no container of the stack',
      async () => ((await leftovers(s.docker, PROJECT)).length === 0 ? true : undefined),
      120_000,
      500,
    );
  });
});

/**
 * The environment of the program under the task's init (the swarm's tasks
 * run on this node): the pid is docker-init's, its child is the program.
 */
function spawnEnviron(initPid: number): string[] {
  const child = readFileSync(`/proc/${initPid}/task/${initPid}/children`, 'utf8')
    .trim()
    .split(' ')[0];
  return readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
}

const HPROJECT = `swh${process.pid}`;
const HCONF = (command: string) => `[program:a]
command=${command}
startsecs=2
autorestart=unexpected
stopwaitsecs=3
`;
const GOOD = `/bin/sh -c 'echo hello-a; exec sleep 1000'`;

describeWithHarness('supctl --backend swarm: lock, rollout, stop time, task logs', (h) => {
  const s = swarmEnv(HPROJECT);
  const dir = mkdtempSync(join(tmpdir(), 'supctl-swarmh-'));
  const conf = join(dir, 'a.conf');
  const service = `${HPROJECT}_a`;
  /** supctl --backend swarm, not waited for: two at once. */
  const supctlAsync = (...args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const env = { ...process.env, SUPCTL_SWARM_HOST: s.host };
      const child = spawn(
        process.execPath,
        ['bin/supctl', ...args, '--backend', 'swarm', '--name', HPROJECT],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  after(() => {
    s.supctl('uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  test('two applies at once serialize on the project lock: both succeed, one service', async () => {
    writeFileSync(conf, HCONF(GOOD));
    const [a, b] = await Promise.all([
      supctlAsync('apply', conf, '--image', h.docker.image),
      supctlAsync('apply', conf, '--image', h.docker.image),
    ]);
    assert.deepEqual([a.status, b.status], [0, 0], a.stderr + b.stderr);
    const services = await s.docker.listServices({
      filters: { label: [`com.docker.stack.namespace=${HPROJECT}`] },
    });
    assert.deepEqual(
      services.map((x) => x.Spec?.Name),
      [service],
    );
    // apply returned once the task ran: no waiting here
    assert.equal((await runningTaskIds(s.docker, service)).length, 1);
  });

  test('a task log read through the manager (a task on another node) is the program output', async () => {
    const [taskId] = await runningTaskIds(s.docker, service);
    const client = await createClient({ dockerHost: s.host });
    const chunks: Buffer[] = [];
    await waitFor(
      'the task logs',
      async () => {
        chunks.length = 0;
        await containerLogs(
          client,
          taskId!,
          { channel: 'stdout', follow: false, bytes: 100 },
          (c) => chunks.push(c),
          'task',
        );
        return Buffer.concat(chunks).toString().trim() === 'hello-a' ? true : undefined;
      },
      60_000,
      500,
    );
  });

  test('an update whose task exits at once is rolled back by Swarm and reported in one line', async () => {
    const before = await runningTaskIds(s.docker, service);
    writeFileSync(conf, HCONF(`/bin/sh -c 'exit 3'`));
    const r = s.supctl('update', conf, '--image', h.docker.image);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`service ${service}: the update failed and Swarm rolled it back`),
    );
    const spec = JSON.stringify((await inspectService(s.docker, service)).Spec);
    assert.match(spec, /hello-a/);
    assert.doesNotMatch(spec, /exit 3/);
    await waitFor(
      'the rolled-back task running',
      async () => ((await runningTaskIds(s.docker, service)).length === 1 ? true : undefined),
      120_000,
      250,
    );
    assert.notDeepEqual(await runningTaskIds(s.docker, service), before);
  });

  test('after stop, status shows the stop time once Swarm has deleted the task', async () => {
    writeFileSync(conf, HCONF(GOOD));
    const r = s.supctl('stop', 'a');
    assert.deepEqual([r.status, r.lines], [0, ['a: stopped']]);
    await waitFor(
      'the scaled-down task deleted',
      async () =>
        (await tasksOf(s.docker, service)).every(
          (t) => !['running', 'remove'].includes(t.DesiredState),
        )
          ? true
          : undefined,
      120_000,
      250,
    );
    const st = s.supctl('status', 'a');
    assert.match(st.stdout, /^a\s+STOPPED\s+[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M\n$/);
  });
});
