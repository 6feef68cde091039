/** Python 3.11 glob.glob / fnmatch semantics (expected values checked with python3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pyGlob } from '../../src/config/pyglob.ts';
import { tmpConfig } from './tmpconf.ts';

test('fnmatch in a glob: *, ?, [seq], [!seq], ranges, literal brackets', () => {
  const cases: [string, string, boolean][] = [
    ['a.conf', '*.conf', true],
    ['ab', 'a?', true],
    ['a', 'a?', false],
    ['b1', '[ab]1', true],
    ['c1', '[!ab]1', true],
    ['a1', '[!ab]1', false],
    ['m', '[a-z]', true],
    ['-', '[a-]', true],
    [']', '[]]', true],
    ['[', '[', true],
    ['[x', '[x', true],
    ['b', '[z-a]', false],
    ['q', '[!z-a]', true],
    ['a\nb', 'a*b', true],
    ['\\', '[\\]', true],
  ];
  const root = mkdtempSync(join(tmpdir(), 'supctl-fnmatch-'));
  try {
    cases.forEach(([name, pattern, expected], i) => {
      // one directory per case, holding only `name`: the glob matches it or nothing
      const dir = join(root, String(i));
      mkdirSync(dir);
      writeFileSync(join(dir, name), '');
      const want = expected ? [join(dir, name)] : [];
      assert.deepEqual(pyGlob(join(dir, pattern)), want, `${name} ~ ${pattern}`);
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('glob: hidden names need a pattern starting with a dot; directories may hold wildcards', () => {
  const dir = tmpConfig({
    'x/a.conf': '',
    'x/.h.conf': '',
    'y1/b.conf': '',
    'y2/c.conf': '',
    '.z/d.conf': '',
  });
  assert.deepEqual(pyGlob(join(dir, 'x/*.conf')), [join(dir, 'x/a.conf')]);
  assert.deepEqual(pyGlob(join(dir, 'x/.*')).sort(), [join(dir, 'x/.h.conf')]);
  assert.deepEqual(pyGlob(join(dir, '*/*.conf')).sort(), [
    join(dir, 'x/a.conf'),
    join(dir, 'y1/b.conf'),
    join(dir, 'y2/c.conf'),
  ]);
  assert.deepEqual(pyGlob(join(dir, 'y?/c.conf')), [join(dir, 'y2/c.conf')]);
  assert.deepEqual(pyGlob(join(dir, 'nope/*.conf')), []);
  // no magic: the path itself if it exists
  assert.deepEqual(pyGlob(join(dir, 'x/a.conf')), [join(dir, 'x/a.conf')]);
  assert.deepEqual(pyGlob(join(dir, 'x/none.conf')), []);
});
