import { Document, isPair, isScalar, Scalar, visit } from 'yaml';
import type { Tags } from 'yaml';

/**
 * Options that keep the output readable by YAML 1.1 readers (PyYAML in
 * docker-compose 1.29.2) and by YAML 1.2 readers alike: every string is
 * double-quoted, so `on`, `yes`, `10:20`, `0o17` stay strings
 * (reference/libraries.md §4).
 */
const MERGE_TAG = 'tag:yaml.org,2002:merge';
const DOC_OPTIONS = {
  version: '1.1',
  // Without the merge tag a string "<<" is a string (else it is written as a bare merge key).
  customTags: (tags: Tags) =>
    tags.filter((t) => (typeof t === 'string' ? t !== 'merge' : t.tag !== MERGE_TAG)),
} as const;
const TO_STRING = {
  defaultStringType: 'QUOTE_DOUBLE',
  defaultKeyType: 'PLAIN',
  lineWidth: 0,
} as const;

// Words YAML 1.1 reads as booleans or null when plain.
const YAML11_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

/** A mapping key that reads back as the same string in YAML 1.1 and 1.2 when written plain. */
function isPlainSafeKey(k: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !YAML11_WORDS.test(k);
}

// YAML 1.1 readers (PyYAML) break lines at these even inside double quotes,
// and the yaml package writes them raw: write YAML's own escapes instead.
const YAML11_BREAKS = /[\u0085\u2028\u2029]/g;
const BREAK_ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/** Text for a `#` comment: control characters and YAML 1.1 line breaks as `\u{…}`, so it stays one line. */
export function commentText(s: string): string {
  return s.replace(/[\p{Cc}\u0085\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * Serializes a plain JS value (objects, arrays, strings, numbers, booleans)
 * as YAML. Keys are plain where that is safe, double-quoted otherwise.
 */
export function toYaml(value: unknown, header?: string): string {
  const doc = new Document(value, DOC_OPTIONS);
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && typeof pair.key.value === 'string') {
        if (!isPlainSafeKey(pair.key.value)) pair.key.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  if (header !== undefined) doc.commentBefore = header;
  // every string is double-quoted and comments pass through commentText: these are inside quotes
  return doc.toString(TO_STRING).replace(YAML11_BREAKS, (c) => BREAK_ESCAPES[c]!);
}
