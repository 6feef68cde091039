/**
 * `status --wide --json` shows CPU and memory for a busy-looping program
 * on both backends, also where the cgroup keeps no accounting (this
 * harness: a cgroup-v1 host without delegated controllers), through the
 * /proc fallback.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, waitFor, systemdCliEnv } from './harness.ts';

const PROJECT = `usage${process.pid}`;
// a shell loop: all CPU, a little memory, one process
const CONF = `[program:busy]
command=/bin/sh -c 'while :; do :; done'
startsecs=0
stopsignal=KILL
`;

interface Row {
  namespec: string;
  state: string;
  pid: number | null;
  cpuNsec: number | null;
  memoryBytes: number | null;
}

describeWithHarness('status --wide --json: CPU and memory of a busy loop', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-usage-'));
  const conf = join(dir, 'app.conf');
  const backends = {
    systemd: {
      env: systemdCliEnv(h, dir),
      args: ['--name', PROJECT],
    },
    docker: {
      env: { ...process.env, DOCKER_HOST: h.docker.host },
      args: ['--backend', 'docker', '--name', PROJECT],
    },
  };
  const run = (b: keyof typeof backends, ...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args, ...backends[b].args], {
      env: backends[b].env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(() => writeFileSync(conf, CONF));
  after(() => {
    for (const b of ['systemd', 'docker'] as const) run(b, 'uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const b of ['systemd', 'docker'] as const) {
    test(`${b}: CPU and memory are non-zero`, async () => {
      const image = b === 'docker' ? ['--image', h.docker.image] : [];
      const applied = run(b, 'apply', conf, ...image);
      assert.equal(applied.status, 0, applied.stderr);
      const row = await waitFor(
        `${b}: busy RUNNING with CPU time`,
        () => {
          const r = run(b, 'status', '--wide', '--json');
          const rows = (JSON.parse(r.stdout) as { processes: Row[] }).processes;
          const busy = rows.find((x) => x.namespec === 'busy');
          return busy?.state === 'RUNNING' && (busy.cpuNsec ?? 0) > 0 ? busy : undefined;
        },
        30_000,
        500,
      );
      assert.ok((row.memoryBytes ?? 0) > 0, JSON.stringify(row));
      // the text form shows them too, not `-`
      const wide = run(b, 'status', '--wide')
        .stdout.split('\n')
        .find((l) => l.startsWith('busy'));
      assert.ok(wide && !/\s-\s+-\s/.test(wide), wide);
      const removed = run(b, 'uninstall');
      assert.equal(removed.status, 0, removed.stderr);
    });
  }
});
