/**
 * Differential property test: our XML-RPC codec against Python's
 * xmlrpc.client (what supervisord and supervisorctl use). Random nested
 * values, calls, responses and faults:
 *  - ours → Python: what we encode, Python loads to the same value;
 *  - Python → ours: what Python dumps, we decode to what Python itself
 *    loads back (XML turns a raw CR into LF for both);
 *  - both refuse: ints beyond 32 bits, characters XML cannot carry.
 *
 *   SUPCTL_XMLRPC_RUNS=n   runs per property (default 400)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { decodeCall, decodeResponse } from '../../src/xmlrpc/decode.ts';
import { encodeCall, encodeFault, encodeResponse, encodeValue } from '../../src/xmlrpc/encode.ts';
import { INT_MAX, INT_MIN, XmlRpcError, type XmlRpcValue } from '../../src/xmlrpc/types.ts';
import { firstNonXmlChar } from '../../src/xmlrpc/xml.ts';
import { canon, PythonOracle, tag, type Tagged } from './python-oracle.ts';

const RUNS = Number(process.env['SUPCTL_XMLRPC_RUNS'] ?? 400);
const SEED = Number(process.env['SUPCTL_XMLRPC_SEED'] ?? 20261203);
const params = { numRuns: RUNS, seed: SEED };

/** Characters worth a test: markup, CR/LF/TAB, CDATA end, astral, BOM, line separator. */
const TRICKY = [
  '<',
  '>',
  '&',
  '&amp;',
  '\r',
  '\n',
  '\r\n',
  '\t',
  ']]>',
  ' ',
  'é',
  '€',
  '😀',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '"',
  "'",
  '\x7f',
  '\x85',
  'a',
];

/** Replaces what XML cannot carry (tested on its own below). */
const xmlSafe = (s: string): string => {
  let out = s;
  for (let i = firstNonXmlChar(out); i >= 0; i = firstNonXmlChar(out)) {
    out = out.slice(0, i) + '?' + out.slice(i + 1);
  }
  return out;
};

const stringArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map(xmlSafe),
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 12 }).map((a) => a.join('')),
);

const dateArb = fc
  .date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

const leafArb: fc.Arbitrary<XmlRpcValue> = fc.oneof(
  fc.integer({ min: INT_MIN, max: INT_MAX }),
  fc.constantFrom(INT_MIN, INT_MAX, 0, -1),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  stringArb,
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
  dateArb,
);

const keyArb = fc.oneof(
  stringArb,
  fc.constantFrom('__proto__', 'constructor', '1', '0', 'faultCode'),
);

const { value: valueArb } = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(keyArb, tie('value')), { maxLength: 4, selector: ([k]) => k })
      .map((pairs) => Object.fromEntries(pairs) as XmlRpcValue),
  ),
}));

const methodArb = fc.oneof(
  fc.constantFrom('supervisor.getAllProcessInfo', 'system.multicall', 'a', 'x.y.z'),
  stringArb.filter((s) => s.length > 0),
);

let py: PythonOracle;
before(() => {
  py = new PythonOracle();
});
after(() => py.close());

const canonAll = (ts: Tagged[]): unknown => ts.map(canon);

test('ours → Python: calls load to the same method and params', async () => {
  await fc.assert(
    fc.asyncProperty(methodArb, fc.array(valueArb, { maxLength: 4 }), async (m, ps) => {
      const a = await py.ask({ op: 'load', xml: encodeCall(m, ps) });
      assert.equal(a.error, undefined);
      assert.equal(a.method, m);
      assert.deepEqual(canonAll(a.params!), canonAll(ps.map(tag)));
    }),
    params,
  );
});

test('ours → Python: responses and faults load to the same value', async () => {
  await fc.assert(
    fc.asyncProperty(valueArb, async (v) => {
      const a = await py.ask({ op: 'load', xml: encodeResponse(v) });
      assert.equal(a.error, undefined);
      assert.deepEqual(canonAll(a.params!), [canon(tag(v))]);
    }),
    params,
  );
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: INT_MIN, max: INT_MAX }), stringArb, async (code, s) => {
      const a = await py.ask({ op: 'load', xml: encodeFault(code, s) });
      assert.deepEqual(a.fault, { code, string: s });
    }),
    params,
  );
});

test('Python → ours: calls, responses and faults decode as Python loads them', async () => {
  // Python writes the method name unescaped: with <, & or ]]> it cannot read its own call
  const pyMethodArb = methodArb.filter((m) => !/[<&]|]]>/.test(m));
  await fc.assert(
    fc.asyncProperty(pyMethodArb, fc.array(valueArb, { maxLength: 4 }), async (m, ps) => {
      const a = await py.ask({ op: 'dump', kind: 'call', method: m, params: ps.map(tag) });
      assert.equal(a.error, undefined);
      const ours = decodeCall(a.xml!);
      assert.equal(ours.methodName, a.reload!.method);
      assert.deepEqual(canonAll(ours.params.map(tag)), canonAll(a.reload!.params!));
    }),
    params,
  );
  await fc.assert(
    fc.asyncProperty(valueArb, async (v) => {
      const a = await py.ask({ op: 'dump', kind: 'response', value: tag(v) });
      assert.equal(a.error, undefined);
      const ours = decodeResponse(a.xml!);
      assert.equal(ours.fault, false);
      assert.deepEqual(canon(tag(ours.fault ? null : ours.value)), canon(a.reload!.params![0]!));
    }),
    params,
  );
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: INT_MIN, max: INT_MAX }), stringArb, async (code, s) => {
      const a = await py.ask({ op: 'dump', kind: 'fault', code, string: s });
      const ours = decodeResponse(a.xml!);
      assert.deepEqual(ours, {
        fault: true,
        faultCode: a.reload!.fault!.code,
        faultString: a.reload!.fault!.string,
      });
    }),
    params,
  );
});

test('both refuse: ints beyond 32 bits, characters XML cannot carry', async () => {
  const refuses = (v: XmlRpcValue): boolean => {
    try {
      encodeValue(v);
      return false;
    } catch (e) {
      return e instanceof XmlRpcError && e.code === 'ENCODE';
    }
  };
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.bigInt({ min: -(2n ** 70n), max: BigInt(INT_MIN) - 1n }),
        fc.bigInt({ min: BigInt(INT_MAX) + 1n, max: 2n ** 70n }),
      ),
      async (n) => {
        assert.ok(refuses(n));
        const a = await py.ask({ op: 'dump', kind: 'response', value: { t: 'int', v: String(n) } });
        assert.match(a.error ?? '', /OverflowError/);
      },
    ),
    params,
  );
  const bad = [...Array(0x20).keys()]
    .filter((c) => c !== 9 && c !== 10 && c !== 13)
    .map((c) => String.fromCharCode(c));
  bad.push('\ufffe', '\uffff');
  for (const ch of bad) {
    const s = `a${ch}b`;
    assert.ok(refuses(s), `we refuse U+${ch.charCodeAt(0).toString(16)}`);
    const a = await py.ask({ op: 'dump', kind: 'response', value: { t: 'str', v: s } });
    // Python writes the character, then cannot read its own document
    assert.match(
      a.error ?? '',
      /ExpatError|not well-formed|invalid token/,
      `python refuses U+${ch.charCodeAt(0).toString(16)}`,
    );
  }
});
