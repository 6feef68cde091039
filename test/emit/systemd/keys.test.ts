import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Fidelity } from '../../../src/model/finding.ts';
import type { Deployment, Group } from '../../../src/model/index.ts';
import type { ServiceContext } from '../../../src/emit/systemd/context.ts';
import type { Outcome } from '../../../src/emit/systemd/findings.ts';
import { PROGRAM_KEYS, PROGRAM_RULES } from '../../../src/emit/systemd/keys.ts';
import { HEALTH_KEYS } from '../../../src/model/health.ts';
import { SUPERVISORD_KEYS, SUPERVISORD_RULES } from '../../../src/emit/systemd/section-keys.ts';
import { deployment, program, proc } from './fixture.ts';

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
  // supctl's own health_* keys are in the table too; supervisor ignores them
  const ours = new Set<string>(PROGRAM_KEYS.filter((k) => !HEALTH_KEYS.some((h) => h === k)));
  assert.deepEqual([...read].filter((k) => !ours.has(k)).sort(), [], 'keys missing from the table');
  assert.deepEqual([...ours].filter((k) => !read.has(k)).sort(), [], 'keys supervisor never reads');
  for (const k of PROGRAM_KEYS) assert.ok(PROGRAM_RULES[k].target.length > 0, k);
});

/** Programs that between them take every row down each of its branches. */
function samples(): { d: Deployment; g: Group; scope: 'user' | 'system' }[] {
  const one = (g: Group, over: Partial<Deployment> = {}, scope: 'user' | 'system' = 'user') => ({
    d: deployment([g], over),
    g,
    scope,
  });
  const supervisord = deployment([]).supervisord;
  return [
    one(program('a', [proc('a')])),
    one(
      program('a', [proc('a', { stopasgroup: true, killasgroup: true })], { killasgroup: 'true' }),
    ),
    one(program('a', [proc('a', { killasgroup: true, stopwaitsecs: 0, autorestart: 'true' })])),
    one(program('a', [proc('a', { autorestart: 'false', exitcodes: [0, 2], startsecs: 0 })])),
    one(program('a', [proc('a', { user: 'www', directory: '/srv', umask: 0o077 })]), {}, 'system'),
    one(program('a', [proc('a', { user: 'www', environment: { 'a.b': '1', OK: '2' } })])),
    one(
      program('a', [
        proc('a', {
          stdout_logfile: 'out.log',
          stderr_logfile: '/var/log/a.err',
          stdout_syslog: true,
          stdout_capture_maxbytes: 10,
          stderr_events_enabled: true,
        }),
      ]),
    ),
    one(program('a', [proc('a', { redirect_stderr: true, stdout_logfile: null })])),
    one(program('a', [proc('a', { serverurl: 'unix:///x' })], { serverurl: 'unix:///x' }), {
      supervisord: { ...supervisord, minfds: 4096, nodaemon: true },
    }),
    one(
      program(
        'php',
        [proc('php')],
        {},
        {
          kind: 'fcgi-program',
          socket: 'unix:///run/php.sock',
          socket_owner: 'www:www',
          socket_mode: 0o660,
          socket_backlog: 10,
        },
      ),
    ),
    one(program('php', [proc('php')], {}, { kind: 'fcgi-program', socket: 'udp://x' })),
    one(
      program(
        'ev',
        [proc('ev')],
        { buffer_size: '10', result_handler: 'x:y' },
        {
          kind: 'eventlistener',
          events: ['TICK_5'],
        },
      ),
    ),
  ];
}

function context(
  s: ReturnType<typeof samples>[number],
  layout: 'single' | 'template',
): ServiceContext {
  const units = layout === 'single' ? ['p-a.service'] : ['p-a@0.service', 'p-a@1.service'];
  return {
    d: s.d,
    g: s.g,
    p: s.g.processes[0]!,
    scope: s.scope,
    inlineEnv: layout === 'template',
    autoLogDir: layout === 'template' ? '/var/log/p' : undefined,
    isExecutable: () => false,
    written: (k) => s.g.programs[0]!.written.includes(k),
    layout,
    file: layout === 'single' ? units[0]! : 'p-a@.service',
    units,
    instances: layout === 'single' ? ['0'] : ['0', '1'],
    partOf: 'p.target',
    ordered: layout === 'template',
    socketFile: s.g.socket?.startsWith('unix:') ? 'p-a.socket' : null,
    unit: [],
    service: [],
    socket: [],
  };
}

// ADVICE is never a key's outcome (src/emit/advice/ adds it): ranked above all so `best` catches it
const RANK: Record<Fidelity, number> = { NONE: 0, APPROX: 1, EXACT: 2, ADVICE: 3 };
const list = (o: Outcome | Outcome[] | undefined) => (o === undefined ? [] : [o].flat());

void test('each row writes only the directives its documentation names, never better than its best', () => {
  for (const s of samples()) {
    for (const layout of ['single', 'template'] as const) {
      for (const key of PROGRAM_KEYS) {
        const c = context(s, layout);
        const rule = PROGRAM_RULES[key];
        for (const o of list(rule.apply(c))) {
          assert.ok(
            RANK[o.fidelity] <= RANK[rule.best],
            `${key}: ${o.fidelity} above ${rule.best}`,
          );
        }
        for (const d of [...c.unit, ...c.service, ...(c.socket ?? [])]) {
          assert.ok(rule.target.includes(`${d.key}=`), `${key} writes ${d.key}= (${rule.target})`);
        }
      }
      for (const key of SUPERVISORD_KEYS) {
        const rule = SUPERVISORD_RULES[key];
        for (const o of list(rule.apply(s.d))) assert.ok(RANK[o.fidelity] <= RANK[rule.best], key);
        const service = 'service' in rule ? rule.service(s.d) : [];
        for (const d of service) assert.ok(rule.target.includes(`${d.key}=`), `${key}: ${d.key}`);
      }
    }
  }
});

void test('stopwaitsecs=0: the row writes the value its finding names', () => {
  const s = samples()[2]!;
  const c = context(s, 'single');
  const [o] = list(PROGRAM_RULES.stopwaitsecs.apply(c));
  const written = c.service.find((d) => d.key === 'TimeoutStopSec')!.value;
  assert.equal(written, '1s');
  assert.ok(o!.message.includes(`so ${written} is written`), o!.message);
});
