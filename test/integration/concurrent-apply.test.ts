/**
 * Concurrent applies serialize on both backends: an apply waits while
 * another holds the project's lock (and touches nothing meanwhile), and
 * two applies of changed configs started together both succeed, leaving
 * the project as one of them wrote it and no temporary containers.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { lockPath as dockerLockPath } from '../../src/control/docker/lock-path.ts';
import { acquireLock } from '../../src/control/lock.ts';
import { lockPath as systemdLockPath } from '../../src/control/systemd/manifest.ts';
import { describeWithHarness, systemdCliEnv } from './harness.ts';

const PROJECT = `conc${process.pid}`;

/** Each config differs in its commands' sleep times, so applying another one changes both programs. */
let version = 1000;
const conf = () => {
  version += 2;
  return `[program:a]
command=/bin/sleep ${version}
startsecs=0
stopsignal=KILL

[program:b]
command=/bin/sleep ${version + 1}
startsecs=0
stopsignal=KILL
`;
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describeWithHarness('concurrent applies serialize', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-conc-'));
  const backends = {
    systemd: {
      env: systemdCliEnv(h, dir),
      args: ['--name', PROJECT],
      applyArgs: [] as string[],
      lock: systemdLockPath(h.systemd.unitDir, PROJECT),
    },
    docker: {
      env: { ...process.env, DOCKER_HOST: h.docker.host },
      args: ['--backend', 'docker', '--name', PROJECT],
      applyArgs: ['--image', h.docker.image],
      lock: dockerLockPath(h.docker.host, PROJECT),
    },
  };
  type B = keyof typeof backends;
  const argv = (b: B, verb: string, extra: string[]) => [
    'bin/supctl',
    verb,
    ...extra,
    ...backends[b].args,
    ...(verb === 'apply' ? backends[b].applyArgs : []),
  ];
  const run = (b: B, verb: string, ...extra: string[]): Run => {
    const r = spawnSync(process.execPath, argv(b, verb, extra), {
      env: backends[b].env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const runAsync = (b: B, verb: string, ...extra: string[]) => {
    const child = spawn(process.execPath, argv(b, verb, extra), { env: backends[b].env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    const done = new Promise<Run>((resolve) =>
      child.on('close', (status) => {
        exited = true;
        resolve({ status, stdout, stderr });
      }),
    );
    return { done, exited: () => exited };
  };
  const file = (tag: string) => {
    const f = join(dir, `${tag}.conf`);
    writeFileSync(f, conf());
    return f;
  };

  after(() => {
    for (const b of ['systemd', 'docker'] as const) run(b, 'uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const b of ['systemd', 'docker'] as const) {
    test(`${b}: an apply waits for the lock another holds`, async () => {
      const release = await acquireLock(backends[b].lock, 5_000);
      const apply = runAsync(b, 'apply', file(`${b}-held`));
      try {
        await new Promise((r) => setTimeout(r, 3_000));
        assert.equal(apply.exited(), false, 'apply ran while the lock was held');
        assert.doesNotMatch(run(b, 'status').stdout, /RUNNING/);
      } finally {
        release();
      }
      const r = await apply.done;
      assert.equal(r.status, 0, r.stderr);
      const st = run(b, 'status');
      assert.match(st.stdout, /^a\s+RUNNING/m, r.stdout + r.stderr + st.stderr);
    });

    test(`${b}: two applies of changed configs started together both succeed`, async () => {
      const one = runAsync(b, 'apply', file(`${b}-one`));
      const two = runAsync(b, 'apply', file(`${b}-two`));
      const [r1, r2] = await Promise.all([one.done, two.done]);
      assert.equal(r1.status, 0, r1.stderr);
      assert.equal(r2.status, 0, r2.stderr);
      const status = run(b, 'status');
      assert.equal(status.status, 0, status.stdout + status.stderr);
      const names = status.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[0]);
      assert.deepEqual(names, ['a', 'b']);
      if (b === 'docker') {
        const ps = spawnSync('docker', ['ps', '-a', '--format', '{{.Names}}'], {
          env: backends.docker.env,
          encoding: 'utf8',
        });
        assert.doesNotMatch(ps.stdout, /supctl-next/);
      }
    });
  }
});
