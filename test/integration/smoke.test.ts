/**
 * Proves each runtime of the harness is real: a systemd user manager driven
 * over D-Bus, a dockerd with the local test image (and docker-init), and
 * Debian's supervisor (its Python parser and a live supervisord).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as dbus from '@jellybrick/dbus-next';
import Docker from 'dockerode';

import {
  describeWithHarness,
  startSupervisord,
  waitFor,
  withTimeout,
  type XmlRpcValue,
} from './harness.ts';

const T = 10_000; // every single D-Bus / Docker call

interface SystemdManager extends dbus.ProxyInterface {
  Subscribe(): Promise<void>;
  Reload(): Promise<void>;
  StartUnit(name: string, mode: string): Promise<string>;
  StopUnit(name: string, mode: string): Promise<string>;
  LoadUnit(name: string): Promise<string>;
  GetUnit(name: string): Promise<string>;
}

interface DBusProperties extends dbus.ProxyInterface {
  Get(iface: string, prop: string): Promise<dbus.Variant>;
}

function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describeWithHarness('systemd user manager over D-Bus', (h) => {
  const unit = 'supctl-smoke.service';
  const unitFile = path.join(h.systemd.unitDir, unit);
  let bus: dbus.MessageBus;
  let mgr: SystemdManager;
  /** JobRemoved signals, by job path; the listener is registered before any call. */
  const jobs = new Map<string, string>();
  const waiters = new Map<string, (result: string) => void>();

  const jobResult = (job: string): Promise<string> => {
    const seen = jobs.get(job);
    if (seen !== undefined) return Promise.resolve(seen);
    return withTimeout(
      new Promise<string>((resolve) => waiters.set(job, resolve)),
      T,
      `JobRemoved for ${job}`,
    );
  };

  const unitProp = async (iface: string, prop: string): Promise<unknown> => {
    const unitPath = await withTimeout(mgr.LoadUnit(unit), T, `LoadUnit ${unit}`);
    const obj = await withTimeout(
      bus.getProxyObject('org.freedesktop.systemd1', unitPath),
      T,
      `introspect ${unitPath}`,
    );
    const props = obj.getInterface<DBusProperties>('org.freedesktop.DBus.Properties');
    const v = await withTimeout(props.Get(iface, prop), T, `Get ${iface}.${prop}`);
    return v.value;
  };

  before(async () => {
    bus = dbus.sessionBus({ busAddress: h.systemd.busAddress });
    const obj = await withTimeout(
      bus.getProxyObject('org.freedesktop.systemd1', '/org/freedesktop/systemd1'),
      T,
      `connect to ${h.systemd.busAddress}`,
    );
    mgr = obj.getInterface<SystemdManager>('org.freedesktop.systemd1.Manager');
    // JobRemoved(u id, o job, s unit, s result) can arrive before StartUnit returns.
    mgr.on('JobRemoved', (...args: unknown[]) => {
      const [, job, , result] = args;
      if (typeof job !== 'string' || typeof result !== 'string') return;
      jobs.set(job, result);
      waiters.get(job)?.(result);
    });
    await withTimeout(mgr.Subscribe(), T, 'Subscribe');
  });

  after(async () => {
    rmSync(unitFile, { force: true });
    try {
      await withTimeout(mgr.StopUnit(unit, 'replace'), T, `StopUnit ${unit}`);
    } catch {
      /* not loaded or already stopped */
    }
    await withTimeout(mgr.Reload(), T, 'Reload').catch(() => undefined);
    bus.disconnect();
  });

  void test('Reload + StartUnit runs a real unit; StopUnit stops it', async () => {
    const version = await (async () => {
      const obj = await bus.getProxyObject('org.freedesktop.systemd1', '/org/freedesktop/systemd1');
      const props = obj.getInterface<DBusProperties>('org.freedesktop.DBus.Properties');
      return (
        await withTimeout(
          props.Get('org.freedesktop.systemd1.Manager', 'Version'),
          T,
          'Get Version',
        )
      ).value;
    })();
    assert.match(String(version), /^252\b/, 'the Debian 12 systemd');

    writeFileSync(
      unitFile,
      '[Unit]\nDescription=supctl smoke\n\n[Service]\nExecStart=/bin/sleep 300\n',
    );
    await withTimeout(mgr.Reload(), T, 'Reload');

    const startJob = await withTimeout(mgr.StartUnit(unit, 'replace'), T, `StartUnit ${unit}`);
    assert.match(startJob, /^\/org\/freedesktop\/systemd1\/job\/\d+$/);
    assert.equal(await jobResult(startJob), 'done');

    assert.equal(await unitProp('org.freedesktop.systemd1.Unit', 'ActiveState'), 'active');
    const mainPid = await unitProp('org.freedesktop.systemd1.Service', 'MainPID');
    assert.equal(typeof mainPid, 'number');
    assert.ok((mainPid as number) > 0, `MainPID ${String(mainPid)}`);
    assert.equal(cmdline(mainPid as number), '/bin/sleep 300', 'MainPID is the real process');
    const cgroup = await unitProp('org.freedesktop.systemd1.Service', 'ControlGroup');
    assert.match(String(cgroup), /\/app\.slice\/supctl-smoke\.service$/);

    const stopJob = await withTimeout(mgr.StopUnit(unit, 'replace'), T, `StopUnit ${unit}`);
    assert.equal(await jobResult(stopJob), 'done');
    assert.equal(await unitProp('org.freedesktop.systemd1.Unit', 'ActiveState'), 'inactive');
    await waitFor(
      `pid ${String(mainPid)} to exit`,
      () => (isAlive(mainPid as number) ? undefined : true),
      5_000,
    );
  });
});

