/**
 * Colour: only on a terminal, never with NO_COLOR, --json or as
 * supervisorctl; status states as supervisor's web page colours them, and
 * the report's EXACT / APPROX / NONE. A pty (`script -qc`) runs the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIDELITY_COLOUR, stateColour, useColour } from '../../src/cli/colour.ts';
import { ctlStatus } from '../../src/cli/commands/ctl-show.ts';
import { formatReport } from '../../src/emit/report.ts';
import { FakeBackend, proc, recordIO } from '../control/fake-backend.ts';

const ESC = '\x1b[';
// an SGR sequence (ESC [ ... m)
const SGR = new RegExp(`${'\x1b'}\\[[0-9;]*m`, 'g');
const strip = (s: string) => s.replace(SGR, '');

test('useColour: a terminal, no NO_COLOR, no --json, not supervisorctl', () => {
  const base = { isTTY: true, json: false, invokedAs: 'supctl', env: {} };
  assert.equal(useColour(base), true);
  assert.equal(useColour({ ...base, isTTY: false }), false);
  assert.equal(useColour({ ...base, isTTY: undefined }), false);
  assert.equal(useColour({ ...base, json: true }), false);
  assert.equal(useColour({ ...base, env: { NO_COLOR: '1' } }), false);
  assert.equal(useColour({ ...base, env: { NO_COLOR: '' } }), true, 'empty NO_COLOR: no effect');
  assert.equal(useColour({ ...base, invokedAs: 'supervisorctl' }), false);
});

test("stateColour: supervisor's statusrunning / statuserror / statusnominal", () => {
  assert.equal(stateColour('RUNNING')('RUNNING'), `${ESC}32mRUNNING${ESC}0m`);
  assert.equal(stateColour('FATAL')('FATAL'), `${ESC}31mFATAL${ESC}0m`);
  assert.equal(stateColour('BACKOFF')('BACKOFF'), `${ESC}31mBACKOFF${ESC}0m`);
  for (const s of ['STOPPED', 'STARTING', 'STOPPING', 'EXITED', 'UNKNOWN'] as const) {
    assert.equal(stateColour(s)(s), s);
  }
});

const rows = () =>
  new FakeBackend([
    proc('web', 'web', 'RUNNING'),
    proc('idle', 'idle', 'STOPPED'),
    proc('crashy', 'crashy', 'BACKOFF', { description: 'Exited too quickly' }),
  ]);

for (const wide of [false, true]) {
  test(`status${wide ? ' --wide' : ''} coloured: the same columns once the colour is taken out`, async () => {
    const plain = recordIO({ wide });
    await ctlStatus(rows(), [], plain.io);
    const col = recordIO({ wide });
    await ctlStatus(rows(), [], { ...col.io, colour: true });
    assert.deepEqual(col.out.map(strip), plain.out);
    assert.ok(col.out.some((l) => l.includes(`${ESC}32mRUNNING${ESC}0m`)));
    assert.ok(col.out.some((l) => l.includes(`${ESC}31mBACKOFF${ESC}0m`)));
    assert.ok(!plain.out.join('').includes(ESC));
  });
}

test('report: EXACT / APPROX / NONE coloured, same text without the colour', () => {
  const findings = [
    { fidelity: 'APPROX' as const, key: 'umask', message: 'approximated' },
    { fidelity: 'NONE' as const, key: 'stdout_events_enabled', message: 'no equivalent' },
    { fidelity: 'EXACT' as const, key: 'command', message: 'same' },
  ];
  const plain = formatReport(findings, 'text');
  const col = formatReport(findings, 'text', (f) => FIDELITY_COLOUR[f]);
  assert.equal(strip(col), plain);
  assert.ok(col.includes(`${ESC}31mNONE${ESC}0m   `));
  assert.ok(col.includes(`${ESC}33mAPPROX${ESC}0m `));
});

// The real CLI on a pty: status with the test backend (test/cli/fixtures).
const FIXTURE = resolve('test/cli/fixtures/supctl-registered.ts');

function onPty(script: string, args: string, env: Record<string, string> = {}): string {
  const r = spawnSync(
    'script',
    ['-qec', `${process.execPath} --import tsx ${script} ${args}`, '/dev/null'],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', ...env },
    },
  );
  assert.ok(r.status === 3, `exit ${r.status}: ${r.stderr}`); // g:a is STOPPED
  return r.stdout;
}

test('pty: status is coloured on a terminal; NO_COLOR, --json and a pipe turn it off', () => {
  const args = 'status --backend testbackend';
  assert.ok(
    onPty(FIXTURE, args).includes(`web${' '.repeat(30)}${ESC}32mRUNNING${ESC}0m   pid 100`),
  );
  assert.ok(!onPty(FIXTURE, args, { NO_COLOR: '1' }).includes(ESC));
  assert.ok(!onPty(FIXTURE, `${args} --json`).includes(ESC));
  const piped = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, ...args.split(' ')], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
  });
  assert.ok(piped.stdout.includes('RUNNING') && !piped.stdout.includes(ESC));
});

test('pty: invoked as supervisorctl, never coloured (byte-identical output)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-colour-'));
  const link = join(dir, 'supervisorctl');
  symlinkSync(FIXTURE, link);
  const out = onPty(link, 'status --backend testbackend');
  assert.match(out, /web {30}RUNNING {3}pid 100/);
  assert.ok(!out.includes(ESC));
});
