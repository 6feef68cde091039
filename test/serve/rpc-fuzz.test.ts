/**
 * Robustness of /RPC2 over HTTP: random XML-RPC calls (supervisor's method
 * names and random ones, random parameters of every type, some truncated)
 * and random bytes always get a methodResponse (a value or a fault) or an
 * HTTP 400/413, never a 500, a dropped connection or a hang; the server
 * answers getVersion afterwards.
 *
 *   SUPCTL_FUZZ_SEED=n  SUPCTL_FUZZ_RUNS=n (per property, default 300)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createServeServer } from '../../src/serve/server.ts';
import { decodeResponse } from '../../src/xmlrpc/decode.ts';
import { encodeCall } from '../../src/xmlrpc/encode.ts';
import type { XmlRpcValue } from '../../src/xmlrpc/types.ts';
import { proc, stubBackend } from './stub-backend.ts';

const SEED = Number(process.env['SUPCTL_FUZZ_SEED'] ?? 4242);
const RUNS = Number(process.env['SUPCTL_FUZZ_RUNS'] ?? 300);
/** One request may take this long at most. */
const LIMIT_MS = 2000;

let server: Server;
let url = '';

before(async () => {
  server = createServeServer({
    backend: stubBackend([
      proc('web', 'web', 'RUNNING'),
      proc('g', 'a', 'STOPPED'),
      proc('g', 'b', 'FATAL'),
    ]),
    credentials: null,
    log: () => {},
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const METHODS = [
  'supervisor.getVersion',
  'supervisor.getAllProcessInfo',
  'supervisor.getProcessInfo',
  'supervisor.startProcess',
  'supervisor.stopProcess',
  'supervisor.startProcessGroup',
  'supervisor.signalProcess',
  'supervisor.signalAllProcesses',
  'supervisor.readProcessStdoutLog',
  'supervisor.tailProcessStderrLog',
  'supervisor.getAllConfigInfo',
  'supervisor.reloadConfig',
  'supervisor.addProcessGroup',
  'supervisor.sendProcessStdin',
  'system.multicall',
  'system.methodHelp',
  'system.methodSignature',
  'system.listMethods',
];

const leaf: fc.Arbitrary<XmlRpcValue> = fc.oneof(
  fc.constantFrom('web', 'g:a', 'g:*', 'g', 'nope', 'HUP', '', 'supervisor.getState'),
  fc.string(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
);

const value: fc.Arbitrary<XmlRpcValue> = fc.letrec<{ v: XmlRpcValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary<string, XmlRpcValue>(
      fc.constantFrom('methodName', 'params', 'name', 'x', ''),
      tie('v'),
      { maxKeys: 3 },
    ),
  ),
})).v;

const call = fc
  .record({
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 30 })),
    params: fc.array(value, { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ method, params, cut }) => {
    const xml = encodeCall(method, params);
    return cut === undefined ? xml : xml.slice(0, cut % (xml.length + 1));
  });

async function post(body: string | Uint8Array): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), LIMIT_MS);
  try {
    const r = await fetch(url, {
      method: 'POST',
      body,
      signal: ac.signal,
      headers: { 'Content-Type': 'text/xml' },
    });
    const text = await r.text();
    assert.ok([200, 400, 413].includes(r.status), `HTTP ${r.status}: ${text}`);
    if (r.status === 200) decodeResponse(text); // throws unless a methodResponse
  } finally {
    clearTimeout(timer);
  }
}

async function stillAnswers(): Promise<void> {
  const r = await fetch(url, { method: 'POST', body: encodeCall('supervisor.getVersion') });
  assert.deepEqual(decodeResponse(await r.text()), { fault: false, value: '3.0' });
}

test('random XML-RPC calls: a value, a fault or a 400', async () => {
  await fc.assert(fc.asyncProperty(call, post), { seed: SEED, numRuns: RUNS });
  await stillAnswers();
});

test('random bytes and XML-ish noise: a fault or an HTTP error', async () => {
  const noise = fc.oneof(
    fc.uint8Array({ maxLength: 512 }),
    fc
      .array(
        fc.constantFrom(
          '<?xml version="1.0"?>',
          '<methodCall>',
          '</methodCall>',
          '<methodName>',
          'supervisor.getState',
          '</methodName>',
          '<params>',
          '<param>',
          '<value>',
          '<int>',
          '99999999999999999999',
          '<struct>',
          '<member>',
          '<array><data>',
          '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
          '&a;',
          '&#0;',
          ']]>',
          '<![CDATA[',
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join('')),
  );
  await fc.assert(fc.asyncProperty(noise, post), { seed: SEED, numRuns: RUNS });
  await stillAnswers();
});
