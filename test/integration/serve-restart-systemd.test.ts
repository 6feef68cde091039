/**
 * serve survives a restart of its systemd user manager: a PRIVATE manager
 * (sandbox/sandbox.sh with its own id and dir, not the harness's one that
 * other tests use) is stopped under a running `supctl serve` and started
 * again, as a logout/login or a crash of `systemd --user` would. The bus
 * goes with it (dbus-user-session's dbus.service is one of its units). serve
 * keeps answering every call meanwhile (the last known process as UNKNOWN,
 * /livez 500) and answers fresh state (the new pid) once the manager is
 * back and has started the project again (its target is enabled).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { XmlRpcClient } from '../../src/xmlrpc/client.ts';
import { describeWithHarness, waitFor } from './harness.ts';

interface Info {
  name: string;
  statename: string;
  pid: number;
  description: string;
}

describeWithHarness('supctl serve while its systemd user manager restarts', () => {
  // under the repo's .tmp: the harness keeps its runtimes there too
  const root = mkdtempSync(join(resolve('.tmp'), 'serve-restart-sd-'));
  const id = `ssd${process.pid}`;
  const project = `ssd${process.pid}`;
  const conf = join(root, 'app.conf');
  let env: NodeJS.ProcessEnv = {};
  let serve: ChildProcess | undefined;
  let url = '';

  const sandbox = (action: 'up' | 'down' | 'env') => {
    const r = spawnSync('bash', ['sandbox/sandbox.sh', action, '--id', id, '--dir', root], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, `sandbox ${action}: ${r.stderr}`);
    return r.stdout;
  };
  const supctl = (args: string[]) =>
    spawnSync(process.execPath, ['bin/supctl', ...args], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const mainPid = (unit: string) =>
    spawnSync('systemctl', ['--user', 'show', '-p', 'MainPID', '--value', unit], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    }).stdout.trim();
  const all = async (): Promise<Info[]> =>
    (await new XmlRpcClient({ url, timeoutMs: 5_000 }).call(
      'supervisor.getAllProcessInfo',
    )) as unknown as Info[];

  before(async () => {
    sandbox('up');
    const vars: Record<string, string> = {};
    for (const m of sandbox('env').matchAll(/^export (\w+)=('?)([^'\n]*)\2$/gm))
      vars[m[1]!] = m[3]!;
    // the harness's variables point at its own manager: every one is replaced
    env = { ...process.env, ...vars, XDG_STATE_HOME: join(root, 'state') };
    writeFileSync(conf, '[program:web]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    const a = supctl(['apply', conf, '--name', project]);
    assert.equal(a.status, 0, a.stderr);
    serve = spawn(
      process.execPath,
      ['bin/supctl', 'serve', '--listen', '127.0.0.1:0', '--name', project],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    url = await waitFor(
      'serve listening',
      () => /listening on (http:\/\/\S+)/.exec(err)?.[1],
      30_000,
    );
  });

  after(() => {
    if (serve?.exitCode === null) serve.kill('SIGTERM');
    spawnSync(process.execPath, ['bin/supctl', 'uninstall', '--name', project], {
      env,
      timeout: 120_000,
    });
    spawnSync('bash', ['sandbox/sandbox.sh', 'down', '--id', id, '--dir', root], {
      timeout: 120_000,
    });
    rmSync(root, { recursive: true, force: true });
  });

  test('answers UNKNOWN while the manager is down and the new pid after it is back', async () => {
    const unit = `${project}-web.service`;
    const first = await waitFor(
      'web RUNNING',
      async () => {
        const [p] = await all();
        return p?.statename === 'RUNNING' ? p : undefined;
      },
      30_000,
      200,
    );
    assert.equal(String(first.pid), mainPid(unit));

    // the manager's own pid, as sandbox.sh recorded it ("<pid> <starttime>")
    const managerPid = Number(readFileSync(join(root, 'pids', 'systemd'), 'utf8').split(' ')[0]);
    process.kill(managerPid, 'SIGTERM');
    const down = await waitFor(
      'UNKNOWN while the manager is down',
      async () => {
        const ps = await all();
        return ps[0]?.statename === 'UNKNOWN' ? ps : undefined;
      },
      60_000,
      200,
    );
    assert.deepEqual(
      down.map((p) => p.name),
      ['web'],
    );
    assert.notEqual(down[0]!.description, '');
    assert.equal((await fetch(`${url}/livez`)).status, 500);
    await waitFor(
      'the old manager gone',
      () => {
        try {
          process.kill(managerPid, 0);
          return undefined;
        } catch {
          return true;
        }
      },
      60_000,
      200,
    );
    // still answering with the manager gone: every call returns, none hangs
    assert.equal((await all())[0]?.statename, 'UNKNOWN');

    sandbox('up');
    const fresh = await waitFor(
      'RUNNING with a new pid after the manager is back',
      async () => {
        const [p] = await all();
        return p?.statename === 'RUNNING' && p.pid > 0 && p.pid !== first.pid ? p : undefined;
      },
      60_000,
      200,
    );
    assert.equal(String(fresh.pid), mainPid(unit));
    assert.equal((await fetch(`${url}/livez`)).status, 200);
    assert.equal(serve?.exitCode, null, 'serve is still running');
  });

  test('daemon-reexec on the same bus: serve subscribes again and sees a restart behind its back', async () => {
    const unit = `${project}-web.service`;
    const [before] = await all();
    assert.equal(before?.statename, 'RUNNING');
    const sd = (args: string[]) =>
      spawnSync('systemctl', ['--user', ...args], { env, encoding: 'utf8', timeout: 60_000 });
    // systemd drops its bus connection and comes back under a new unique name
    const r = sd(['daemon-reexec']);
    assert.equal(r.status, 0, r.stderr);
    const s = sd(['restart', unit]);
    assert.equal(s.status, 0, s.stderr);
    const fresh = await waitFor(
      'the restarted pid after daemon-reexec',
      async () => {
        const [p] = await all();
        return p?.statename === 'RUNNING' && p.pid !== before.pid ? p : undefined;
      },
      60_000,
      200,
    );
    assert.equal(String(fresh.pid), mainPid(unit));
    assert.equal((await fetch(`${url}/livez`)).status, 200);
  });
});
