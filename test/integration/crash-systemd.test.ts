/**
 * Crash safety on the real user manager (issue 9): bin/supctl is killed with
 * SIGKILL at every step of `apply`, `update` and `remove` (failpoints named
 * in src/control/systemd/apply.ts); the next `update` (or `remove`) then
 * converges to the config, and no temp file or lock is left behind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeWithHarness, systemdCliEnv } from './harness.ts';

const APPLY_STEPS = ['locked', 'journal', 'files', 'reloaded', 'started', 'removed'].map(
  (s) => `systemd:apply:${s}`,
);

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every file below `dir`, relative. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).map(String);
}

describeWithHarness('crash safety of apply, update and remove on systemd', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-crash-'));
  const project = `crash${process.pid}`;
  const env = systemdCliEnv(h, dir, { SUPCTL_NAME: project });
  const run = (args: string[], failpoint?: string): Run => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
      env: failpoint === undefined ? env : { ...env, SUPCTL_FAILPOINT: failpoint },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  };
  // v1: keep, change, gone; v2: keep (same), change (new argv), fresh (added)
  const v1 = join(dir, 'v1.conf');
  const v2 = join(dir, 'v2.conf');
  const prog = (name: string, secs: number) =>
    `[program:${name}]\ncommand=/bin/sleep ${secs}\nstartsecs=0\n`;
  writeFileSync(v1, [prog('keep', 1000), prog('change', 1000), prog('gone', 1000)].join('\n'));
  writeFileSync(v2, [prog('keep', 1000), prog('change', 2000), prog('fresh', 1000)].join('\n'));
  const cmdline = (name: string): string => {
    const pid = run(['pid', name]).stdout.trim();
    assert.match(pid, /^[1-9]\d*$/, `${name} has a pid`);
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  };
  const clean = () => {
    const left = tree(h.systemd.unitDir).filter(
      (f) => f.endsWith('.supctl-tmp') || (f.includes(project) && f.endsWith('.lock')),
    );
    assert.deepEqual(left, [], 'no temp file or lock left');
  };
  const converged = (conf: 'v1' | 'v2') => {
    const st = run(['status']);
    const names = st.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    const want =
      conf === 'v1'
        ? ['change RUNNING', 'gone RUNNING', 'keep RUNNING']
        : ['change RUNNING', 'fresh RUNNING', 'keep RUNNING'];
    assert.deepEqual(names.sort(), want, st.stdout + st.stderr);
    assert.equal(cmdline('change'), `/bin/sleep ${conf === 'v1' ? 1000 : 2000}`);
    if (conf === 'v2')
      assert.equal(existsSync(join(h.systemd.unitDir, `${project}-gone.service`)), false);
    clean();
  };
  const killedAt = (r: Run, step: string) =>
    assert.equal(
      r.signal,
      'SIGKILL',
      `${step} was reached (exit ${String(r.status)}: ${r.stderr})`,
    );

  after(() => {
    run(['uninstall']);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const step of APPLY_STEPS) {
    void test(`apply killed at ${step}, then update: the config runs`, () => {
      killedAt(run(['apply', v1], step), step);
      const u = run(['update', v1]);
      assert.equal(u.status, 0, u.stderr);
      converged('v1');
      const r = run(['uninstall']);
      assert.equal(r.status, 0, r.stderr);
    });
  }

  for (const step of APPLY_STEPS) {
    void test(`update killed at ${step}, then update: the new config runs`, () => {
      const a = run(['apply', v1]);
      assert.equal(a.status, 0, a.stderr);
      killedAt(run(['update', v2], step), step);
      const u = run(['update', v2]);
      assert.equal(u.status, 0, u.stderr);
      converged('v2');
      const r = run(['uninstall']);
      assert.equal(r.status, 0, r.stderr);
    });
  }

  void test('remove killed after stopping, then remove: nothing of the project is left', () => {
    const a = run(['apply', v1]);
    assert.equal(a.status, 0, a.stderr);
    killedAt(run(['uninstall'], 'systemd:remove:stopped'), 'systemd:remove:stopped');
    const r = run(['uninstall']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      tree(h.systemd.unitDir).filter((f) => f.includes(project)),
      [],
      'no file of the project left',
    );
    clean();
  });
});
