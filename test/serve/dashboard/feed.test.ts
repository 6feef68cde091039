import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Feed } from '../../../src/serve/dashboard/feed.ts';
import { proc, stubBackend } from '../stub-backend.ts';

test('one backend list per sample, CPU share between samples of one run, bounded history', async () => {
  const web = proc('web', 'web', 'RUNNING');
  const b = stubBackend([web, proc('m', 'manual', 'STOPPED')]);
  let lists = 0;
  const list = b.list.bind(b);
  b.list = (o) => {
    lists++;
    assert.deepEqual(o, { detail: true });
    return list(o);
  };
  let now = 1_700_000_010_000;
  const feed = new Feed(b, { backendOf: () => 'docker', maxPoints: 3, now: () => now });
  const first = await feed.sample();
  assert.equal(lists, 1);
  assert.deepEqual(
    first.rows.map((r) => [r.namespec, r.state, r.pid, r.uptime, r.health, r.backend]),
    [
      ['m:manual', 'STOPPED', '', '', '', 'docker'],
      ['web', 'RUNNING', '42', '0:00:10', 'ready', 'docker'],
    ],
  );
  assert.equal(first.points['web']!.cpuPct, null, 'no share from a single sample');
  // half a core over two seconds
  now += 2000;
  web.cpuNsec = 1_500_000_000 + 1_000_000_000;
  const second = await feed.sample();
  assert.equal(second.points['web']!.cpuPct, 50);
  assert.equal(second.rows[1]!.cpu, '50.0% (0:00:02.50)');
  // a new run (new pid) starts its share over
  now += 2000;
  web.pid = 43;
  assert.equal((await feed.sample()).points['web']!.cpuPct, null);
  now += 2000;
  await feed.sample();
  assert.equal(feed.historyOf('web').length, 3);
  assert.equal(feed.historyOf('web')[0]!.t, 1_700_000_012_000);
  // concurrent callers share one sample; a fresh one is reused
  const before = lists;
  await Promise.all([feed.sample(), feed.sample(), feed.current(10_000)]);
  assert.equal(lists, before + 1);
});

test('a process gone from the backend drops its history; a failed sample keeps the rows', async () => {
  const ps = [proc('web', 'web', 'RUNNING'), proc('old', 'old', 'RUNNING')];
  const b = stubBackend(ps);
  const feed = new Feed(b, { backendOf: () => '' });
  await feed.sample();
  ps.pop();
  await feed.sample();
  assert.deepEqual(feed.historyOf('old'), []);
  b.list = () => Promise.reject(new Error('bus gone\nstack'));
  const s = await feed.sample();
  assert.equal(s.error, 'bus gone');
  assert.deepEqual(
    s.rows.map((r) => r.namespec),
    ['web'],
  );
});

test('ticks run while someone subscribes and stop after the last leaves', async () => {
  const feed = new Feed(stubBackend([proc('web', 'web', 'RUNNING')]), {
    backendOf: () => '',
    intervalMs: 10,
  });
  const seen: number[] = [];
  const stop = feed.subscribe((s) => seen.push(s.at));
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (seen.length >= 3) {
        clearInterval(t);
        resolve();
      }
    }, 5);
  });
  stop();
  const n = seen.length;
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(seen.length <= n + 1, 'no ticks after the last subscriber left');
});
