/**
 * Migration advice, one rule at a time (positive and negative cases), read
 * from real configs through loadConfig; and advice never fails --strict.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, toParseJson } from '../../../src/config/index.ts';
import { adviceFindings, type AdviceTarget } from '../../../src/emit/advice/index.ts';
import { formatReport, strictViolations } from '../../../src/emit/report.ts';
import { emitSystemd } from '../../../src/emit/systemd/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-advice-'));
let n = 0;

function load(body: string, env: Record<string, string> = {}) {
  const file = join(dir, `c${n++}.conf`);
  writeFileSync(file, body);
  return loadConfig(file, { env, hostNodeName: 'node1' });
}

/** The advice messages for one program's command. */
function advise(command: string, t: AdviceTarget = 'systemd'): string[] {
  const d = load(`[program:app]\ncommand=${command}\n`);
  return adviceFindings(d, t).map((f) => f.message);
}

const has = (ms: string[], re: RegExp) => ms.some((m) => re.test(m));

test('sleep: a leading sleep N && / ; in sh -c or bash -c is advice, per target', () => {
  assert.ok(has(advise(`bash -c "sleep 10 && exec app"`), /`sleep 10`.*After= and Wants=/));
  assert.ok(has(advise(`sh -c 'sleep 5; exec app'`, 'compose'), /depends_on with condition/));
  assert.ok(has(advise(`/bin/sh -ec 'sleep 2s && exec app'`, 'kubernetes'), /readiness probe/));
});

test('sleep: none when the sleep is not leading, is the whole script, or there is no shell', () => {
  assert.ok(!has(advise(`sh -c 'prepare && sleep 10 && exec app'`), /sleep/));
  assert.ok(!has(advise(`sh -c 'sleep 10'`), /sleep/));
  assert.deepEqual(advise('/bin/sleep 10'), []);
  assert.deepEqual(advise('/usr/bin/app --sleep 10'), []);
});

test('exec: a shell whose last command is not exec`d is advice', () => {
  const ms = advise(`bash -c "cd /srv && gunicorn app"`);
  assert.ok(
    has(ms, /stop signal reaches the shell.*`exec gunicorn app`.*stopasgroup/),
    ms.join('\n'),
  );
});

test('exec: none when the last command is exec`d, or the script is one command', () => {
  assert.deepEqual(advise(`bash -c "cd /srv && exec gunicorn app"`), []);
  // a builtin last runs no program; a loop's end is not a program either
  assert.deepEqual(advise(`sh -c 'echo "$HOME"; exit 0'`), []);
  assert.deepEqual(advise(`sh -c 'while true; do work; done'`), []);
  // one command: sh execs it itself
  assert.deepEqual(advise(`sh -c 'gunicorn app'`), []);
  // a separator inside quotes does not split the script
  assert.deepEqual(advise(`sh -c "exec app --opt 'a && b'"`), []);
});

test('source: source FILE / . FILE is advice naming the file and the target`s env file', () => {
  assert.ok(
    has(
      advise(`bash -c "source bin/environ.sh && exec app"`),
      /`bin\/environ.sh`.*EnvironmentFile=/,
    ),
  );
  assert.ok(
    has(advise(`sh -c '. /etc/app.env; exec app'`, 'compose'), /`\/etc\/app.env`.*env_file:/),
  );
  assert.ok(!has(advise(`sh -c 'exec app --source x'`), /loads/));
});

test('BK-LOG api: sleep and source advised, exec present so no stop-signal advice', () => {
  const ms = advise(
    `bash -c "sleep 10 && source bin/environ.sh && exec gunicorn -c gunicorn_config.py wsgi:application"`,
  );
  assert.equal(ms.length, 2, ms.join('\n'));
  assert.ok(has(ms, /sleep 10/) && has(ms, /bin\/environ.sh/));
});

test('numprocs: one piece of advice per program, not per process', () => {
  const d = load(
    `[program:w]\ncommand=sh -c 'sleep 1 && exec app'\nnumprocs=3\nprocess_name=%(program_name)s_%(process_num)s\n`,
  );
  assert.equal(adviceFindings(d, 'systemd').length, 1);
});

test('ENV_: each variable baked in at convert time, with the keys it went into', () => {
  const d = load(
    `[program:app]\ncommand=/usr/bin/app --home %(ENV_APP_HOME)s\ndirectory=%(ENV_APP_HOME)s\nenvironment=TOKEN="%(ENV_TOKEN)s",OWN="1"\nstdout_logfile=/tmp/%(ENV_OWN)s.log\n`,
    { APP_HOME: '/srv/app', TOKEN: 't0k' },
  );
  const p = d.groups[0]!.processes[0]!;
  // ENV_OWN is the program's own environment, not this machine's: not baked in
  assert.deepEqual(p.environExpanded, {
    command: ['APP_HOME'],
    directory: ['APP_HOME'],
    environment: ['TOKEN'],
  });
  const fs = adviceFindings(d, 'systemd');
  assert.deepEqual(
    fs.map((f) => [f.key, f.message.split(':')[0]]),
    [
      ['command', '%(ENV_APP_HOME)s was expanded when converting, into command, directory'],
      ['environment', '%(ENV_TOKEN)s was expanded when converting, into environment'],
    ],
  );
  assert.equal(fs[0]!.origin?.line, 2);
});

test('ENV_: none without %(ENV_X)s, and parse --json does not change', () => {
  const d = load(`[program:app]\ncommand=/usr/bin/app %(program_name)s\n`, { HOME: '/root' });
  assert.equal(d.groups[0]!.processes[0]!.environExpanded, undefined);
  assert.deepEqual(adviceFindings(d, 'systemd'), []);
  const withEnv = load(`[program:app]\ncommand=/usr/bin/app %(ENV_HOME)s\n`, { HOME: '/root' });
  assert.ok(!JSON.stringify(toParseJson(withEnv)).includes('environExpanded'));
});

test('advice is in the report but never a --strict violation', () => {
  const d = load(`[program:app]\ncommand=bash -c "sleep 10 && exec /usr/bin/app"\nstartsecs=0\n`);
  const r = emitSystemd(d, { project: 'p', scope: 'system', inlineEnv: false, logrotate: false });
  const advice = r.findings.filter((f) => f.fidelity === 'ADVICE');
  assert.equal(advice.length, 1);
  assert.ok(!strictViolations(r.findings).includes(advice[0]!));
  const text = formatReport(r.findings, 'text');
  assert.match(text, /^ADVICE .*sleep 10/m);
  assert.match(text, /, 1 advice\n$/);
});
