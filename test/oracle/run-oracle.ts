/**
 * Runs supervisor 4.2.5's own parser (test/oracle/supervisor_oracle.py) on many
 * configs through ONE python process, and compares its answers with supctl's
 * reader (loadConfig + toParseJson), normalized as `supctl parse --json` prints.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

export const ORACLE_SCRIPT = fileURLToPath(new URL('./supervisor_oracle.py', import.meta.url));
/** Debian's python3, which has supervisor 4.2.5 installed. */
export const PYTHON = process.env['SUPCTL_ORACLE_PYTHON'] ?? '/usr/bin/python3';

export interface OracleRequest {
  /** Absolute path of the config (a main config, or a conf.d fragment). */
  file: string;
  /** os.environ for supervisord (the source of %(ENV_X)s). */
  env: Record<string, string>;
  /** platform.node(), i.e. %(host_node_name)s. */
  host: string;
}

/** The parse-json.md document, or a rejection. Kept as plain JSON data. */
export type Answer = { groups: unknown[] } | { error: string };

export function isError(a: Answer): a is { error: string } {
  return 'error' in a;
}

/** Runs every request through one python process; answers come back in order. */
export function runOracle(requests: readonly OracleRequest[]): Answer[] {
  if (requests.length === 0) return [];
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const r = spawnSync(PYTHON, [ORACLE_SCRIPT], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PYTHONUTF8: '1', LC_ALL: 'C.UTF-8' },
  });
  if (r.error) throw new Error(`cannot run the oracle (${PYTHON}): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`the oracle exited ${String(r.status)}:\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== requests.length) {
    throw new Error(`the oracle answered ${lines.length} of ${requests.length}:\n${r.stderr}`);
  }
  return lines.map((l) => JSON.parse(l) as Answer);
}

/** One comparison between python's answer and the reader's. */
export interface Verdict {
  agree: boolean;
  python: Answer;
  ours: Answer;
  /** Set when the reader threw something other than a ConfigError (always a bug). */
  crash?: string;
}

/** Equal JSON, or both reject (messages are not compared). */
export function compare(python: Answer, ours: Answer, crash?: string): Verdict {
  if (crash !== undefined) return { agree: false, python, ours, crash };
  const agree =
    isError(python) && isError(ours)
      ? true
      : !isError(python) && !isError(ours) && isDeepStrictEqual(python, ours);
  return { agree, python, ours };
}

/** A short description of the first difference between two answers. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return `${path}: python ${JSON.stringify(a)} / ours ${JSON.stringify(b)}`;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    return `${path}.length: python ${a.length} / ours ${b.length}`;
  }
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const k of keys) {
    const label = /^\d+$/.test(k) ? `${path}[${k}]` : `${path}.${k}`;
    if (!(k in ra)) return `${label}: missing in python's answer`;
    if (!(k in rb)) return `${label}: missing in ours`;
    const d = firstDifference(ra[k], rb[k], label);
    if (d) return d;
  }
  return `${path}: differs`;
}
