/**
 * `supctl serve --install` on the harness's user manager: the unit runs
 * serve over the project (its config file in a directory whose name needs
 * escaping in a unit: spaces, quotes, %, $), answers /RPC2 on its socket,
 * survives an `update` of the project untouched, and `uninstall --name P`
 * removes it and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { XmlRpcClient } from '../../src/xmlrpc/client.ts';
import { describeWithHarness, systemdCliEnv, waitFor } from './harness.ts';

interface Info {
  name: string;
  statename: string;
  pid: number;
}

/** Every file under `dir` with its bytes, relative paths as keys. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    out.set(full.slice(dir.length + 1), readFileSync(full, 'utf8'));
  }
  return out;
}

describeWithHarness('supctl serve --install', (h) => {
  const project = `sin${process.pid}`;
  const unit = `${project}-supctl-serve.service`;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-sin-'));
  const odd = join(dir, `conf dir "q" 100% $HOME`);
  mkdirSync(odd);
  const conf = join(odd, 'app.conf');
  const sock = join(dir, 's.sock');
  const env = systemdCliEnv(h, dir);
  const unitFile = join(h.systemd.unitDir, unit);

  const supctl = (args: string[]) =>
    spawnSync(process.execPath, ['bin/supctl', ...args], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const systemctl = (args: string[]) =>
    spawnSync('systemctl', ['--user', ...args], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    }).stdout.trim();
  const rpc = (method: string) =>
    new XmlRpcClient({ url: `unix://${sock}`, timeoutMs: 5_000 }).call(method);

  after(() => {
    supctl(['serve', '--install', '--remove', '--name', project]);
    supctl(['uninstall', '--name', project]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('refused for --backend supervisord, in one line, exit 2', () => {
    const r = supctl(['serve', '--install', '--backend', 'supervisord', '--name', project]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /supervisord serves its own XML-RPC/);
    assert.equal(existsSync(unitFile), false);
  });

  test('refused when the unit name is a file supctl did not write', () => {
    const other = `sio${process.pid}`;
    const foreign = join(h.systemd.unitDir, `${other}-supctl-serve.service`);
    writeFileSync(foreign, '[Service]\nExecStart=/bin/true\n');
    try {
      const r = supctl(['serve', '--install', '--name', other]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /supctl did not write it/);
      assert.equal(readFileSync(foreign, 'utf8'), '[Service]\nExecStart=/bin/true\n');
    } finally {
      rmSync(foreign, { force: true });
    }
  });

  test('installs, answers /RPC2, is left alone by update, and uninstall removes it', async () => {
    const before = tree(h.systemd.unitDir);
    writeFileSync(conf, '[program:web]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    const a = supctl(['apply', conf, '--name', project]);
    assert.equal(a.status, 0, a.stderr);

    const i = supctl([
      'serve',
      '--install',
      '-c',
      conf,
      '--name',
      project,
      '--listen',
      `unix:${sock}`,
    ]);
    assert.equal(i.status, 0, i.stderr);
    assert.match(i.stderr, new RegExp(`installed and started ${unit}`));
    assert.equal(systemctl(['show', '-p', 'UnitFileState', '--value', unit]), 'enabled');
    const state = await waitFor(
      'serve answering on its socket',
      async () => {
        try {
          return (await rpc('supervisor.getState')) as { statename: string };
        } catch {
          return undefined;
        }
      },
      60_000,
      250,
    );
    assert.equal(state.statename, 'RUNNING');
    assert.equal(systemctl(['is-active', unit]), 'active');
    // it serves the project: serve's pid is the unit's, the program is there
    const firstPid = systemctl(['show', '-p', 'MainPID', '--value', unit]);
    assert.equal(String((await rpc('supervisor.getPID')) as number), firstPid);
    // installed again: rewritten and restarted, still one unit
    const again = supctl([
      'serve',
      '--install',
      '-c',
      conf,
      '--name',
      project,
      '--listen',
      `unix:${sock}`,
    ]);
    assert.equal(again.status, 0, again.stderr);
    const mainPid = await waitFor(
      'the reinstalled serve answering',
      async () => {
        const pid = systemctl(['show', '-p', 'MainPID', '--value', unit]);
        try {
          const served = (await rpc('supervisor.getPID')) as number;
          return pid !== firstPid && String(served) === pid ? pid : undefined;
        } catch {
          return undefined;
        }
      },
      60_000,
      250,
    );
    const text = readFileSync(unitFile, 'utf8');

    writeFileSync(
      conf,
      '[program:web]\ncommand=/bin/sleep 1000\nstartsecs=0\n\n[program:more]\ncommand=/bin/sleep 999\nstartsecs=0\n',
    );
    const u = supctl(['update', conf, '--name', project]);
    assert.equal(u.status, 0, u.stderr);
    assert.equal(readFileSync(unitFile, 'utf8'), text);
    assert.equal(systemctl(['show', '-p', 'MainPID', '--value', unit]), mainPid);
    const names = await waitFor(
      'the added program seen by the installed serve',
      async () => {
        const ps = (await rpc('supervisor.getAllProcessInfo')) as unknown as Info[];
        return ps.some((p) => p.name === 'more' && p.statename === 'RUNNING')
          ? ps.map((p) => p.name).sort()
          : undefined;
      },
      60_000,
      250,
    );
    assert.deepEqual(names, ['more', 'web']);

    const r = supctl(['uninstall', '--name', project]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`removed ${unit}`));
    assert.equal(existsSync(unitFile), false);
    assert.notEqual(systemctl(['is-active', unit]), 'active');
    await assert.rejects(rpc('supervisor.getState'));
    // nothing else went: every file of the unit dir from before is there, unchanged
    const now = tree(h.systemd.unitDir);
    for (const [f, content] of before) assert.equal(now.get(f), content, f);
    assert.deepEqual(
      [...now.keys()].filter((f) => !before.has(f)),
      [],
      'files left behind by the project or its serve unit',
    );
  });

  test("with --backend docker: the same unit, serving the project's containers", async () => {
    const dp = `sid${process.pid}`;
    const dunit = `${dp}-supctl-serve.service`;
    const dsock = join(dir, 'd.sock');
    const dconf = join(dir, 'docker.conf');
    writeFileSync(dconf, '[program:web]\ncommand=/bin/sleep 1000\nstartsecs=0\nstopsignal=KILL\n');
    const dk = ['--backend', 'docker', '--name', dp];
    try {
      const a = supctl(['apply', dconf, '--image', h.docker.image, ...dk]);
      assert.equal(a.status, 0, a.stderr);
      const i = supctl(['serve', '--install', ...dk, '--listen', `unix:${dsock}`]);
      assert.equal(i.status, 0, i.stderr);
      assert.match(
        readFileSync(join(h.systemd.unitDir, dunit), 'utf8'),
        /^Environment="DOCKER_HOST=/m,
      );
      const ps = await waitFor(
        'the docker project through the installed serve',
        async () => {
          try {
            const all = (await new XmlRpcClient({ url: `unix://${dsock}`, timeoutMs: 5_000 }).call(
              'supervisor.getAllProcessInfo',
            )) as unknown as Info[];
            return all.some((p) => p.statename === 'RUNNING') ? all : undefined;
          } catch {
            return undefined;
          }
        },
        60_000,
        250,
      );
      assert.deepEqual(
        ps.map((p) => p.name),
        ['web'],
      );
      const r = supctl(['uninstall', ...dk]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(existsSync(join(h.systemd.unitDir, dunit)), false);
    } finally {
      supctl(['serve', '--install', '--remove', '--name', dp]);
      supctl(['uninstall', ...dk]);
    }
  });

  test('an install killed after its record was written is cleaned up by --remove', () => {
    const kp = `sik${process.pid}`;
    const rec = join(h.systemd.unitDir, '.supctl', 'serve', `${kp}.json`);
    mkdirSync(join(h.systemd.unitDir, '.supctl', 'serve'), { recursive: true });
    // what installServeUnit writes first, before the unit file
    writeFileSync(
      rec,
      JSON.stringify({
        version: 1,
        project: kp,
        unit: `${kp}-supctl-serve.service`,
        installedAt: 1,
      }),
    );
    const r = supctl(['serve', '--install', '--remove', '--name', kp]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /removed/);
    assert.equal(existsSync(rec), false);
  });
});
