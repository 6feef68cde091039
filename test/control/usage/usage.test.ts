import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  cgroupPids,
  descendants,
  processTreeUsage,
  sumUsage,
} from '../../../src/control/usage/index.ts';
import { readStat, residentBytes, startTime } from '../../../src/control/usage/proc.ts';

/**
 * Burns `ms` of this process's CPU time (not wall time: on a loaded machine
 * the process gets only a share of a core).
 */
function spin(ms: number): void {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user / 1000 < ms) Math.sqrt(Math.random());
}

test('readStat: this process, its parent and a CPU time that grows', () => {
  const a = readStat(process.pid);
  assert.ok(a);
  assert.equal(a.ppid, process.ppid);
  spin(300);
  const b = readStat(process.pid);
  assert.ok(b);
  // /proc counts in 10 ms ticks: 300 ms of spinning shows as at least 100 ms
  assert.ok(b.cpuNsec - a.cpuNsec >= 100e6, `${b.cpuNsec - a.cpuNsec} ns`);
  assert.equal(b.startTime, a.startTime);
  assert.equal(startTime(process.pid), a.startTime);
});

test('a name with spaces and parentheses does not shift the fields', () => {
  // /proc/self/comm is writable: the name becomes "a) b (c"
  const before = readFileSync('/proc/self/comm', 'utf8').trim();
  try {
    process.title = 'a) b (c';
    assert.ok(readFileSync('/proc/self/stat', 'utf8').includes('(a) b (c)'));
    const s = readStat(process.pid);
    assert.ok(s);
    assert.equal(s.ppid, process.ppid);
  } finally {
    process.title = before;
  }
});

test('residentBytes: within 20 % of what Node reports for itself', () => {
  const rss = residentBytes(process.pid);
  assert.ok(rss !== null && rss > 0);
  const node = process.memoryUsage.rss();
  assert.ok(Math.abs(rss - node) < node * 0.2, `${rss} vs ${node}`);
});

test('a process that does not exist reads as null', () => {
  assert.equal(readStat(2 ** 22 + 1), null);
  assert.equal(residentBytes(2 ** 22 + 1), null);
  assert.equal(sumUsage([2 ** 22 + 1]), null);
  assert.equal(processTreeUsage(2 ** 22 + 1), null);
});

test('descendants and processTreeUsage include a child and its grandchild', async () => {
  const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
  try {
    const pid = child.pid!;
    let tree: number[] = [];
    for (let i = 0; i < 100 && tree.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tree = descendants(pid);
    }
    assert.equal(tree.length, 2, `tree of ${pid}: ${tree.join(',')}`);
    assert.ok(descendants(process.pid).includes(pid));
    assert.ok(descendants(process.pid).includes(tree[1]!));
    const mine = processTreeUsage(process.pid);
    const own = sumUsage([process.pid]);
    assert.ok(mine && own);
    assert.ok(mine.memoryBytes > own.memoryBytes, 'the children add memory');
    assert.ok(mine.cpuNsec >= own.cpuNsec);
  } finally {
    child.kill('SIGKILL');
  }
});

test('cgroupPids: the cgroup this process is in lists it', () => {
  // the line of the hierarchy systemd's paths refer to: v2 (0::) or v1's name=systemd
  const lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  const line =
    lines.find((l) => l.includes(':name=systemd:')) ?? lines.find((l) => l.startsWith('0::'));
  assert.ok(line, 'no systemd or unified cgroup line');
  const path = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
  const pids = cgroupPids(path);
  assert.ok(pids?.includes(process.pid), `${path}: ${String(pids)}`);
  assert.equal(cgroupPids('/no/such/cgroup.slice'), null);
  assert.equal(cgroupPids('relative'), null);
});
