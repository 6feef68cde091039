import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackendError, type Backend } from '../../../src/control/types.ts';
import { Backoff, keepConnected } from '../../../src/serve/state/resync.ts';
import { StateStore, type FeedHooks } from '../../../src/serve/state/store.ts';
import { unitObjectPath } from '../../../src/serve/state/systemd-feed.ts';
import { storeBackend } from '../../../src/serve/state/view.ts';
import { proc, stubBackend } from '../stub-backend.ts';
import { counting } from './counting.ts';

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('reads answer from memory; an action re-lists once afterwards', async () => {
  const stub = stubBackend([proc('web', 'web', 'RUNNING'), proc('idle', 'idle', 'STOPPED')]);
  const real = counting(stub);
  const store = new StateStore({ open: () => Promise.resolve(real.backend), usageIntervalMs: 0 });
  await store.start();
  const b = storeBackend(store);
  const base = real.total();
  for (let i = 0; i < 100; i++) {
    assert.equal((await b.list()).length, 2);
    await b.avail();
  }
  assert.equal(real.total(), base);
  await b.start([(await b.list())[1]!]);
  assert.deepEqual(stub.calls, ['start idle']);
  // start + one re-list (list and avail)
  assert.equal(real.total(), base + 3);
  await store.close();
});

test('a RUNNING description shows the uptime at read time', async () => {
  const p = { ...proc('web', 'web', 'RUNNING'), startedAt: Date.now() - 65_000 };
  const store = new StateStore({
    open: () => Promise.resolve(stubBackend([p])),
    usageIntervalMs: 0,
  });
  await store.start();
  assert.equal(store.processes(p.startedAt + 125_000)[0]!.description, 'pid 42, uptime 0:02:05');
  await store.close();
});

test('re-lists asked for while one runs share the next one', async () => {
  const real = counting(stubBackend([proc('web', 'web', 'RUNNING')]));
  const store = new StateStore({ open: () => Promise.resolve(real.backend), usageIntervalMs: 0 });
  await store.start();
  const base = store.syncs;
  await Promise.all([store.resync(), store.resync(), store.resync(), store.resync()]);
  assert.ok(store.syncs - base <= 2, `re-lists: ${store.syncs - base}`);
  await store.close();
});

test('backend gone: UNKNOWN with the reason, actions refused, fresh after it is back', async () => {
  let down = false;
  let opens = 0;
  const stub = stubBackend([proc('web', 'web', 'RUNNING')]);
  const flaky: Backend = {
    ...stub,
    list: (o) =>
      down ? Promise.reject(new BackendError('UNREACHABLE', 'bus gone')) : stub.list(o),
  };
  let hooks: FeedHooks | undefined;
  const store = new StateStore({
    open: () => {
      opens += 1;
      return down
        ? Promise.reject(new BackendError('UNREACHABLE', 'bus gone'))
        : Promise.resolve(flaky);
    },
    feed: (h) => {
      hooks = h;
      return { close: () => undefined };
    },
    usageIntervalMs: 0,
  });
  await store.start();
  down = true;
  hooks!.down('the bus closed');
  await store.resync();
  assert.equal(store.unreachable !== null, true);
  const [p] = store.processes();
  assert.equal(p!.state, 'UNKNOWN');
  assert.equal(p!.pid, null);
  await assert.rejects(storeBackend(store).stop([p!]), /bus gone|the bus closed/);
  down = false;
  hooks!.up();
  await store.resync();
  assert.equal(store.unreachable, null);
  assert.equal(store.processes()[0]!.state, 'RUNNING');
  assert.ok(opens >= 2, 'reopened after the loss');
  await store.close();
});

test('Backoff doubles up to its cap and resets', () => {
  const b = new Backoff(100, 500);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 500]);
  b.reset();
  assert.equal(b.next(), 100);
});

test('keepConnected reconnects after a loss and reports down, then up', async () => {
  const seen: string[] = [];
  let connects = 0;
  let lose: ((why: string) => void) | undefined;
  const k = keepConnected(
    (lost) => {
      connects += 1;
      lose = lost;
      return Promise.resolve(() => seen.push('closed'));
    },
    { up: () => seen.push('up'), down: (w) => seen.push(`down ${w}`) },
  );
  await tick();
  lose!('gone');
  for (let i = 0; i < 100 && !seen.includes('up'); i++) await tick(20);
  assert.deepEqual(seen, ['closed', 'down gone', 'up']);
  assert.equal(connects, 2);
  k.close();
});

test('unit object paths are encoded as sd_bus_path_encode does', () => {
  assert.equal(
    unitObjectPath('app-web_1.service'),
    '/org/freedesktop/systemd1/unit/app_2dweb_5f1_2eservice',
  );
});
