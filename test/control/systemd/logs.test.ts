import assert from 'node:assert/strict';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CHUNK, TailBuffer, tailFile, tailJournal } from '../../../src/control/systemd/logs.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('TailBuffer keeps the last N bytes and holds little more than N', () => {
  const t = new TailBuffer(10);
  let held = 0;
  for (let i = 0; i < 10_000; i++) {
    t.push(Buffer.from(`line ${i}\n`));
    held = Math.max(held, (t as unknown as { size: number }).size);
  }
  assert.equal(t.result().toString(), 'line 9999\n'.slice(-10));
  assert.ok(held <= 10 + 'line 9999\n'.length, `held ${held} bytes`);
});

test('tail on the journal asks journalctl for the last lines only, and keeps the last bytes', async () => {
  const bin = join(dir, 'bin');
  const argsLog = join(dir, 'journalctl.args');
  mkdirSync(bin, { recursive: true });
  // a journal of 200000 lines: prints all of them unless -n N says otherwise
  writeFileSync(
    join(bin, 'journalctl'),
    `#!/bin/sh
echo "$@" > ${argsLog}
n=200000
while [ $# -gt 0 ]; do [ "$1" = -n ] && n=$2; shift; done
seq 200000 | tail -n "$n"
`,
  );
  chmodSync(join(bin, 'journalctl'), 0o755);
  const path = process.env['PATH'];
  process.env['PATH'] = `${bin}:${path ?? ''}`;
  try {
    const out: Buffer[] = [];
    await tailJournal('x.service', 'user', 20, false, (c) => out.push(c));
    assert.equal(Buffer.concat(out).toString(), '199997\n199998\n199999\n200000\n'.slice(-20));
    const args = readFileSync(argsLog, 'utf8').trim().split(' ');
    assert.equal(args[args.indexOf('-n') + 1], '20', args.join(' '));
  } finally {
    process.env['PATH'] = path;
  }
});

test('tail -f passes a log that grew by megabytes on in bounded pieces', async () => {
  const file = join(dir, 'big.log');
  writeFileSync(file, 'start\n');
  const pieces: number[] = [];
  const stop = new AbortController();
  const done = tailFile(file, 1600, true, (c) => pieces.push(c.length), stop.signal, 20);
  await new Promise((r) => setTimeout(r, 50));
  appendFileSync(file, Buffer.alloc(3 * CHUNK + 5, 'x'));
  for (let i = 0; i < 100 && pieces.reduce((a, b) => a + b, 0) < 3 * CHUNK + 11; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  stop.abort();
  await done;
  assert.equal(
    pieces.reduce((a, b) => a + b, 0),
    6 + 3 * CHUNK + 5,
  );
  assert.ok(Math.max(...pieces) <= CHUNK, pieces.join(','));
});
