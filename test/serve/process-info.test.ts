import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processInfo } from '../../src/serve/process-info.ts';
import { proc } from './stub-backend.ts';

test('logfile fields: the files the backend writes, else empty', () => {
  const p = proc('web', 'web', 'RUNNING');
  const none = processInfo(p);
  assert.deepEqual([none['logfile'], none['stdout_logfile'], none['stderr_logfile']], ['', '', '']);
  const files = processInfo({ ...p, logfiles: { stdout: '/var/log/web.out', stderr: '' } });
  assert.equal(files['logfile'], '/var/log/web.out');
  assert.equal(files['stdout_logfile'], '/var/log/web.out');
  assert.equal(files['stderr_logfile'], '');
});
