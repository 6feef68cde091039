import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  clearJournal,
  journalPath,
  readJournal,
  writeJournal,
} from '../../../src/control/docker/journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const id = (c: string) => c.repeat(64);

test('the journal sits beside the lock', () => {
  assert.equal(journalPath('/run/x/p.lock'), '/run/x/p.lock.journal');
});

test('ids written are read back once each; no journal reads as none', () => {
  const f = join(dir, 'a.journal');
  assert.deepEqual(readJournal(f), []);
  writeJournal(f, [id('a'), id('b'), id('a')]);
  assert.deepEqual(readJournal(f), [id('a'), id('b')]);
  assert.deepEqual(readdirSync(dir), ['a.journal']);
});

test('writing no ids, or clearing, leaves no file (temp file included)', () => {
  const f = join(dir, 'b.journal');
  writeJournal(f, [id('c')]);
  writeJournal(f, []);
  assert.equal(existsSync(f), false);
  writeFileSync(`${f}.tmp`, 'half');
  writeJournal(f, [id('d')]);
  clearJournal(f);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('b.')),
    [],
  );
});

test('lines that are not container ids are dropped', () => {
  const f = join(dir, 'c.journal');
  writeFileSync(f, `${id('e')}\nnot an id\n${id('f').toUpperCase()}\n`);
  assert.deepEqual(readJournal(f), [id('e')]);
});
