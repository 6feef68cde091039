/**
 * Where the supervisord backend connects, from a config read by supctl's
 * reader and supervisorctl's -s/-u/-p flags; the process-info mapping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load.ts';
import { discoverServer, inetUrl } from '../../../src/control/supervisord/discover.ts';
import { actionResult, FAULTS } from '../../../src/control/supervisord/faults.ts';
import { toProcessStatus } from '../../../src/control/supervisord/info.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpConfig } from '../../config/tmpconf.ts';

function withConf(text: string, fn: (file: string, dir: string) => void): void {
  const dir = tmpConfig({ 'main.conf': text });
  try {
    fn(join(dir, 'main.conf'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PROGRAM = '[program:a]\ncommand=/bin/true\n';

test('[supervisorctl] serverurl/username/password, %(here)s and the default URL', () => {
  withConf(
    `[supervisord]\n[supervisorctl]\nserverurl=unix://%(here)s/../run//s.sock\nusername=u\npassword=p\n${PROGRAM}`,
    (file, dir) => {
      const s = discoverServer(loadConfig(file));
      assert.deepEqual(s, {
        serverUrl: `unix://${dir.replace(/\/[^/]+$/, '')}/run/s.sock`,
        username: 'u',
        password: 'p',
        source: 'supervisorctl',
      });
    },
  );
  withConf(`[supervisord]\n[supervisorctl]\n${PROGRAM}`, (file) => {
    assert.deepEqual(discoverServer(loadConfig(file)), {
      serverUrl: 'http://localhost:9001',
      username: null,
      password: null,
      source: 'supervisorctl',
    });
  });
});

test('without [supervisorctl]: the server supervisord opens, unix first', () => {
  withConf(
    `[supervisord]\n[unix_http_server]\nfile=/run/x.sock\nusername=a\npassword=b\n[inet_http_server]\nport=:9002\n${PROGRAM}`,
    (file) => {
      assert.deepEqual(discoverServer(loadConfig(file)), {
        serverUrl: 'unix:///run/x.sock',
        username: 'a',
        password: 'b',
        source: 'unix_http_server',
      });
    },
  );
  withConf(`[supervisord]\n[inet_http_server]\nport=127.0.0.1:9002\n${PROGRAM}`, (file) => {
    assert.equal(discoverServer(loadConfig(file)).serverUrl, 'http://127.0.0.1:9002');
  });
  assert.equal(inetUrl(':9001'), 'http://localhost:9001');
  assert.equal(inetUrl('*:9001'), 'http://localhost:9001');
  assert.equal(inetUrl('9001'), 'http://localhost:9001');
  assert.deepEqual(discoverServer(null), {
    serverUrl: 'http://localhost:9001',
    username: null,
    password: null,
    source: 'default',
  });
});

test('-s/-u/-p win over the config, one by one', () => {
  withConf(
    `[supervisord]\n[supervisorctl]\nserverurl=http://h:1\nusername=u\npassword=p\n${PROGRAM}`,
    (file) => {
      const d = loadConfig(file);
      assert.deepEqual(discoverServer(d, { password: 'x' }), {
        serverUrl: 'http://h:1',
        username: 'u',
        password: 'x',
        source: 'flags',
      });
      assert.equal(discoverServer(d, { serverUrl: 'unix:///s' }).serverUrl, 'unix:///s');
    },
  );
});

test('process info: supervisord facts kept, no restart count', () => {
  const p = toProcessStatus(
    {
      name: 'w_0',
      group: 'grp',
      description: 'Jan 02 03:04 PM',
      start: 100,
      stop: 200,
      now: 300,
      state: 100,
      statename: 'EXITED',
      spawnerr: '',
      exitstatus: -1,
      logfile: '/l',
      stdout_logfile: '/l',
      stderr_logfile: '',
      pid: 0,
    },
    'sd',
  );
  assert.deepEqual(p, {
    group: 'grp',
    name: 'w_0',
    namespec: 'grp:w_0',
    project: 'sd',
    state: 'EXITED',
    description: 'Jan 02 03:04 PM',
    pid: null,
    startedAt: 100_000,
    stoppedAt: 200_000,
    exitStatus: -1,
    restarts: null,
    cpuNsec: null,
    memoryBytes: null,
    ref: 'grp:w_0',
  });
  assert.equal(toProcessStatus({ statename: 'WEIRD' }, 'sd').state, 'UNKNOWN');
  assert.deepEqual(actionResult('a', FAULTS.SUCCESS, 'OK'), { namespec: 'a', ok: true });
  assert.equal(actionResult('a', FAULTS.SPAWN_ERROR, 'SPAWN_ERROR: a').fault, 'SPAWN_ERROR');
  assert.deepEqual(actionResult('a', FAULTS.STILL_RUNNING, 'STILL_RUNNING: a'), {
    namespec: 'a',
    ok: false,
    fault: 'FAILED',
    message: 'STILL_RUNNING: a',
    faultString: 'STILL_RUNNING: a',
  });
});
