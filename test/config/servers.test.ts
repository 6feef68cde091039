/** [unix_http_server], [inet_http_server], [rpcinterface:x], [supervisorctl] (checked against supervisor 4.2.5). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { load, rejectText } from './tmpconf.ts';

test('servers and [supervisorctl] are kept in the Deployment', () => {
  const { dir, d } = load({
    'main.conf':
      '[supervisord]\n[unix_http_server]\nfile=%(here)s/run/../s.sock \nchmod=0770\nchown=www:www\n' +
      '[inet_http_server]\nport=*:9001\nusername=u\npassword=p\n' +
      '[supervisorctl]\nserverurl=unix://%(here)s/s.sock\nusername=cu\npassword=cp\n' +
      '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n',
  });
  assert.deepEqual(d.unixHttpServer, {
    file: join(dir, 's.sock'),
    chmod: 0o770,
    chown: 'www:www',
    username: null,
    password: null,
  });
  assert.deepEqual(d.inetHttpServer, { port: '*:9001', username: 'u', password: 'p' });
  assert.deepEqual(d.supervisorctl, {
    serverurl: `unix://${join(dir, 's.sock')}`,
    username: 'cu',
    password: 'cp',
  });
  assert.equal(d.rpcinterfaces?.[0]?.name, 'supervisor');
  assert.equal(d.rpcinterfaces?.[0]?.factory, 'supervisor.rpcinterface:make_main_rpcinterface');
});

test('no server sections: nulls; unix chmod defaults to 0700', () => {
  const { d } = load({ 'main.conf': '[supervisord]\n[unix_http_server]\nfile=/tmp/x.sock\n' });
  assert.equal(d.inetHttpServer, null);
  assert.equal(d.supervisorctl, null);
  assert.equal(d.unixHttpServer?.chmod, 0o700);
});

test('server sections reject as supervisor does', () => {
  assert.match(
    rejectText('[supervisord]\n[inet_http_server]\nusername=u\nport=1\n').why,
    /incomplete authentication/,
  );
  assert.equal(
    rejectText('[supervisord]\n[inet_http_server]\nusername=u\nport=1\n').key,
    'username',
  );
  assert.match(rejectText('[supervisord]\n[inet_http_server]\n').why, /has no port value/);
  assert.equal(rejectText('[supervisord]\n[inet_http_server]\nport=host:99999\n').key, 'port');
  assert.match(
    rejectText('[supervisord]\n[unix_http_server]\nchmod=0700\n').why,
    /has no file value/,
  );
  assert.equal(rejectText('[supervisord]\n[unix_http_server]\nfile=/s\nchmod=rw\n').key, 'chmod');
  // any section whose name starts with inet_http_server counts
  assert.match(rejectText('[supervisord]\n[inet_http_serverX]\n').why, /no port value/);
});

test('[rpcinterface:x]: the factory is required and must parse as an entry point; it is not imported', () => {
  assert.match(
    rejectText('[supervisord]\n[rpcinterface:x]\nfoo=bar\n').why,
    /does not specify a supervisor.rpcinterface_factory/,
  );
  assert.equal(
    rejectText('[supervisord]\n[rpcinterface:x]\nsupervisor.rpcinterface_factory = a b\n').key,
    'supervisor.rpcinterface_factory',
  );
  const { d } = load({
    'main.conf':
      '[supervisord]\n[rpcinterface:x]\nsupervisor.rpcinterface_factory = no.such:thing\n',
  });
  assert.equal(d.rpcinterfaces?.[0]?.factory, 'no.such:thing');
  // the other keys of the section are expanded too
  assert.equal(
    rejectText(
      '[supervisord]\n[rpcinterface:x]\nsupervisor.rpcinterface_factory = a:b\nretries=%(nope)s\n',
    ).key,
    'retries',
  );
});

test('[supervisorctl] never rejects a config (supervisord does not read it)', () => {
  const { d } = load({ 'main.conf': '[supervisord]\n[supervisorctl]\nserverurl=%(nope)s\n' });
  assert.equal(d.supervisorctl?.serverurl, '%(nope)s');
});
