/**
 * The sandbox made from a deep cgroup (an ssh session sits under
 * user.slice/user-N.slice/session-M.scope) is found and removed by `down`,
 * even when `down` runs from elsewhere and its record is gone. Root only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

/** No such process, or a zombie nobody reaped yet. */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const ID = `deep${process.pid}`;
const HIERARCHY = '/sys/fs/cgroup/systemd';
const root = process.getuid?.() === 0;
const skip = !root ? 'needs root' : !existsSync(HIERARCHY) ? `no ${HIERARCHY}` : false;

void describe('sandbox in a deep cgroup', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-sbdeep-'));
  // 5 levels, like user.slice/user-0.slice/session-1.scope/...
  const chain = ['supctl-deep-test', ID, 'user.slice', 'user-0.slice', 'session-1.scope'];
  const deep = join(HIERARCHY, ...chain);
  const sandbox = (action: string) =>
    spawnSync('bash', ['sandbox/sandbox.sh', action, '--id', ID, '--dir', dir], {
      encoding: 'utf8',
      timeout: 90_000,
    });

  after(() => {
    sandbox('down');
    // deepest first: whatever `down` left (empty cgroups only can go)
    const rmTree = (d: string): void => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) rmTree(join(d, e.name));
      }
      try {
        rmdirSync(d);
      } catch {
        /* still holds processes */
      }
    };
    rmTree(join(HIERARCHY, chain[0]!, ID));
    try {
      rmdirSync(join(HIERARCHY, chain[0]!));
    } catch {
      /* another run's */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('down removes the sandbox cgroup made five levels deep, without its record', () => {
    mkdirSync(deep, { recursive: true });
    // `up` runs inside the deep cgroup, as from an ssh session
    const up = spawnSync(
      'sh',
      [
        '-c',
        'echo $$ >"$1/cgroup.procs" && exec bash sandbox/sandbox.sh up --id "$2" --dir "$3"',
        'sh',
        deep,
        ID,
        dir,
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    assert.equal(up.status, 0, up.stderr);
    const made = join(deep, `supctl-sb-${ID}`);
    assert.ok(existsSync(made), `${made} was not made`);
    const pid = Number(readFileSync(join(dir, 'pids', 'systemd'), 'utf8').split(' ')[0]);
    assert.ok(readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/supctl-sb-${ID}`));
    // `down` from this process's cgroup, with the record lost
    rmSync(join(dir, 'cgroups'), { force: true });
    const down = sandbox('down');
    assert.equal(down.status, 0, down.stderr);
    assert.ok(!existsSync(made), `${made} was left behind:\n${down.stderr}`);
    assert.ok(gone(pid), 'the manager is gone');
  });
});
