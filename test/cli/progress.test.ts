/** The progress renderer: a live line on a terminal, a line per group otherwise, nothing with --json. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressRenderer, progressText } from '../../src/cli/progress.ts';
import type { ProgressEvent } from '../../src/control/progress.ts';
import type { ApplyOptions, RemoveOptions } from '../../src/control/types.ts';
import type { Deployment } from '../../src/model/deployment.ts';

function fakeStream(isTTY: boolean, columns = 80) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (s: string) => chunks.push(s) } };
}

const ev = (group: string, index: number, total = 2, elapsedMs = 1234): ProgressEvent => ({
  phase: 'start',
  group,
  index,
  total,
  elapsedMs,
});

test('progressText: phase, i/n, group, elapsed seconds', () => {
  assert.equal(progressText(ev('bklog_web', 1, 12, 1449)), 'start 1/12 bklog_web (1.4s)');
});

test('on a terminal: one line rewritten in place, cleared at the end', () => {
  const { chunks, stream } = fakeStream(true);
  const r = progressRenderer(stream, { json: false })!;
  r.sink(ev('web', 1));
  r.sink(ev('workers', 2));
  r.end();
  assert.deepEqual(chunks, [
    '\r\x1b[Ksupctl: start 1/2 web (1.2s)',
    '\r\x1b[Ksupctl: start 2/2 workers (1.2s)',
    '\r\x1b[K',
  ]);
  assert.ok(!chunks.join('').includes('\n'), 'a live line never ends a line');
  r.end();
  assert.equal(chunks.length, 3, 'nothing to clear twice');
});

test('on a terminal: the live line is cut to the width (a wrapped line cannot be rewritten)', () => {
  const { chunks, stream } = fakeStream(true, 20);
  progressRenderer(stream, { json: false })!.sink(ev('a-very-long-group-name', 1));
  assert.equal(chunks[0], '\r\x1b[K' + 'supctl: start 1/2 a-'.slice(0, 19));
});

test('not a terminal: one plain line per group', () => {
  const { chunks, stream } = fakeStream(false);
  const r = progressRenderer(stream, { json: false })!;
  r.sink(ev('web', 1));
  r.sink(ev('workers', 2));
  r.end();
  assert.deepEqual(chunks, [
    'supctl: start 1/2 web (1.2s)\n',
    'supctl: start 2/2 workers (1.2s)\n',
  ]);
});

test('--json: no renderer at all', () => {
  assert.equal(progressRenderer(fakeStream(true).stream, { json: true }), undefined);
  assert.equal(progressRenderer(fakeStream(false).stream, { json: true }), undefined);
});

test('apply and uninstall: events reach the renderer, its live line is cleared before the result', async () => {
  const { ctlApply, ctlRemove } = await import('../../src/cli/commands/ctl-config.ts');
  const { FakeBackend, proc, recordIO } = await import('../control/fake-backend.ts');
  const order: string[] = [];
  class Emitting extends FakeBackend {
    override apply(d: Deployment, opts: ApplyOptions) {
      opts.onProgress?.(ev('web', 1, 1));
      return super.apply(d, opts);
    }
    override remove(opts?: RemoveOptions) {
      opts?.onProgress?.({ ...ev('web', 1, 1), phase: 'stop' });
      return super.remove();
    }
  }
  const b = new Emitting([proc('web', 'web')]);
  const r = recordIO();
  const io = {
    ...r.io,
    out: (l: string) => void order.push(`out ${l}`),
    steps: {
      sink: (e: ProgressEvent) => void order.push(`event ${e.phase}`),
      end: () => void order.push('end'),
    },
  };
  await ctlApply(b, {} as Deployment, io, { onlyChanges: false, dryRun: false, project: 'p' });
  await ctlRemove(b, io, 'p');
  assert.deepEqual(order, [
    'event start',
    'end',
    'out p: applied (0 added, 0 changed, 0 removed)',
    'event stop',
    'end',
    'out p: removed (1 process(es))',
  ]);
});
