import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { emitSystemd } from '../../../src/emit/systemd/index.ts';
import { deployment, program, proc } from './fixture.ts';

const opts = { project: 'p', scope: 'user' as const, inlineEnv: false, logrotate: false };

void test('environment goes to a 0600 file next to the unit, never into the unit', () => {
  const d = deployment([program('a', [proc('a', { environment: { SECRET: 's3cr3t' } })])]);
  const r = emitSystemd(d, opts);
  const unit = r.files.find((f) => f.path === 'p-a.service')!;
  const env = r.files.find((f) => f.path === 'p-a.service.d/supctl.env')!;
  assert.equal(env.mode, 0o600);
  assert.match(env.content, /SECRET="s3cr3t"/);
  assert.doesNotMatch(unit.content, /s3cr3t/);
  assert.match(unit.content, /EnvironmentFile=%E\/systemd\/user\/%n\.d\/supctl\.env/);
  const inline = emitSystemd(d, { ...opts, inlineEnv: true });
  assert.match(
    inline.files.find((f) => f.path === 'p-a.service')!.content,
    /Environment="SECRET=s3cr3t"/,
  );
});

void test('faithful defaults: KillMode=process, no start limit, explicit timeouts', () => {
  const r = emitSystemd(deployment([program('a', [proc('a')])]), opts);
  const unit = r.files.find((f) => f.path === 'p-a.service')!.content;
  for (const line of [
    'KillMode=process',
    'StartLimitIntervalSec=0',
    'TimeoutStopSec=10s',
    'RestartSec=1s',
    'UMask=0022',
    'WorkingDirectory=/',
    'Type=exec',
    'RestartForceExitStatus=SIGHUP SIGINT SIGTERM SIGPIPE',
  ])
    assert.ok(unit.includes(`\n${line}\n`), line);
});

void test('invalid environment names are a NONE finding with the program and origin', () => {
  const r = emitSystemd(
    deployment([program('a', [proc('a', { environment: { 'a.b': '1' } })])]),
    opts,
  );
  const f = r.findings.find((x) => x.key === 'environment' && x.fidelity === 'NONE');
  assert.ok(f);
  assert.equal(f.program, 'a');
  assert.equal(f.origin?.section, 'program:a');
});

void test('numprocs > 1 makes one template and the targets want every instance', () => {
  const procs = [0, 1, 2].map((n) =>
    proc(`w_${n}`, { program: 'w', processNum: n, argv: ['/bin/sleep', `10${n}`] }),
  );
  const r = emitSystemd(
    deployment([program('w', procs, { process_name: '%(program_name)s_%(process_num)d' })]),
    opts,
  );
  const tpl = r.files.find((f) => f.path === 'p-w@.service');
  assert.ok(tpl);
  assert.match(tpl.content, /ExecStart="\/bin\/sleep" "10%i"/);
  assert.match(
    r.files.find((f) => f.path === 'p.target')!.content,
    /Wants=p-w@0.service p-w@1.service p-w@2.service/,
  );
});

void test('numprocs as one unit file per instance: every instance reports its findings', () => {
  // argv of different lengths: no template, one file per instance
  const procs = [['prog0'], ['prog1', '-v']].map((argv, n) =>
    proc(`w_${n}`, { program: 'w', processNum: n, argv }),
  );
  const r = emitSystemd(deployment([program('w', procs)]), { ...opts, isExecutable: () => false });
  assert.deepEqual(
    r.files.filter((f) => f.path.endsWith('.service')).map((f) => f.path),
    ['p-w@0.service', 'p-w@1.service'],
  );
  const command = r.findings.filter((f) => f.key === 'command').map((f) => f.message);
  assert.equal(command.length, 2, command.join('\n'));
  assert.match(command[0]!, /^ExecStart=.*prog0 was not found/);
  assert.match(command[1]!, /^ExecStart=.*prog1 was not found/);
});

void test('an instance string that is not a valid unit name is escaped in the instance unit name', () => {
  const procs = ['0 ', '1 '].map((instance, n) =>
    proc(`w_${n}`, { program: 'w', processNum: n, instance }),
  );
  const r = emitSystemd(deployment([program('w', procs)]), opts);
  assert.deepEqual(
    r.files.filter((f) => f.path.endsWith('.service')).map((f) => f.path),
    ['p-w@0\\x20.service', 'p-w@1\\x20.service'],
  );
});

void test('logrotate: the relative log files of a template are rotated where they are written', () => {
  const procs = [0, 1].map((n) =>
    proc(`w_${n}`, {
      program: 'w',
      processNum: n,
      directory: '/srv/w',
      stdout_logfile: `w-${n}.log`,
      stdout_logfile_maxbytes: 1024,
    }),
  );
  const r = emitSystemd(deployment([program('w', procs)]), { ...opts, logrotate: true });
  assert.ok(r.files.some((f) => f.path === 'p-w@.service'));
  const rotate = r.files.find((f) => f.path === 'p.logrotate')!.content;
  assert.match(rotate, /^"\/srv\/w\/w-0\.log" \{$/m);
  assert.match(rotate, /^"\/srv\/w\/w-1\.log" \{$/m);
  const unit = r.files.find((f) => f.path === 'p-w@.service')!.content;
  assert.match(unit, /^StandardOutput=append:\/srv\/w\/w-%i\.log$/m);
});

void test('logrotate: glob characters in a log path name that file only (real logrotate)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-lr-'));
  const log = join(dir, 'a*b [1].log');
  const r = emitSystemd(
    deployment([program('w', [proc('w', { stdout_logfile: log, stdout_logfile_maxbytes: 1000 })])]),
    { ...opts, logrotate: true },
  );
  const conf = r.files.find((f) => f.path === 'p.logrotate')!.content;
  assert.match(conf, /^"[^"]*a\\\*b \\\[1\\\]\.log" \{$/m);
  const bad = () =>
    emitSystemd(
      deployment([
        program('w', [proc('w', { stdout_logfile: `${dir}/a"b.log`, stdout_logfile_maxbytes: 9 })]),
      ]),
      { ...opts, logrotate: true },
    );
  assert.throws(bad, /logrotate cannot name the log file/);
  writeFileSync(log, 'x'.repeat(2000));
  writeFileSync(join(dir, 'aXb 1.log'), 'x'.repeat(2000)); // what the unescaped glob would match
  writeFileSync(join(dir, 'conf'), conf);
  execFileSync('/usr/sbin/logrotate', ['-s', join(dir, 'state'), '-f', join(dir, 'conf')]);
  assert.ok(existsSync(`${log}.1`), 'the named file was rotated');
  assert.ok(!existsSync(join(dir, 'aXb 1.log.1')), 'no other file was');
});
