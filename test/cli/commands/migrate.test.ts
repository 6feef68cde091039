/**
 * migrate's step output: off a terminal one line per step (as printed
 * before the live line existed); on one, the live line (step, i of n,
 * elapsed) with only the downtime, failure and put-back lines kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepPrinter } from '../../../src/cli/commands/migrate.ts';
import { progressRenderer } from '../../../src/cli/progress.ts';

test('off a terminal: one line per step, the downtime and detail in it', () => {
  const lines: string[] = [];
  const p = stepPrinter(2, undefined, (l) => lines.push(l));
  p.emit({ group: 'web', step: 'installed' });
  p.emit({ group: 'web', step: 'started-new', downtimeMs: 412 });
  p.emit({ group: 'api', step: 'done', detail: 'already migrated' });
  p.end();
  assert.deepEqual(lines, [
    'migrate: web: installed',
    'migrate: web: started-new (downtime 412 ms)',
    'migrate: api: done: already migrated',
  ]);
});

test('on a terminal: the live line says which group of how many, and elapsed', () => {
  let tty = '';
  const live = progressRenderer(
    { isTTY: true, columns: 200, write: (s) => (tty += s) },
    { json: false },
  );
  const lines: string[] = [];
  let t = 1000;
  const p = stepPrinter(
    2,
    live,
    (l) => lines.push(l),
    () => t,
  );
  t = 1500;
  p.emit({ group: 'web', step: 'installed' });
  t = 2500;
  p.emit({ group: 'web', step: 'started-new', downtimeMs: 300 });
  t = 4000;
  p.emit({ group: 'api', step: 'checked' });
  p.end();
  assert.deepEqual(lines, ['migrate: web: started-new (downtime 300 ms)']);
  assert.match(tty, /supctl: installed 1\/2 web \(0\.5s\)/);
  assert.match(tty, /supctl: started-new 1\/2 web \(1\.5s\)/);
  assert.match(tty, /supctl: checked 2\/2 api \(3\.0s\)/);
  // ended: the live line erased
  assert.ok(tty.endsWith('\r\x1b[K'));
});

test('--json: no live line (the renderer is none), the step lines as off a terminal', () => {
  assert.equal(progressRenderer({ isTTY: true, write: () => true }, { json: true }), undefined);
});
