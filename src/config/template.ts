/**
 * Templated supervisord configs (deploy platforms fill placeholders before
 * supervisord ever reads the file): Go-template `{{.name}}` / `{{ .name }}`
 * and `__NAME__` placeholders are replaced with raw text, before INI parsing.
 */
import { ConfigError } from './errors.ts';

/**
 * `{{.name}}` (optional blanks inside the braces), or `__NAME__` where NAME is
 * upper-case letters and digits in `_`-separated words, starting with a letter
 * (so `__A__B__` is `__A__` followed by text).
 */
const PLACEHOLDER =
  /\{\{[ \t]*\.([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}|__([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)__/g;
const GO_PLACEHOLDER = /\{\{[ \t]*\.[A-Za-z_][A-Za-z0-9_]*[ \t]*\}\}/;

/**
 * The first Go-template placeholder (`{{.name}}`) outside full-line comments,
 * for a file read without values: supervisor would take it literally.
 */
export function findGoPlaceholder(text: string): { line: number; placeholder: string } | null {
  if (!text.includes('{{')) return null;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (COMMENT_LINE.test(line)) continue;
    const m = GO_PLACEHOLDER.exec(line);
    if (m !== null) return { line: i + 1, placeholder: m[0] };
  }
  return null;
}

/** Cheap pre-check: a text without these cannot hold a placeholder. */
const MAYBE_PLACEHOLDER = /\{\{|__[A-Z]/;
const COMMENT_LINE = /^\s*[;#]/;

/**
 * Parses a values file: `KEY=VALUE` lines, blank lines and `#` comment lines.
 * The key is trimmed; the value is everything after the first `=`, verbatim.
 */
export function parseValuesText(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (key === '') {
      throw new ConfigError('E_TEMPLATE', `expected KEY=VALUE, got ${JSON.stringify(line)}`, {
        file,
        line: i + 1,
      });
    }
    Object.defineProperty(values, key, {
      value: line.slice(eq + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return values;
}

function lookup(values: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(values, key) ? values[key] : undefined;
}

/** Returns the value for one placeholder match, or undefined when none is given. */
function valueFor(
  values: Record<string, string>,
  goName: string | undefined,
  upperName: string | undefined,
): string | undefined {
  if (goName !== undefined) return lookup(values, goName);
  if (upperName === undefined) return undefined;
  return lookup(values, `__${upperName}__`) ?? lookup(values, upperName);
}

function renderLine(
  line: string,
  lineNo: number,
  file: string,
  values: Record<string, string>,
): string {
  return line.replace(
    PLACEHOLDER,
    (match: string, goName: string | undefined, upperName: string | undefined) => {
      const value = valueFor(values, goName, upperName);
      if (value === undefined) {
        const key = goName ?? `${upperName ?? ''}`;
        throw new ConfigError(
          'E_TEMPLATE',
          `unfilled template placeholder ${match}: no value for ${JSON.stringify(key)} ` +
            `(give one with --set ${key}=VALUE or --values FILE)`,
          { file, line: lineNo },
        );
      }
      if (value.includes('\n') || value.includes('\r')) {
        throw new ConfigError(
          'E_TEMPLATE',
          `the value for template placeholder ${match} contains a line break; ` +
            'a value is inserted as raw config text, so it must stay on one line',
          { file, line: lineNo },
        );
      }
      return value;
    },
  );
}

/**
 * Replaces every placeholder with its value. Placeholders on full-line
 * comments (first non-blank character `;` or `#`) are left alone. A text
 * without placeholders comes back unchanged (the same string).
 * Throws ConfigError E_TEMPLATE for a placeholder without a value, or a value
 * holding a line break.
 */
export function renderTemplate(text: string, file: string, values: Record<string, string>): string {
  if (!MAYBE_PLACEHOLDER.test(text)) return text;
  // Lines as Python's text mode sees them (universal newlines), separators kept.
  const parts = text.split(/(\r\n|\r|\n)/);
  let changed = false;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] ?? '';
    if (!MAYBE_PLACEHOLDER.test(line) || COMMENT_LINE.test(line)) continue;
    const rendered = renderLine(line, i / 2 + 1, file, values);
    if (rendered !== line) {
      parts[i] = rendered;
      changed = true;
    }
  }
  return changed ? parts.join('') : text;
}
