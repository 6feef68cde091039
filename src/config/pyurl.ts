/**
 * The part of Python 3.11 `urllib.parse.urlparse` that supervisor's `url()`
 * datatype depends on: scheme, netloc and path, and the ValueErrors
 * urlsplit raises for bad brackets and NFKC tricks in the netloc.
 */
import { PyValueError, pyRepr } from './pyprim.ts';

export interface UrlParts {
  scheme: string;
  netloc: string;
  path: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;
const USES_PARAMS = new Set([
  '',
  'ftp',
  'hdl',
  'prospero',
  'http',
  'imap',
  'https',
  'shttp',
  'rtsp',
  'rtspu',
  'sip',
  'sips',
  'mms',
  'sftp',
  'tel',
]);

function isIPv4(s: string): boolean {
  if (s.includes('/')) return false;
  const octets = s.split('.');
  if (octets.length !== 4) return false;
  return octets.every(
    (o) => /^[0-9]{1,3}$/.test(o) && (o === '0' || !o.startsWith('0')) && Number(o) <= 255,
  );
}

function isIPv6(address: string): boolean {
  if (address.includes('/')) return false;
  const pct = address.indexOf('%');
  let s = address;
  if (pct >= 0) {
    const scope = address.slice(pct + 1);
    if (scope === '' || scope.includes('%')) return false;
    s = address.slice(0, pct);
  }
  if (s === '') return false;
  const parts = s.split(':');
  if (parts.length < 3) return false;
  const last = parts[parts.length - 1] ?? '';
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    parts.splice(parts.length - 1, 1, '0', '0');
  }
  if (parts.length > 9) return false;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === '') {
      if (skip >= 0) return false;
      skip = i;
    }
  }
  let hi: number;
  let lo: number;
  if (skip >= 0) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === '' && --hi !== 0) return false;
    if (parts[parts.length - 1] === '' && --lo !== 0) return false;
    if (8 - (hi + lo) < 1) return false;
  } else {
    if (parts.length !== 8) return false;
    hi = 8;
    lo = 0;
  }
  const hextets = [...parts.slice(0, hi), ...(lo > 0 ? parts.slice(-lo) : [])];
  return hextets.every((h) => /^[0-9a-fA-F]{1,4}$/.test(h));
}

function checkBracketedNetloc(netloc: string): void {
  const hostAndPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostAndPort.indexOf('[');
  let hostname: string;
  if (open >= 0) {
    if (open > 0) throw new PyValueError('Invalid IPv6 URL');
    const bracketed = hostAndPort.slice(open + 1);
    const close = bracketed.indexOf(']');
    hostname = close >= 0 ? bracketed.slice(0, close) : bracketed;
    const port = close >= 0 ? bracketed.slice(close + 1) : '';
    if (port !== '' && !port.startsWith(':')) throw new PyValueError('Invalid IPv6 URL');
  } else {
    const colon = hostAndPort.indexOf(':');
    hostname = colon >= 0 ? hostAndPort.slice(0, colon) : hostAndPort;
  }
  if (hostname.startsWith('v')) {
    if (!/^v[a-fA-F0-9]+\..+$/s.test(hostname)) {
      throw new PyValueError('IPvFuture address is invalid');
    }
  } else if (isIPv4(hostname)) {
    throw new PyValueError('An IPv4 address cannot be in brackets');
  } else if (!isIPv6(hostname)) {
    throw new PyValueError(`${pyRepr(hostname)} does not appear to be an IPv4 or IPv6 address`);
  }
}

function checkNetloc(netloc: string): void {
  // eslint-disable-next-line no-control-regex
  if (netloc === '' || /^[\x00-\x7f]*$/.test(netloc)) return;
  const n = netloc.replace(/[@:#?]/g, '');
  const normalized = n.normalize('NFKC');
  if (n === normalized) return;
  for (const c of '/?#@:') {
    if (normalized.includes(c)) {
      throw new PyValueError(
        `netloc '${netloc}' contains invalid characters under NFKC normalization`,
      );
    }
  }
}

/** `urllib.parse.urlparse(url)`'s scheme, netloc and path (params split off). Throws PyValueError as urlsplit does. */
export function urlParse(value: string): UrlParts {
  // eslint-disable-next-line no-control-regex
  let url = value.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith('//')) {
    let delim = url.length;
    for (const c of '/?#') {
      const at = url.indexOf(c, 2);
      if (at >= 0) delim = Math.min(delim, at);
    }
    netloc = url.slice(2, delim);
    url = url.slice(delim);
    const open = netloc.includes('[');
    const close = netloc.includes(']');
    if (open !== close) throw new PyValueError('Invalid IPv6 URL');
    if (open && close) checkBracketedNetloc(netloc);
  }
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const query = url.indexOf('?');
  if (query >= 0) url = url.slice(0, query);
  checkNetloc(netloc);
  let path = url;
  if (USES_PARAMS.has(scheme) && path.includes(';')) {
    const slash = path.lastIndexOf('/');
    const semi = slash >= 0 ? path.indexOf(';', slash) : path.indexOf(';');
    if (semi >= 0) path = path.slice(0, semi);
  }
  return { scheme, netloc, path };
}
