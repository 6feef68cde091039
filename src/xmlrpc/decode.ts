/**
 * JavaScript values from XML-RPC documents (see types.ts for the mapping).
 * Reads what Python's xmlrpc.client reads: untyped `<value>` text is a
 * string, i1/i2/i4/i8/int/biginteger are ints, double/float are doubles,
 * namespace prefixes (`ex:nil`) are ignored. Anything else is an
 * XmlRpcError('PARSE').
 */
import { parseXml, type XmlElement } from './xml.ts';
import { XmlRpcError, type MethodCall, type MethodResponse, type XmlRpcValue } from './types.ts';

function bad(msg: string): never {
  throw new XmlRpcError('PARSE', `bad XML-RPC: ${msg}`);
}

const INT_TAGS = new Set(['int', 'i4', 'i1', 'i2', 'i8', 'biginteger']);

/** Python's int(): optional sign, digits (underscores between them), surrounding white space. */
function parseInt32ish(text: string): number | bigint {
  const t = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) bad(`bad int ${JSON.stringify(text.slice(0, 40))}`);
  const n = BigInt(t.replace(/_/g, ''));
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n;
}

/** Python's float(): decimal or exponent forms, inf/infinity/nan in any case. */
function parseDouble(text: string): number {
  const t = text.trim().replace(/(?<=\d)_(?=\d)/g, '');
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    bad(`bad double ${JSON.stringify(text.slice(0, 40))}`);
  return Number(t);
}

function parseDateTime(text: string): Date {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})$/.exec(text.trim());
  if (m === null) bad(`bad dateTime.iso8601 ${JSON.stringify(text.slice(0, 40))}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    bad(`bad dateTime.iso8601 ${JSON.stringify(text)}`);
  }
  return date;
}

function only(el: XmlElement, what: string): XmlElement {
  if (el.children.length !== 1 || el.mixed) bad(`<${el.name}> must hold exactly one <${what}>`);
  const c = el.children[0]!;
  if (c.name !== what) bad(`<${el.name}> holds <${c.name}>, not <${what}>`);
  return c;
}

function noChildren(el: XmlElement): void {
  if (el.children.length > 0) bad(`<${el.name}> holds elements`);
}

/** Decodes one `<value>` element, iteratively (depth is bounded by the XML reader). */
function decodeValue(valueEl: XmlElement): XmlRpcValue {
  if (valueEl.name !== 'value') bad(`expected <value>, got <${valueEl.name}>`);
  if (valueEl.children.length === 0) return valueEl.text;
  const t = only(valueEl, valueEl.children[0]!.name);
  switch (t.name) {
    case 'string':
      noChildren(t);
      return t.text;
    case 'boolean':
      noChildren(t);
      if (t.text === '0') return false;
      if (t.text === '1') return true;
      return bad('bad boolean value');
    case 'double':
    case 'float':
      noChildren(t);
      return parseDouble(t.text);
    case 'nil':
      if (t.children.length > 0 || t.text.trim() !== '') bad('<nil> is not empty');
      return null;
    case 'base64':
      noChildren(t);
      if (!/^[A-Za-z0-9+/=\s]*$/.test(t.text)) bad('bad base64');
      return Buffer.from(t.text.replace(/\s+/g, ''), 'base64');
    case 'dateTime.iso8601':
      noChildren(t);
      return parseDateTime(t.text);
    case 'array': {
      const data = only(t, 'data');
      return data.children.map((v) => decodeValue(v));
    }
    case 'struct': {
      const entries: [string, XmlRpcValue][] = [];
      for (const m of t.children) {
        if (m.name !== 'member' || m.mixed) bad(`<struct> holds <${m.name}>`);
        const name = m.children.find((c) => c.name === 'name');
        const value = m.children.find((c) => c.name === 'value');
        if (name === undefined || value === undefined || m.children.length !== 2) {
          bad('<member> needs one <name> and one <value>');
        }
        noChildren(name);
        entries.push([name.text, decodeValue(value)]);
      }
      if (t.mixed) bad('text inside <struct>');
      // fromEntries defines own properties: a "__proto__" member stays data
      return Object.fromEntries(entries);
    }
    default:
      if (INT_TAGS.has(t.name)) {
        noChildren(t);
        return parseInt32ish(t.text);
      }
      return bad(`unknown type <${t.name}>`);
  }
}

function params(el: XmlElement | undefined): XmlRpcValue[] {
  if (el === undefined) return [];
  if (el.mixed) bad('text inside <params>');
  return el.children.map((p) => {
    if (p.name !== 'param') bad(`<params> holds <${p.name}>`);
    return decodeValue(only(p, 'value'));
  });
}

function root(xml: string, name: string): XmlElement {
  const r = parseXml(xml);
  if (r.name !== name) bad(`expected <${name}>, got <${r.name}>`);
  if (r.mixed) bad(`text inside <${name}>`);
  return r;
}

export function decodeCall(xml: string): MethodCall {
  const r = root(xml, 'methodCall');
  const nameEl = r.children.find((c) => c.name === 'methodName');
  if (nameEl === undefined) bad('no <methodName>');
  noChildren(nameEl);
  const ps = r.children.filter((c) => c.name === 'params');
  if (ps.length > 1 || r.children.length !== 1 + ps.length)
    bad('unexpected elements in <methodCall>');
  return { methodName: nameEl.text, params: params(ps[0]) };
}

export function decodeResponse(xml: string): MethodResponse {
  const r = root(xml, 'methodResponse');
  if (r.children.length !== 1) bad('<methodResponse> must hold <params> or <fault>');
  const c = r.children[0]!;
  if (c.name === 'fault') {
    const f = decodeValue(only(c, 'value'));
    if (
      typeof f !== 'object' ||
      f === null ||
      Array.isArray(f) ||
      Buffer.isBuffer(f) ||
      f instanceof Date
    ) {
      return bad('<fault> is not a struct');
    }
    const code = f['faultCode'];
    const text = f['faultString'];
    if (typeof code !== 'number' || typeof text !== 'string')
      bad('<fault> lacks faultCode/faultString');
    return { fault: true, faultCode: code, faultString: text };
  }
  if (c.name !== 'params') bad(`<methodResponse> holds <${c.name}>`);
  const ps = params(c);
  if (ps.length !== 1) bad(`a response carries one param, not ${ps.length}`);
  return { fault: false, value: ps[0]! };
}
