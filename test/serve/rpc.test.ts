import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleRpc } from '../../src/serve/rpc.ts';
import { decodeResponse } from '../../src/xmlrpc/decode.ts';
import { encodeCall } from '../../src/xmlrpc/encode.ts';
import type { XmlRpcValue } from '../../src/xmlrpc/types.ts';
import { proc, stubBackend } from './stub-backend.ts';

function ctx() {
  const backend = stubBackend([
    proc('web', 'web', 'RUNNING'),
    proc('g', 'a', 'STOPPED'),
    proc('g', 'b', 'RUNNING'),
  ]);
  return { backend, pid: 7 };
}

async function call(c: ReturnType<typeof ctx>, method: string, params: XmlRpcValue[] = []) {
  const r = await handleRpc(c, encodeCall(method, params));
  assert.equal(r.status, 200);
  if (r.status !== 200) throw new Error('unreachable');
  return decodeResponse(r.xml);
}

test('getVersion answers 3.0 (supervisorctl upcheck) and getSupervisorVersion 4.2.5', async () => {
  const c = ctx();
  assert.deepEqual(await call(c, 'supervisor.getVersion'), { fault: false, value: '3.0' });
  assert.deepEqual(await call(c, 'supervisor.getSupervisorVersion'), {
    fault: false,
    value: '4.2.5',
  });
  assert.deepEqual(await call(c, 'supervisor.getPID'), { fault: false, value: 7 });
});

test('method names are validated as traverse() does', async () => {
  const c = ctx();
  for (const m of [
    'supervisor',
    'a.b.c',
    'supervisor._update',
    'nope.getState',
    'supervisor.nope',
    'supervisor.constructor',
    'system.__proto__',
  ]) {
    assert.deepEqual(
      await call(c, m),
      { fault: true, faultCode: 1, faultString: 'UNKNOWN_METHOD' },
      m,
    );
  }
});

test('wrong parameter counts are INCORRECT_PARAMETERS', async () => {
  const c = ctx();
  assert.deepEqual(await call(c, 'supervisor.getState', [1]), {
    fault: true,
    faultCode: 2,
    faultString: 'INCORRECT_PARAMETERS',
  });
  assert.deepEqual(await call(c, 'supervisor.startProcess', []), {
    fault: true,
    faultCode: 2,
    faultString: 'INCORRECT_PARAMETERS',
  });
});

test('getAllProcessInfo: 13 keys, ints, lexical order', async () => {
  const r = await call(ctx(), 'supervisor.getAllProcessInfo');
  assert.equal(r.fault, false);
  if (r.fault) return;
  const list = r.value as Record<string, XmlRpcValue>[];
  assert.deepEqual(
    list.map((p) => `${p.group as string}:${p.name as string}`),
    ['g:a', 'g:b', 'web:web'],
  );
  const web = list[2]!;
  assert.deepEqual(
    Object.keys(web).sort(),
    [
      'description',
      'exitstatus',
      'group',
      'logfile',
      'name',
      'now',
      'pid',
      'spawnerr',
      'start',
      'state',
      'statename',
      'stderr_logfile',
      'stdout_logfile',
      'stop',
    ].sort(),
  );
  assert.equal(web.state, 20);
  assert.equal(web.statename, 'RUNNING');
  assert.equal(web.start, 1_700_000_000);
  assert.equal(web.pid, 42);
});

test('start/stop faults carry supervisor codes and strings', async () => {
  const c = ctx();
  assert.deepEqual(await call(c, 'supervisor.startProcess', ['web']), {
    fault: true,
    faultCode: 60,
    faultString: 'ALREADY_STARTED: web',
  });
  assert.deepEqual(await call(c, 'supervisor.startProcess', ['nope']), {
    fault: true,
    faultCode: 10,
    faultString: 'BAD_NAME: nope',
  });
  assert.deepEqual(await call(c, 'supervisor.stopProcess', ['web', true]), {
    fault: false,
    value: true,
  });
  const g = await call(c, 'supervisor.startProcess', ['g:*']);
  assert.deepEqual(g, {
    fault: false,
    value: [{ name: 'a', group: 'g', status: 80, description: 'OK' }],
  });
});

test('multicall: values and faults in order, nested multicall refused', async () => {
  const r = await call(ctx(), 'system.multicall', [
    [
      { methodName: 'supervisor.getAPIVersion', params: [] },
      { methodName: 'system.multicall', params: [[]] },
      { methodName: 'supervisor.getProcessInfo', params: ['zz'] },
      { params: [] },
    ],
  ]);
  assert.deepEqual(r, {
    fault: false,
    value: [
      '3.0',
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 10, faultString: 'BAD_NAME: zz' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
    ],
  });
});

test('listMethods holds what Cesi and supervisorctl call; methodSignature answers', async () => {
  const c = ctx();
  const r = await call(c, 'system.listMethods');
  assert.equal(r.fault, false);
  if (r.fault) return;
  for (const m of [
    'system.multicall',
    'supervisor.getAllProcessInfo',
    'supervisor.tailProcessStdoutLog',
    'supervisor.getAllConfigInfo',
  ]) {
    assert.ok((r.value as string[]).includes(m), m);
  }
  assert.deepEqual(await call(c, 'system.methodSignature', ['supervisor.getState']), {
    fault: false,
    value: ['struct'],
  });
});

test('logs: read the last N bytes, tail with offset', async () => {
  const c = ctx();
  assert.deepEqual(await call(c, 'supervisor.readProcessStdoutLog', ['web', -6, 0]), {
    fault: false,
    value: 'world\n',
  });
  assert.deepEqual(await call(c, 'supervisor.tailProcessStdoutLog', ['web', 0, 500]), {
    fault: false,
    value: ['hello\nworld\n', 12, false],
  });
});

test('without a config file reloadConfig is CANT_REREAD; clearProcessLogs FAILED', async () => {
  const c = ctx();
  const r = await call(c, 'supervisor.reloadConfig');
  assert.equal(r.fault && r.faultCode, 92);
  assert.deepEqual(await call(c, 'supervisor.clearProcessLogs', ['web']), {
    fault: true,
    faultCode: 30,
    faultString: 'FAILED: web',
  });
});

test('a body that is no XML-RPC call is a 400, never a throw', async () => {
  for (const body of [
    '',
    '<x/>',
    '<methodCall>',
    'not xml',
    '<methodCall><methodName></methodName></methodCall>',
  ]) {
    const r = await handleRpc(ctx(), body);
    assert.equal(r.status, 400, body);
  }
});

test('getAllConfigInfo is ordered by process name, as supervisor sorts it', async () => {
  const backend = stubBackend([
    proc('web', 'web', 'RUNNING'),
    proc('z', 'a', 'RUNNING'),
    proc('b', 'b', 'STOPPED'),
  ]);
  const r = await call({ backend, pid: 7 }, 'supervisor.getAllConfigInfo');
  assert.equal(r.fault, false);
  if (r.fault) return;
  // by name ("a" < "b" < "web"), not by namespec (b, web, z:a)
  assert.deepEqual(
    (r.value as { group: string; name: string }[]).map((e) => `${e.group}:${e.name}`),
    ['z:a', 'b:b', 'web:web'],
  );
});
