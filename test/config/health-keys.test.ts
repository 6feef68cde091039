/**
 * supctl's health_* keys: read and validated with one clear error per bad
 * value, shown in parse --json only when declared, and ignored by
 * supervisor 4.2.5's own parser (the oracle), so the file still runs there.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { toParseJson } from '../../src/config/json.ts';
import { runOracle } from '../oracle/run-oracle.ts';
import { ENV, HOST, load, parseJson, rejectText } from './tmpconf.ts';

const BASE = `[supervisord]
[program:web]
command=/bin/sleep 100
`;

void test('health_tcp with its timings becomes the process health, shown in parse --json', () => {
  const j = parseJson(
    `${BASE}health_tcp = 127.0.0.1:8000\nhealth_interval = 5\nhealth_timeout=2\nhealth_retries=4\nhealth_start_period=30\n`,
  );
  assert.deepEqual(j.groups[0]!.processes[0]!.health, {
    type: 'tcp',
    target: '127.0.0.1:8000',
    interval: 5,
    timeout: 2,
    retries: 4,
    start_period: 30,
  });
});

void test('defaults: every 10 s, 3 s timeout, 3 retries, no start period; no health key, no field', () => {
  const j = parseJson(`${BASE}health_http = http://localhost:8080/healthz?full=1\n`);
  assert.deepEqual(j.groups[0]!.processes[0]!.health, {
    type: 'http',
    target: 'http://localhost:8080/healthz?full=1',
    interval: 10,
    timeout: 3,
    retries: 3,
    start_period: 0,
  });
  const plain = parseJson(BASE);
  assert.equal('health' in plain.groups[0]!.processes[0]!, false);
});

void test('the model keeps host, port, scheme and path; IPv6 in brackets; per-process expansion', () => {
  const { d } = load({
    'main.conf': `${BASE}numprocs=2\nprocess_name=w%(process_num)d\nhealth_http=https://[::1]/h\n[program:db]\ncommand=/bin/true\nhealth_tcp=[::1]:54%(process_num)02d\n`,
  });
  const web = d.groups.find((g) => g.name === 'web')!.processes[1]!.health!;
  assert.equal(web.scheme, 'https');
  assert.equal(web.port, 443);
  assert.equal(web.host, '::1');
  assert.equal(web.path, '/h');
  const db = d.groups.find((g) => g.name === 'db')!.processes[0]!.health!;
  assert.deepEqual([db.host, db.port], ['::1', 5400]);
  assert.equal(db.origins.health_tcp?.line, 9);
});

const BAD: [string, RegExp][] = [
  ['health_tcp = 8000', /health_tcp: "8000": expected HOST:PORT/],
  ['health_tcp = :8000', /health_tcp: ":8000": expected HOST:PORT/],
  ['health_tcp = 127.0.0.1:70000', /health_tcp: "127.0.0.1:70000": the port must be 1 to 65535/],
  ['health_http = ftp://x/', /health_http: "ftp:\/\/x\/": expected an http:\/\/ or https:\/\/ URL/],
  ['health_http = not a url', /health_http: "not a url": expected an http/],
  ['health_http = http://u:p@x/', /no user, password or #fragment/],
  ['health_http = http://x/$HOME', /no spaces, quotes, \$ or \\/],
  ['health_tcp = a:1\nhealth_http = http://a/', /health_http: a program has one check/],
  ['health_interval = 5', /health_interval: needs health_tcp or health_http/],
  ['health_tcp = a:1\nhealth_interval = 0', /health_interval: "0": a whole number from 1 to 86400/],
  ['health_tcp = a:1\nhealth_timeout = 2s', /health_timeout: "2s": a whole number/],
  ['health_tcp = a:1\nhealth_retries = -1', /health_retries: "-1": a whole number from 1/],
  [
    'health_tcp = a:1\nhealth_start_period = 1e3',
    /health_start_period: "1e3": a whole number from 0/,
  ],
];

for (const [lines, re] of BAD) {
  void test(`rejected with file, line, section and key: ${lines.replace('\n', ' / ')}`, () => {
    const err = rejectText(`${BASE}${lines}\n`);
    assert.match(err.message, /main\.conf:\d+: \[program:web\] health_/);
    assert.match(err.message, re);
    assert.equal(err.code, 'E_VALUE');
    assert.ok(err.line >= 4, 'the line of the key');
  });
}

void test('supervisor 4.2.5 accepts a file with health keys and reads it as without them', () => {
  const keys =
    'health_tcp = 127.0.0.1:8000\nhealth_interval = 10\nhealth_timeout = 3\nhealth_retries = 3\nhealth_start_period = 30\n';
  const httpKeys = 'health_http = http://127.0.0.1:8000/healthz\n';
  const text = `${BASE}${keys}[program:api]\ncommand=/bin/sleep 5\n${httpKeys}`;
  const withKeys = load({ 'main.conf': text });
  const without = load({ 'main.conf': text.replace(keys, '').replace(httpKeys, '') });
  const [a, b] = runOracle(
    [withKeys, without].map(({ dir }) => ({ file: join(dir, 'main.conf'), env: ENV, host: HOST })),
  );
  assert.ok(a && !('error' in a), `supervisor rejects it: ${JSON.stringify(a)}`);
  assert.deepEqual(a, b, 'the health keys change nothing supervisor reads');
  // and supctl's reading, less its own health field, is supervisor's
  const ours = toParseJson(withKeys.d);
  for (const g of ours.groups) for (const p of g.processes) delete p.health;
  assert.deepEqual(JSON.parse(JSON.stringify(ours)), a);
});
