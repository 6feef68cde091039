/**
 * Client for test/oracle/primitives.py: sends every request to ONE python
 * process (Debian's python3 with supervisor 4.2.5) and returns the answers in
 * order.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./primitives.py', import.meta.url));
const PYTHON = process.env['SUPCTL_ORACLE_PYTHON'] ?? '/usr/bin/python3';

export interface PrimitiveRequest {
  fn: string;
  args: unknown[];
}

/** Python's answer: a value, or the exception's str() and type name (plus extras). */
export type PrimitiveAnswer =
  | { ok: unknown; bigint?: boolean }
  | { err: string; type: string; lineno?: number; file?: number; missing?: string };

export function isErr(a: PrimitiveAnswer): a is Extract<PrimitiveAnswer, { err: string }> {
  return 'err' in a;
}

export function askPython(requests: readonly PrimitiveRequest[]): PrimitiveAnswer[] {
  if (requests.length === 0) return [];
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const r = spawnSync(PYTHON, [SCRIPT], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
  });
  if (r.error) throw new Error(`cannot run the oracle (${PYTHON}): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`the oracle exited ${String(r.status)}:\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== requests.length) {
    throw new Error(`the oracle answered ${lines.length} of ${requests.length}:\n${r.stderr}`);
  }
  return lines.map((l) => JSON.parse(l) as PrimitiveAnswer);
}

/** Our side of one comparison, in the oracle's answer shape. */
export function ours(run: () => unknown, errorType: new (...a: never[]) => Error): PrimitiveAnswer {
  try {
    return { ok: run() };
  } catch (err) {
    if (err instanceof errorType) return { err: err.message, type: 'error' };
    throw err;
  }
}

/** Compares answers: equal values, or both errors with the same message. */
export function sameAnswer(python: PrimitiveAnswer, mine: PrimitiveAnswer): boolean {
  if (isErr(python) || isErr(mine)) {
    return isErr(python) && isErr(mine) && python.err === mine.err;
  }
  return JSON.stringify(python.ok) === JSON.stringify(mine.ok);
}

export interface DiffResult {
  total: number;
  agreed: number;
  /** The first few disagreements. */
  diffs: Array<{ input: unknown; python: PrimitiveAnswer; ours: PrimitiveAnswer }>;
}

/** One family of differential cases, with its types erased so that families can share one python run. */
export interface Check {
  requests: PrimitiveRequest[];
  judge(answers: readonly PrimitiveAnswer[]): DiffResult;
}

export function check<T>(
  cases: readonly T[],
  request: (c: T) => PrimitiveRequest,
  mine: (c: T) => PrimitiveAnswer,
  equal: (python: PrimitiveAnswer, ours: PrimitiveAnswer) => boolean = sameAnswer,
  keep = 5,
): Check {
  return {
    requests: cases.map(request),
    judge(answers) {
      const diffs: DiffResult['diffs'] = [];
      let agreed = 0;
      cases.forEach((c, i) => {
        const python = answers[i] as PrimitiveAnswer;
        const o = mine(c);
        if (equal(python, o)) agreed++;
        else if (diffs.length < keep) diffs.push({ input: c, python, ours: o });
      });
      return { total: cases.length, agreed, diffs };
    },
  };
}

/**
 * Runs every family through ONE python process, the first time the returned
 * function is called; later calls return the same results.
 */
export function runChecks<K extends string>(checks: Record<K, Check>): () => Record<K, DiffResult> {
  let results: Record<K, DiffResult> | undefined;
  return () => {
    if (results) return results;
    const names = Object.keys(checks) as K[];
    const answers = askPython(names.flatMap((k) => checks[k].requests));
    const out = {} as Record<K, DiffResult>;
    let at = 0;
    for (const k of names) {
      const n = checks[k].requests.length;
      out[k] = checks[k].judge(answers.slice(at, at + n));
      at += n;
    }
    results = out;
    return out;
  };
}
