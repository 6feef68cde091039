import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PROGRAM_KEYS, PROGRAM_RULES } from '../../../src/emit/systemd/keys.ts';

const OPTIONS_PY = '/usr/lib/python3/dist-packages/supervisor/options.py';

void test('the key table covers every key supervisor 4.2.5 reads for a process section', () => {
  const src = readFileSync(OPTIONS_PY, 'utf8');
  // processes_from_section and the fcgi/eventlistener parts of process_groups_from_parser
  const start = src.indexOf('def process_groups_from_parser');
  const end = src.indexOf('def _parse_servernames');
  const body = src.slice(start, end > start ? end : undefined);
  const read = new Set<string>();
  for (const m of body.matchAll(/get\(section,\s*'([a-z_]+)'/g)) read.add(m[1]!);
  for (const s of ['stdout', 'stderr'])
    for (const k of ['logfile', 'logfile_backups', 'logfile_maxbytes', 'syslog'])
      read.add(`${s}_${k}`);
  read.delete('programs'); // [group:x], in GROUP_RULES
  const ours = new Set<string>(PROGRAM_KEYS);
  assert.deepEqual([...read].filter((k) => !ours.has(k)).sort(), [], 'keys missing from the table');
  assert.deepEqual([...ours].filter((k) => !read.has(k)).sort(), [], 'keys supervisor never reads');
  for (const k of PROGRAM_KEYS) assert.ok(PROGRAM_RULES[k].note.length > 0, k);
});
