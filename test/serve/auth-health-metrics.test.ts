import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { authorized } from '../../src/serve/auth.ts';
import { readinessChecks, renderHealth } from '../../src/serve/health.ts';
import { renderMetrics } from '../../src/serve/metrics.ts';
import { parseListen } from '../../src/serve/listen.ts';
import { proc } from './stub-backend.ts';

const basic = (u: string, p: string): string =>
  `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

test('Basic auth: plain and {SHA} passwords, wrong or missing refused', () => {
  const sha = `{SHA}${createHash('sha1').update('s3cret').digest('hex')}`;
  assert.equal(authorized(basic('u', 's3cret'), { username: 'u', password: 's3cret' }), true);
  assert.equal(authorized(basic('u', 's3cret'), { username: 'u', password: sha }), true);
  assert.equal(authorized(basic('u', 'nope'), { username: 'u', password: sha }), false);
  assert.equal(authorized(basic('v', 's3cret'), { username: 'u', password: 's3cret' }), false);
  assert.equal(authorized(undefined, { username: 'u', password: 's3cret' }), false);
  assert.equal(authorized('Bearer x', { username: 'u', password: 's3cret' }), false);
});

test('health: ok, verbose, and 500 with the failed list', () => {
  assert.deepEqual(renderHealth([{ name: 'a', ok: true }], false), { status: 200, body: 'ok' });
  assert.deepEqual(renderHealth([{ name: 'a', ok: true }], true), {
    status: 200,
    body: '[+]a ok\nhealthz check passed\n',
  });
  assert.deepEqual(
    renderHealth(
      [
        { name: 'a', ok: true },
        { name: 'b', ok: false },
      ],
      false,
    ),
    {
      status: 500,
      body: '[+]a ok\n[-]b failed: reason withheld\nhealthz check failed\n',
    },
  );
  assert.equal(renderHealth([{ name: 'b', ok: false }], false, ['b']).status, 200);
});

test('readiness counts autostart programs only', () => {
  const ps = [proc('a', 'a', 'RUNNING'), proc('m', 'm', 'STOPPED')];
  assert.deepEqual(readinessChecks(ps, new Set(['a'])), [{ name: 'a', ok: true }]);
});

test('metrics: the collector names with name/group labels, escaped', () => {
  const text = renderMetrics(
    [proc('g"x', 'a', 'RUNNING'), proc('b', 'b', 'STOPPED')],
    1_700_000_010_000,
  );
  assert.match(text, /^node_supervisord_up\{group="g\\"x",name="a"\} 1$/m);
  assert.match(text, /^node_supervisord_state\{group="b",name="b"\} 0$/m);
  assert.match(text, /^node_supervisord_start_time_seconds\{group="g\\"x",name="a"\} 1700000000$/m);
  assert.match(text, /^supctl_process_uptime_seconds\{group="g\\"x",name="a"\} 10$/m);
  assert.match(text, /^supctl_process_cpu_seconds_total\{group="b",name="b"\} 1.5$/m);
  assert.match(text, /^# TYPE supctl_process_restarts_total counter$/m);
});

test('metrics per project: processes by state, CPU and memory summed', () => {
  const text = renderMetrics([proc('a', 'a', 'RUNNING'), proc('b', 'b', 'STOPPED')]);
  assert.match(text, /^supctl_project_processes\{project="p",state="RUNNING"\} 1$/m);
  assert.match(text, /^supctl_project_processes\{project="p",state="STOPPED"\} 1$/m);
  assert.match(text, /^supctl_project_processes\{project="p",state="FATAL"\} 0$/m);
  assert.match(text, /^supctl_project_cpu_seconds_total\{project="p"\} 3$/m);
  assert.match(text, /^supctl_project_resident_memory_bytes\{project="p"\} 8192$/m);
});

test('--listen forms', () => {
  assert.deepEqual(parseListen('127.0.0.1:0', null), {
    kind: 'inet',
    host: '127.0.0.1',
    port: 0,
    credentials: null,
  });
  assert.equal(parseListen('unix:/tmp/x.sock', null).kind, 'unix');
  assert.throws(() => parseListen('127.0.0.1:http', null));
});
