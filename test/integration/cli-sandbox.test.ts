/**
 * `supctl sandbox up|env|status|down` on this machine (root): a private
 * systemd user manager in its own cgroup, reused when healthy, that a
 * control verb can drive, and that `down` removes completely. Uses its own
 * sandbox id and directory: the harness's manager is never touched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const ID = `it${process.pid}`;
const root = process.getuid?.() === 0;

function cgroupOf(pid: number | 'self'): string {
  return readFileSync(`/proc/${pid}/cgroup`, 'utf8');
}

void describe('supctl sandbox', { skip: root ? false : 'needs root' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-sandbox-'));
  const sb = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/supctl', 'sandbox', ...args, '--id', ID, '--dir', dir], {
      encoding: 'utf8',
      timeout: 90_000,
    });
  const envOf = (text: string): Record<string, string> =>
    Object.fromEntries(
      [...text.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)].map((m) => [m[1]!, m[2]!]),
    );
  const pid1Before = cgroupOf(1);

  after(() => {
    sb('down');
    rmSync(dir, { recursive: true, force: true });
  });

  test('up starts a manager, prints its env, and is idempotent', () => {
    const up = sb('up');
    assert.equal(up.status, 0, up.stderr);
    const env = envOf(up.stdout);
    assert.equal(env['DBUS_SESSION_BUS_ADDRESS'], `unix:path=/run/supctl-sb-${ID}/user/bus`);
    assert.equal(env['SUPCTL_SCOPE'], 'user');
    assert.ok(existsSync(`/run/supctl-sb-${ID}/user/bus`));
    const pid = readFileSync(join(dir, 'pids', 'systemd'), 'utf8').split(' ')[0];
    const again = sb('up');
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /already up/);
    assert.equal(readFileSync(join(dir, 'pids', 'systemd'), 'utf8').split(' ')[0], pid);
    assert.equal(sb('status').status, 0);
    assert.deepEqual(envOf(sb('env').stdout), env);
    // the manager lives in the sandbox's own cgroup; PID 1 was not moved
    assert.match(cgroupOf(Number(pid)), new RegExp(`/supctl-sb-${ID}/init\\.scope`));
    assert.equal(cgroupOf(1), pid1Before);
  });

  test('the control verbs drive the sandbox', () => {
    const env = {
      ...process.env,
      ...envOf(sb('env').stdout),
      SUPCTL_NAME: 'sbt',
      XDG_STATE_HOME: join(dir, 'state'),
    };
    const conf = join(dir, 'app.conf');
    writeFileSync(conf, '[program:napper]\ncommand=/bin/sleep 1000\nstartsecs=0\n');
    const run = (...a: string[]) =>
      spawnSync(process.execPath, ['bin/supctl', ...a], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run('apply', conf).status, 0);
    const st = run('status', 'napper');
    assert.equal(st.status, 0, st.stdout + st.stderr);
    assert.match(st.stdout, /^napper +RUNNING +pid \d+/);
  });

  test('down stops everything and leaves no cgroup, runtime dir or units', () => {
    const down = sb('down');
    assert.equal(down.status, 0, down.stderr);
    assert.equal(sb('status').status, 3);
    assert.ok(!existsSync(`/run/supctl-sb-${ID}`));
    assert.ok(!existsSync(join(dir, 'xdg')));
    for (const base of ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
      if (!existsSync(base)) continue;
      assert.ok(!readdirSync(base).includes(`supctl-sb-${ID}`), `${base}/supctl-sb-${ID} left`);
    }
    assert.equal(sb('down').status, 0, 'down twice is fine');
  });
});
