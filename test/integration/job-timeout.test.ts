/**
 * A systemd job is waited for as long as the unit's own timeout allows
 * (stopwaitsecs → TimeoutStopSec), not cut at the backend's default: a
 * Manager whose default is 1 s still sees a 3 s stop finish `done`.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectBus } from '../../src/control/systemd/bus.ts';
import { Manager } from '../../src/control/systemd/manager.ts';
import { describeWithHarness } from './harness.ts';

const UNIT = `jobtimeout${process.pid}.service`;

describeWithHarness('systemd job timeouts follow the unit', (h) => {
  const file = join(h.systemd.unitDir, UNIT);

  after(async () => {
    rmSync(file, { force: true });
    const bus = await connectBus({
      scope: 'user',
      busAddress: h.systemd.busAddress,
      timeoutMs: 10_000,
    });
    const mgr = new Manager(bus, 30_000);
    await mgr.jobs('StopUnit', [UNIT]).catch(() => undefined);
    await mgr.reload();
    bus.close();
  });

  test('a 3 s stop with TimeoutStopSec=10 is done, though the default is 1 s', async () => {
    writeFileSync(
      file,
      `[Service]
ExecStart=/bin/sh -c 'trap "sleep 3; exit 0" TERM; while :; do sleep 0.2; done'
KillMode=process
TimeoutStopSec=10
`,
    );
    const bus = await connectBus({
      scope: 'user',
      busAddress: h.systemd.busAddress,
      timeoutMs: 10_000,
    });
    try {
      const mgr = new Manager(bus, 1_000);
      await mgr.reload();
      const [started] = await mgr.jobs('StartUnit', [UNIT]);
      assert.equal(started?.result, 'done');
      await new Promise((r) => setTimeout(r, 500)); // the trap is set
      const t0 = Date.now();
      const [stopped] = await mgr.jobs('StopUnit', [UNIT]);
      assert.equal(stopped?.result, 'done', stopped?.error?.message);
      assert.ok(Date.now() - t0 >= 2_500, `stopped after ${Date.now() - t0} ms`);
    } finally {
      bus.close();
    }
  });
});
