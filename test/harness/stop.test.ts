/**
 * test/harness/lib.sh signals only processes it can prove are its own: a
 * process whose command line merely names the harness's docker paths (as
 * containerd's used to be found) survives stop_dockerd.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startTime } from '../../src/control/usage/proc.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
// a copy of the scripts: its own harness id, so no real harness is touched
const repo = mkdtempSync(join(tmpdir(), 'supctl-harness-copy-'));
after(() => rmSync(repo, { recursive: true, force: true }));
for (const d of ['test/harness', 'sandbox']) {
  mkdirSync(join(repo, d), { recursive: true });
  cpSync(join(ROOT, d), join(repo, d), { recursive: true });
}
const lib = join(repo, 'test/harness/lib.sh');

test('stop_dockerd leaves a process that only names the harness paths on its command line', async () => {
  const run = spawnSync('bash', ['-c', 'source "$1" && printf %s "$HARNESS_RUN"', 'bash', lib], {
    encoding: 'utf8',
  });
  const harnessRun = run.stdout;
  assert.match(harnessRun, /^\/run\/supctl-h-[0-9a-f]{10}$/);
  const decoy = spawn('sh', ['-c', 'sleep 30', `${harnessRun}/docker/containerd-shim-decoy`], {
    stdio: 'ignore',
    detached: true,
  });
  try {
    await new Promise((r) => setTimeout(r, 100));
    const before = startTime(decoy.pid!);
    assert.ok(before !== null);
    const stop = spawnSync('bash', ['-c', 'source "$1" && stop_dockerd', 'bash', lib], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(stop.status, 0, stop.stderr);
    await new Promise((r) => setTimeout(r, 200)); // a signalled decoy is reaped by now
    assert.equal(decoy.signalCode, null, `the decoy was signalled:\n${stop.stderr}`);
    assert.equal(startTime(decoy.pid!), before);
  } finally {
    decoy.kill('SIGKILL');
  }
});
