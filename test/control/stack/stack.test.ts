import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StackBackend } from '../../../src/control/stack/index.ts';
import { ctlStartStop } from '../../../src/cli/commands/ctl-act.ts';
import { ctlStatus } from '../../../src/cli/commands/ctl-show.ts';
import { FakeBackend, proc, recordIO } from '../fake-backend.ts';

function stack(): { sd: FakeBackend; sv: FakeBackend; s: StackBackend } {
  const sd = new FakeBackend([proc('grafana', 'grafana', 'STOPPED')]);
  const sv = new FakeBackend([
    proc('bklog-api', 'bklog-api', 'STOPPED', { project: 'supervisord' }),
  ]);
  const members = [
    { name: 'systemd', backend: sd },
    { name: 'supervisord', backend: sv },
  ];
  return { sd, sv, s: new StackBackend(members, sd, 'nothing runs it') };
}

test('start all routes each program to the backend that listed it, in name order', async () => {
  const { sd, sv, s } = stack();
  const r = recordIO();
  const code = await ctlStartStop(s, 'start', ['all'], r.io);
  assert.equal(code, 0);
  assert.deepEqual(r.out, ['bklog-api: started', 'grafana: started']);
  assert.equal(sd.procs[0]!.state, 'RUNNING');
  assert.equal(sv.procs[0]!.state, 'RUNNING');
});

test('status --wide names the backend of each row when the stack spans two', async () => {
  const { s } = stack();
  const r = recordIO({ wide: true });
  await ctlStatus(s, [], r.io);
  assert.match(r.out[0]!, /BACKEND$/);
  assert.match(
    r.out.find((l) => l.startsWith('bklog-api'))!,
    /supervisord$/,
  );
  assert.match(
    r.out.find((l) => l.startsWith('grafana'))!,
    /systemd$/,
  );
});

test('a stack with no member says so in one line', async () => {
  const s = new StackBackend([], new FakeBackend([]), 'nothing runs it');
  await assert.rejects(() => s.list(), /nothing runs it/);
});
