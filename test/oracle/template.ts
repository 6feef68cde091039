/**
 * The oracle's side of templated configs: fills `{{.name}}` / `{{ .name }}`
 * and `__NAME__` placeholders into a temp copy that python can read. Written
 * independently of src/config/template.ts, so the reader's rendering is checked.
 */
import { readFileSync } from 'node:fs';

/** KEY=VALUE lines (value verbatim after the first `=`), `#` comments, blank lines. */
export function readValuesFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/u)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new Error(`${file}: not KEY=VALUE: ${raw}`);
    values[raw.slice(0, eq).trim()] = raw.slice(eq + 1);
  }
  return values;
}

/** Replaces every placeholder whose name has a value; others are left as written. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) {
    const name = key.replace(/^__(.*)__$/u, '$1');
    out = out.replace(new RegExp(`\\{\\{\\s*\\.${name}\\s*\\}\\}`, 'gu'), () => value);
    out = out.split(`__${name}__`).join(value);
  }
  return out;
}
