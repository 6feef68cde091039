/**
 * XML-RPC documents from JavaScript values (see types.ts for the mapping).
 * Whatever Python's xmlrpc.client would refuse to send (an int beyond 32
 * bits, a character XML cannot carry) is refused here too, with an
 * XmlRpcError('ENCODE') naming the path of the value.
 */
import { firstNonXmlChar } from './xml.ts';
import { INT_MAX, INT_MIN, XmlRpcError, type XmlRpcValue } from './types.ts';

function encodeError(path: string, msg: string): never {
  throw new XmlRpcError('ENCODE', `cannot encode ${path || 'value'}: ${msg}`);
}

/** Escapes text for element content; CR as a reference, else XML's end-of-line rule turns it into LF. */
function escapeText(s: string, path = ''): string {
  const bad = firstNonXmlChar(s);
  if (bad >= 0) {
    encodeError(
      path,
      `character U+${s.charCodeAt(bad).toString(16).padStart(4, '0')} is not allowed in XML`,
    );
  }
  return s.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** dateTime.iso8601 as Python writes it (`%Y%m%dT%H:%M:%S`), from the UTC fields; milliseconds are dropped. */
function formatDateTime(d: Date, path = ''): string {
  const t = d.getTime();
  if (!Number.isFinite(t)) encodeError(path, 'invalid Date');
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) encodeError(path, `year ${y} is outside 1..9999`);
  return (
    `${pad(y, 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  return String(v);
}

/** One `<value>`; integral numbers in int32 range are `<int>`, every other number `<double>`. */
export function encodeValue(v: XmlRpcValue, path = ''): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const walk = (x: XmlRpcValue, p: string): void => {
    if (x === null) parts.push('<value><nil/></value>');
    else if (typeof x === 'string')
      parts.push(`<value><string>${escapeText(x, p)}</string></value>`);
    else if (typeof x === 'boolean') parts.push(`<value><boolean>${x ? 1 : 0}</boolean></value>`);
    else if (typeof x === 'number') {
      parts.push(
        Number.isInteger(x) && x >= INT_MIN && x <= INT_MAX && !Object.is(x, -0)
          ? `<value><int>${x}</int></value>`
          : `<value><double>${formatDouble(x)}</double></value>`,
      );
    } else if (typeof x === 'bigint') {
      if (x < BigInt(INT_MIN) || x > BigInt(INT_MAX))
        encodeError(p, `int ${x} exceeds XML-RPC limits`);
      parts.push(`<value><int>${x}</int></value>`);
    } else if (Buffer.isBuffer(x)) {
      parts.push(`<value><base64>${x.toString('base64')}</base64></value>`);
    } else if (x instanceof Date) {
      parts.push(`<value><dateTime.iso8601>${formatDateTime(x, p)}</dateTime.iso8601></value>`);
    } else if (typeof x === 'object') {
      if (seen.has(x)) encodeError(p, 'circular reference');
      seen.add(x);
      if (Array.isArray(x)) {
        parts.push('<value><array><data>');
        x.forEach((item, i) => walk(item, `${p}[${i}]`));
        parts.push('</data></array></value>');
      } else {
        const proto: unknown = Object.getPrototypeOf(x);
        if (proto !== Object.prototype && proto !== null) encodeError(p, 'not a plain object');
        parts.push('<value><struct>');
        for (const [k, item] of Object.entries(x)) {
          if (item === undefined) encodeError(`${p}.${k}`, 'undefined');
          parts.push(`<member><name>${escapeText(k, `${p}.${k}`)}</name>`);
          walk(item, `${p}.${k}`);
          parts.push('</member>');
        }
        parts.push('</struct></value>');
      }
      seen.delete(x);
    } else {
      encodeError(p, `${typeof x} has no XML-RPC type`);
    }
  };
  walk(v, path);
  return parts.join('');
}

const HEAD = "<?xml version='1.0' encoding='utf-8'?>\n";

export function encodeCall(methodName: string, params: readonly XmlRpcValue[] = []): string {
  const ps = params.map((p, i) => `<param>${encodeValue(p, `params[${i}]`)}</param>`).join('');
  return `${HEAD}<methodCall><methodName>${escapeText(methodName, 'methodName')}</methodName><params>${ps}</params></methodCall>\n`;
}

export function encodeResponse(value: XmlRpcValue): string {
  return `${HEAD}<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

export function encodeFault(faultCode: number, faultString: string): string {
  return `${HEAD}<methodResponse><fault>${encodeValue({ faultCode, faultString })}</fault></methodResponse>\n`;
}
