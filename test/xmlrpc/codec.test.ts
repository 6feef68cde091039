/**
 * The codec on its own: the documents supervisord sends, every type, and
 * bad input (malformed XML, not XML-RPC, hostile nesting, DTDs) failing
 * with XmlRpcError('PARSE') — never a hang, a crash or a stack overflow.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeCall, decodeResponse } from '../../src/xmlrpc/decode.ts';
import { encodeCall, encodeFault, encodeResponse, encodeValue } from '../../src/xmlrpc/encode.ts';
import { XmlRpcError, type XmlRpcValue } from '../../src/xmlrpc/types.ts';

const resp = (value: string) =>
  `<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n<value>${value}</value>\n</param>\n</params>\n</methodResponse>\n`;
const value = (v: string): XmlRpcValue => {
  const r = decodeResponse(resp(v));
  assert.equal(r.fault, false);
  return r.fault ? null : r.value;
};
const parseError = (e: unknown) => e instanceof XmlRpcError && e.code === 'PARSE';

test('every type Python writes', () => {
  assert.equal(value('<int>42</int>'), 42);
  assert.equal(value('<i4>-7</i4>'), -7);
  assert.equal(value('<i8>9007199254740993</i8>'), 9007199254740993n);
  assert.equal(value('<boolean>1</boolean>'), true);
  assert.equal(value('<double>1e+16</double>'), 1e16);
  assert.equal(value('<double>-inf</double>'), -Infinity);
  assert.ok(Number.isNaN(value('<double>nan</double>')));
  assert.equal(value('<string>a&lt;b&amp;c&gt;&#13;</string>'), 'a<b&c>\r');
  assert.equal(value('untyped &amp; text'), 'untyped & text');
  assert.equal(value(''), '');
  assert.equal(value('<string/>'), '');
  assert.equal(value('<nil/>'), null);
  assert.equal(value('<ex:nil xmlns:ex="x"/>'), null);
  assert.deepEqual(value('<base64>aGk=\n</base64>'), Buffer.from('hi'));
  assert.deepEqual(
    value('<dateTime.iso8601>20260102T03:04:05</dateTime.iso8601>'),
    new Date('2026-01-02T03:04:05Z'),
  );
  assert.deepEqual(
    value('<array><data><value><int>1</int></value><value>x</value></data></array>'),
    [1, 'x'],
  );
  assert.deepEqual(value('<array><data/></array>'), []);
  const o = value(
    '<struct><member><name>__proto__</name><value><int>1</int></value></member></struct>',
  ) as Record<string, XmlRpcValue>;
  assert.equal(Object.getPrototypeOf(o), Object.prototype, 'a __proto__ member stays data');
  assert.deepEqual(Object.keys(o), ['__proto__']);
  assert.equal(value('<string><![CDATA[<x>]]></string>'), '<x>');
  assert.equal(value('<string>a\r\nb\rc</string>'), 'a\nb\nc', "XML's end-of-line rule");
});

test('supervisord fault and a real getState answer', () => {
  assert.deepEqual(
    decodeResponse(
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: nope</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    ),
    { fault: true, faultCode: 10, faultString: 'BAD_NAME: nope' },
  );
  assert.deepEqual(
    decodeResponse(
      resp(
        '<struct>\n<member>\n<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n</struct>',
      ),
    ),
    { fault: false, value: { statecode: 1, statename: 'RUNNING' } },
  );
});

test('round trips through our own encoder', () => {
  const v: XmlRpcValue = {
    s: 'a<&>\r\n\t"\'😀',
    n: [1, -2147483648, 2147483647, 1.5, -0, Infinity],
    b: [true, false, null],
    bin: Buffer.from([0, 255]),
    d: new Date('0999-12-31T23:59:59Z'),
  };
  const r = decodeResponse(encodeResponse(v));
  assert.deepEqual(r, { fault: false, value: v });
  assert.deepEqual(decodeCall(encodeCall('supervisor.startProcess', ['web', true])), {
    methodName: 'supervisor.startProcess',
    params: ['web', true],
  });
  assert.deepEqual(decodeCall('<methodCall><methodName>x.y</methodName></methodCall>'), {
    methodName: 'x.y',
    params: [],
  });
  assert.deepEqual(decodeResponse(encodeFault(70, 'NOT_RUNNING: web')), {
    fault: true,
    faultCode: 70,
    faultString: 'NOT_RUNNING: web',
  });
});

test('encoding refuses what XML-RPC cannot carry', () => {
  const refuses = (v: unknown) =>
    assert.throws(
      () => encodeValue(v as XmlRpcValue),
      (e: unknown) => e instanceof XmlRpcError && e.code === 'ENCODE',
    );
  refuses(2n ** 31n);
  refuses('a\u0000b');
  refuses('\ud800');
  refuses(new Date(NaN));
  refuses({ u: undefined });
  refuses(new Map());
  refuses(() => 1);
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  refuses(loop);
  // an integral number beyond int32 is a double (Python would hold a float there)
  assert.equal(encodeValue(2 ** 40), '<value><double>1099511627776</double></value>');
});

test('bad documents: a PARSE error each', () => {
  const bad = [
    '',
    'not xml',
    '<methodResponse>',
    '<methodResponse></methodRespons>',
    '<a></a><b></b>',
    resp('<int>12x</int>'),
    resp('<int></int>'),
    resp('<boolean>true</boolean>'),
    resp('<double>1.2.3</double>'),
    resp('<foo>1</foo>'),
    resp('<array><value>1</value></array>'),
    resp('<struct><member><value>1</value></member></struct>'),
    resp('<string>&bogus;</string>'),
    resp('<string>&#0;</string>'),
    resp('<string>a\u0001b</string>'),
    resp('<dateTime.iso8601>2026-13-01T00:00:00</dateTime.iso8601>'),
    resp('<base64>***</base64>'),
    resp('<int>1</int><int>2</int>'),
    '<!DOCTYPE x [<!ENTITY a "aaaa">]><methodResponse/>',
    '<methodResponse><params></params></methodResponse>',
    '<methodResponse><fault><value><int>1</int></value></fault></methodResponse>',
    '<methodCall><params/></methodCall>',
    '<html><title>401 Unauthorized</title></html>',
  ];
  for (const doc of bad) {
    assert.throws(
      () => (doc.includes('methodCall') ? decodeCall(doc) : decodeResponse(doc)),
      parseError,
      JSON.stringify(doc),
    );
  }
});

test('hostile nesting is refused quickly, without a stack overflow', () => {
  const deep = resp(
    '<array><data><value>'.repeat(100_000) + '</value></data></array>'.repeat(100_000),
  );
  const t0 = Date.now();
  assert.throws(() => decodeResponse(deep), parseError);
  assert.ok(Date.now() - t0 < 2_000);
  const ok = resp('<array><data><value>'.repeat(100) + '1' + '</value></data></array>'.repeat(100));
  assert.equal(decodeResponse(ok).fault, false);
  const many = decodeResponse(resp(`<string>${'&amp;'.repeat(200_000)}</string>`));
  assert.equal(many.fault ? '' : (many.value as string).length, 200_000);
});

test('random bytes and mutated documents: a value or a PARSE error, nothing else', () => {
  const doc = encodeResponse({ a: [1, 'x', true, null], b: { c: 1.5 } });
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc
          .tuple(fc.nat(doc.length), fc.nat(20), fc.string({ maxLength: 5 }))
          .map(([at, cut, ins]) => doc.slice(0, at) + ins + doc.slice(at + cut)),
      ),
      (s) => {
        try {
          decodeResponse(s);
        } catch (e) {
          assert.ok(parseError(e), String(e));
        }
      },
    ),
    { numRuns: 3000, seed: 42 },
  );
});
