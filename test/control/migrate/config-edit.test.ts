import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/index.ts';
import {
  commentOut,
  ensureBackup,
  refuseForeignBackup,
  renderFromBackup,
  sectionRanges,
} from '../../../src/control/migrate/config-edit.ts';
import { MigrateError } from '../../../src/control/migrate/errors.ts';

const MAIN = `[supervisord]
logfile=/dev/null

[program:a]
command=/bin/sleep 1
startsecs=0

[group:g]
programs=b,c

[program:b]
command=/bin/sleep 2

[program:c]
command=/bin/sleep 3
  --flag

[include]
files=more.conf
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-edit-'));
  writeFileSync(join(dir, 'main.conf'), MAIN);
  writeFileSync(join(dir, 'more.conf'), '[program:d]\ncommand=/bin/sleep 4\n');
  return { dir, d: loadConfig(join(dir, 'main.conf')) };
}

test('a [group:x] spans its own section and its programs, trailing blank lines left out', () => {
  const { d, dir } = setup();
  const g = d.groups.find((x) => x.name === 'g')!;
  const r = sectionRanges(g).map((x) => [x.section, x.first, x.last]);
  assert.deepEqual(r, [
    ['group:g', 8, 9],
    ['program:b', 11, 12],
    ['program:c', 14, 16],
  ]);
  const inc = sectionRanges(d.groups.find((x) => x.name === 'd')!);
  assert.equal(inc[0]!.file, join(dir, 'more.conf'));
});

test('commentOut comments every line of each range under the marker, keeps the rest', () => {
  const { d } = setup();
  const a = sectionRanges(d.groups.find((x) => x.name === 'a')!);
  const outText = commentOut(MAIN, a, '; MARK');
  assert.match(
    outText,
    /; MARK\n; \[program:a\]\n; command=\/bin\/sleep 1\n; startsecs=0\n\n\[group:g\]/,
  );
  // supervisor no longer sees the program
  const { dir } = setup();
  writeFileSync(join(dir, 'main.conf'), outText);
  assert.deepEqual(
    loadConfig(join(dir, 'main.conf')).groups.map((g) => g.name),
    ['d', 'g'],
  );
});

test('the backup is the original; rendering with no ranges restores it byte for byte', () => {
  const { dir, d } = setup();
  const file = join(dir, 'main.conf');
  ensureBackup(file);
  renderFromBackup(file, sectionRanges(d.groups.find((x) => x.name === 'g')!), '; MARK');
  assert.notEqual(readFileSync(file, 'utf8'), MAIN);
  ensureBackup(file); // an existing (recorded) backup is kept as it is
  assert.equal(readFileSync(`${file}.supctl-bak`, 'utf8'), MAIN);
  renderFromBackup(file, [], '; MARK');
  assert.equal(readFileSync(file, 'utf8'), MAIN);
  assert.equal(existsSync(`${file}.supctl-bak`), false);
});

test('a backup the journal does not name is refused', () => {
  const { dir } = setup();
  const file = join(dir, 'main.conf');
  writeFileSync(`${file}.supctl-bak`, 'someone else');
  assert.throws(() => refuseForeignBackup(file), MigrateError);
});