describeWithHarness('dockerd with the local test image', (h) => {
  const docker = new Docker({ socketPath: h.docker.socketPath });
  const created: Docker.Container[] = [];

  after(async () => {
    for (const c of created)
      await withTimeout(c.remove({ force: true }), T, 'remove').catch(() => undefined);
  });

  const run = async (opts: Docker.ContainerCreateOptions): Promise<Docker.Container> => {
    const c = await withTimeout(
      docker.createContainer({
        Image: h.docker.image,
        Labels: { 'io.supctl.test': 'smoke' },
        ...opts,
        HostConfig: { NetworkMode: 'none', ...opts.HostConfig },
      }),
      T,
      'createContainer',
    );
    created.push(c);
    await withTimeout(c.start(), T, 'start');
    return c;
  };

  void test('a container from the test image runs sleep 30', async () => {
    const image = await withTimeout(docker.getImage(h.docker.image).inspect(), T, 'image inspect');
    assert.ok(
      image.Size < 10_000_000,
      `a tiny image (vfs copies it per container): ${image.Size} bytes`,
    );

    const c = await run({ Cmd: ['sleep', '30'] });
    const info = await withTimeout(c.inspect(), T, 'inspect');
    assert.equal(info.State.Running, true);
    assert.ok(info.State.Pid > 0);
    assert.equal(cmdline(info.State.Pid), 'sleep 30');

    await withTimeout(c.remove({ force: true }), T, 'remove');
    await assert.rejects(c.inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
  });

  void test('HostConfig.Init runs docker-init as PID 1', async () => {
    const c = await run({ Cmd: ['sleep', '30'], HostConfig: { Init: true } });
    const info = await withTimeout(c.inspect(), T, 'inspect');
    assert.equal(info.HostConfig.Init, true);
    assert.equal(info.State.Running, true);
    // State.Pid is the container's PID 1, seen from the host.
    assert.match(cmdline(info.State.Pid), /^\/sbin\/docker-init -- sleep 30$/);

    const top = (await withTimeout(c.top(), T, 'top')) as {
      Titles: string[];
      Processes: string[][];
    };
    const cmd = top.Titles.indexOf('CMD');
    assert.ok(cmd >= 0, `top titles: ${top.Titles.join(',')}`);
    const cmds = top.Processes.map((p) => p[cmd]);
    assert.ok(
      cmds.some((x) => x?.startsWith('/sbin/docker-init')),
      `docker-init in top: ${cmds.join(' | ')}`,
    );
    assert.ok(
      cmds.some((x) => x === 'sleep 30'),
      `sleep in top: ${cmds.join(' | ')}`,
    );
  });
});

describeWithHarness('supervisor 4.2.5', (h) => {
  void test('its Python parser (ServerOptions.realize) reads a config', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supctl-smoke-'));
    try {
      const conf = path.join(dir, 'supervisord.conf');
      writeFileSync(
        conf,
        [
          '[supervisord]',
          `logfile=${dir}/supervisord.log`,
          `pidfile=${dir}/supervisord.pid`,
          '[program:x]',
          'command=/bin/sleep 300 ; a comment',
          'stopsignal=INT',
          '',
        ].join('\n'),
      );
      const py = [
        'import json, sys',
        'from supervisor.options import ServerOptions',
        'o = ServerOptions()',
        "o.realize(args=['-c', sys.argv[1]])",
        'print(json.dumps([{"group": g.name, "name": p.name, "command": p.command, "stopsignal": int(p.stopsignal)}',
        '                  for g in o.process_group_configs for p in g.process_configs]))',
      ].join('\n');
      const r = spawnSync(h.supervisor.python, ['-c', py, conf], { encoding: 'utf8', timeout: T });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), [
        { group: 'x', name: 'x', command: '/bin/sleep 300', stopsignal: 2 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void test('a real supervisord runs a program to RUNNING and stops by pid', async () => {
    const sv = await startSupervisord({
      sections: '[program:smoke]\ncommand=/bin/sleep 300\nstartsecs=1\nautorestart=false\n',
    });
    let programPid = 0;
    try {
      assert.equal(cmdline(sv.pid).includes('supervisord'), true);
      const info = await waitFor(
        'program smoke to be RUNNING',
        async () => {
          const all = await sv.call('supervisor.getAllProcessInfo');
          assert.ok(Array.isArray(all));
          const p = all.find(
            (x: XmlRpcValue) =>
              typeof x === 'object' && x !== null && !Array.isArray(x) && x['name'] === 'smoke',
          );
          return p !== undefined &&
            !Array.isArray(p) &&
            typeof p === 'object' &&
            p !== null &&
            p['statename'] === 'RUNNING'
            ? p
            : undefined;
        },
        10_000,
        100,
      );
      assert.equal(info['group'], 'smoke');
      programPid = Number(info['pid']);
      assert.ok(programPid > 0);
      assert.equal(cmdline(programPid), '/bin/sleep 300');
    } finally {
      await sv.stop();
    }
    assert.equal(isAlive(sv.pid), false, 'supervisord exited');
    if (programPid > 0) assert.equal(isAlive(programPid), false, 'its program was stopped with it');
  });
});
