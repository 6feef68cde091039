import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitSystemd } from '../../../src/emit/systemd/index.ts';
import { deployment, program, proc } from './fixture.ts';

const opts = { project: 'p', scope: 'user' as const, inlineEnv: false, logrotate: false };

void test('autoLogDir: AUTO logs become append: files named after the unit; explicit files untouched', () => {
  const d = deployment([
    program('a', [proc('a')]),
    program('b', [proc('b', { stdout_logfile: '/var/log/b.log', stderr_logfile: 'AUTO' })]),
    program('c', [proc('c', { redirect_stderr: true })]),
  ]);
  const r = emitSystemd(d, { ...opts, autoLogDir: '/srv/100%/logs' });
  const unit = (n: string) => r.files.find((f) => f.path === `p-${n}.service`)!.content;
  assert.match(unit('a'), /^StandardOutput=append:\/srv\/100%%\/logs\/%n\.out$/m);
  assert.match(unit('a'), /^StandardError=append:\/srv\/100%%\/logs\/%n\.err$/m);
  assert.match(unit('b'), /^StandardOutput=append:\/var\/log\/b\.log$/m);
  assert.match(unit('b'), /^StandardError=append:\/srv\/100%%\/logs\/%n\.err$/m);
  assert.match(unit('c'), /^StandardError=inherit$/m);
  const finding = r.findings.find((f) => f.program === 'a' && f.key === 'stdout_logfile');
  assert.equal(finding?.fidelity, 'APPROX');
  // without it, AUTO stays the journal (the convert command's output is unchanged)
  assert.match(
    emitSystemd(d, opts).files.find((f) => f.path === 'p-a.service')!.content,
    /^StandardOutput=journal$/m,
  );
});
