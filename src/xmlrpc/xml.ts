/**
 * A small, strict XML reader for XML-RPC documents: elements, attributes
 * (read and ignored), character data, entity and character references,
 * CDATA, comments, processing instructions. No DTDs (a DOCTYPE is refused,
 * so no entity expansion), iterative (a deep document cannot overflow the
 * stack) and bounded in depth. Every malformation is an XmlRpcError('PARSE'),
 * never a hang or a crash.
 */
import { XmlRpcError } from './types.ts';

export interface XmlElement {
  /** Local name (a namespace prefix is dropped, as Python's unmarshaller does). */
  name: string;
  children: XmlElement[];
  /** The character data directly inside this element, concatenated. */
  text: string;
  /** True when non-whitespace text sits next to child elements. */
  mixed: boolean;
}

const MAX_DEPTH = 512;
const NAME = /[A-Za-z_:][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFD]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function fail(msg: string, pos: number): never {
  throw new XmlRpcError('PARSE', `bad XML at offset ${pos}: ${msg}`);
}

/** XML 1.0's Char production (surrogates are checked as pairs). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The first character XML cannot carry, or -1. Lone surrogates count as such. */
export function firstNonXmlChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (!isXmlChar(c) || (c >= 0xdc00 && c <= 0xdfff)) return i;
  }
  return -1;
}

function decodeReferences(raw: string, at: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&<]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) fail('unterminated reference', at);
    if (ref.startsWith('#')) {
      const cp = /^#x[0-9a-fA-F]+$/.test(ref)
        ? parseInt(ref.slice(2), 16)
        : /^#[0-9]+$/.test(ref)
          ? parseInt(ref.slice(1), 10)
          : NaN;
      if (!Number.isFinite(cp) || !isXmlChar(cp)) fail(`bad character reference &${ref};`, at);
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) fail(`undefined entity &${ref};`, at);
    return v;
  });
}

function localName(qname: string): string {
  const i = qname.lastIndexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** Parses a whole document and returns its root element. */
export function parseXml(input: string): XmlElement {
  // XML's end-of-line handling: CR LF and lone CR become LF before anything else.
  const s = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const bad = firstNonXmlChar(s);
  if (bad >= 0)
    fail(`character U+${s.charCodeAt(bad).toString(16).padStart(4, '0')} is not allowed`, bad);
  const stack: { el: XmlElement; qname: string }[] = [];
  let root: XmlElement | null = null;
  let pos = 0;
  const addText = (t: string, at: number): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (t.trim() !== '') fail('text outside the root element', at);
      return;
    }
    top.el.text += t;
  };
  while (pos < s.length) {
    const lt = s.indexOf('<', pos);
    if (lt < 0) {
      addText(decodeReferences(s.slice(pos), pos), pos);
      pos = s.length;
      break;
    }
    if (lt > pos) {
      const raw = s.slice(pos, lt);
      if (raw.includes(']]>')) fail("']]>' in character data", pos);
      addText(decodeReferences(raw, pos), pos);
    }
    pos = lt;
    if (s.startsWith('<!--', pos)) {
      const end = s.indexOf('-->', pos + 4);
      if (end < 0) fail('unterminated comment', pos);
      pos = end + 3;
    } else if (s.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the root element', pos);
      const end = s.indexOf(']]>', pos + 9);
      if (end < 0) fail('unterminated CDATA section', pos);
      addText(s.slice(pos + 9, end), pos);
      pos = end + 3;
    } else if (s.startsWith('<?', pos)) {
      const end = s.indexOf('?>', pos + 2);
      if (end < 0) fail('unterminated processing instruction', pos);
      pos = end + 2;
    } else if (s.startsWith('<!', pos)) {
      fail('DTDs and declarations are not accepted', pos);
    } else if (s.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(s);
      if (m === null) fail('bad end tag', pos);
      const qname = m[0];
      let p = pos + 2 + qname.length;
      while (/\s/.test(s.charAt(p))) p++;
      if (s.charAt(p) !== '>') fail('bad end tag', pos);
      const top = stack.pop();
      if (top === undefined || top.qname !== qname) fail(`mismatched end tag </${qname}>`, pos);
      pos = p + 1;
    } else {
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(s);
      if (m === null) fail('bad start tag', pos);
      const qname = m[0];
      let p = pos + 1 + qname.length;
      // attributes: name="v" / name='v', read and ignored
      for (;;) {
        const ws = p;
        while (/\s/.test(s.charAt(p))) p++;
        const c = s.charAt(p);
        if (c === '>' || c === '/' || c === '') break;
        if (p === ws) fail('attributes must be separated by white space', p);
        NAME.lastIndex = p;
        const a = NAME.exec(s);
        if (a === null) fail('bad attribute', p);
        p += a[0].length;
        while (/\s/.test(s.charAt(p))) p++;
        if (s.charAt(p) !== '=') fail('attribute without a value', p);
        p++;
        while (/\s/.test(s.charAt(p))) p++;
        const q = s.charAt(p);
        if (q !== '"' && q !== "'") fail('unquoted attribute value', p);
        const end = s.indexOf(q, p + 1);
        if (end < 0 || s.slice(p + 1, end).includes('<')) fail('bad attribute value', p);
        decodeReferences(s.slice(p + 1, end), p);
        p = end + 1;
      }
      let selfClosing = false;
      if (s.charAt(p) === '/') {
        selfClosing = true;
        p++;
      }
      if (s.charAt(p) !== '>') fail('unterminated start tag', pos);
      pos = p + 1;
      const el: XmlElement = { name: localName(qname), children: [], text: '', mixed: false };
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.el.children.push(el);
      else if (root !== null) fail('more than one root element', lt);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`, lt);
        stack.push({ el, qname });
      }
    }
  }
  if (stack.length > 0) fail(`unclosed element <${stack[stack.length - 1]!.qname}>`, s.length);
  if (root === null) fail('no root element', 0);
  markMixed(root);
  return root;
}

function markMixed(root: XmlElement): void {
  const todo = [root];
  for (let el = todo.pop(); el !== undefined; el = todo.pop()) {
    el.mixed = el.children.length > 0 && el.text.trim() !== '';
    todo.push(...el.children);
  }
}
