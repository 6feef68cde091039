/**
 * serve survives its backend going away: a private dockerd (started here,
 * not the harness's, which other tests use) is stopped under a running
 * `supctl serve`; serve keeps answering (processes UNKNOWN, /livez 500) and
 * answers with fresh state within seconds after dockerd is back.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { XmlRpcClient } from '../../src/xmlrpc/client.ts';
import { describeWithHarness, waitFor } from './harness.ts';

interface Info {
  name: string;
  statename: string;
  pid: number;
}

describeWithHarness('supctl serve while its dockerd restarts', (h) => {
  // under the repo's .tmp: the harness keeps its runtimes there too
  const root = mkdtempSync(join(resolve('.tmp'), 'serve-restart-'));
  const sock = join(root, 'docker.sock');
  const host = `unix://${sock}`;
  const project = `ssr${process.pid}`;
  const conf = join(root, 'app.conf');
  const env = { ...process.env, DOCKER_HOST: host };
  let dockerd: ChildProcess | undefined;
  let serve: ChildProcess | undefined;
  let url = '';

  const docker = (args: string[], input?: Buffer) =>
    spawnSync('docker', ['-H', host, ...args], { input, timeout: 120_000 });

  async function startDockerd(): Promise<void> {
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(join(root, 'daemon.json'), '{}\n');
    dockerd = spawn(
      'dockerd',
      [
        `--config-file=${join(root, 'daemon.json')}`,
        `--host=${host}`,
        `--exec-root=${join(root, 'exec')}`,
        `--data-root=${join(root, 'data')}`,
        `--pidfile=${join(root, 'dockerd.pid')}`,
        '--storage-driver=vfs',
        '--iptables=false',
        '--ip6tables=false',
        '--ip-forward=false',
        '--ip-masq=false',
        '--bridge=none',
        '--exec-opt',
        'native.cgroupdriver=cgroupfs',
        '--shutdown-timeout=5',
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    await waitFor(
      'the private dockerd',
      () => (docker(['version']).status === 0 ? true : undefined),
      90_000,
      250,
    );
  }

  async function stopDockerd(): Promise<void> {
    const d = dockerd;
    if (d?.pid === undefined || d.exitCode !== null) return;
    const gone = new Promise((r) => d.once('exit', r));
    d.kill('SIGTERM');
    await gone;
  }

  const all = async (): Promise<Info[]> =>
    (await new XmlRpcClient({ url, timeoutMs: 5_000 }).call(
      'supervisor.getAllProcessInfo',
    )) as unknown as Info[];

  before(async () => {
    await startDockerd();
    // the harness's test image, copied into the private daemon
    const saved = spawnSync('docker', ['-H', h.docker.host, 'save', h.docker.image], {
      maxBuffer: 1 << 30,
      timeout: 120_000,
    });
    assert.equal(saved.status, 0, String(saved.stderr));
    assert.equal(docker(['load'], saved.stdout).status, 0);
    writeFileSync(
      conf,
      `[program:web]
command=/bin/sleep 1000
startsecs=0
stopsignal=KILL
`,
    );
    const dk = ['--backend', 'docker', '--name', project];
    const a = spawnSync(
      process.execPath,
      ['bin/supctl', 'apply', conf, '--image', h.docker.image, ...dk],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(a.status, 0, a.stderr);
    serve = spawn(process.execPath, ['bin/supctl', 'serve', '--listen', '127.0.0.1:0', ...dk], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    url = await waitFor(
      'serve listening',
      () => /listening on (http:\/\/\S+)/.exec(err)?.[1],
      30_000,
    );
  });

  after(async () => {
    if (serve?.pid !== undefined) serve.kill('SIGTERM');
    if (dockerd?.exitCode === null) {
      spawnSync(
        process.execPath,
        ['bin/supctl', 'uninstall', '--backend', 'docker', '--name', project],
        {
          env,
          timeout: 120_000,
        },
      );
    }
    await stopDockerd();
    rmSync(root, { recursive: true, force: true });
  });

  test('answers UNKNOWN while dockerd is down and fresh state after it is back', async () => {
    await waitFor(
      'web RUNNING',
      async () => ((await all())[0]?.statename === 'RUNNING' ? true : undefined),
      30_000,
      200,
    );
    await stopDockerd();
    const down = await waitFor(
      'UNKNOWN while dockerd is down',
      async () => {
        const ps = await all();
        return ps[0]?.statename === 'UNKNOWN' ? ps : undefined;
      },
      30_000,
      200,
    );
    assert.equal(down.length, 1);
    assert.equal((await fetch(`${url}/livez`)).status, 500);
    await startDockerd();
    // the container stopped with its daemon; start it again behind serve's back
    assert.equal(docker(['start', `${project}_web_1`]).status, 0);
    const fresh = await waitFor(
      'RUNNING with the new pid after dockerd is back',
      async () => {
        const [p] = await all();
        return p?.statename === 'RUNNING' && p.pid > 0 ? p : undefined;
      },
      30_000,
      200,
    );
    const pid = docker(['inspect', '-f', '{{.State.Pid}}', `${project}_web_1`])
      .stdout.toString()
      .trim();
    assert.equal(String(fresh.pid), pid);
    assert.equal((await fetch(`${url}/livez`)).status, 200);
  });
});
