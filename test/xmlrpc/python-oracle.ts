/**
 * Python's xmlrpc.client (Debian's /usr/bin/python3) as an oracle: one
 * long-lived process running oracle.py, one JSON line per request. Also the
 * tagged-value helpers both sides compare through.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { INT_MAX, INT_MIN, type XmlRpcValue } from '../../src/xmlrpc/types.ts';

export const PYTHON = process.env['SUPCTL_PYTHON'] ?? '/usr/bin/python3';

export type Tagged =
  | { t: 'nil' }
  | { t: 'bool'; v: boolean }
  | { t: 'int' | 'double' | 'str' | 'b64' | 'dt'; v: string }
  | { t: 'arr'; v: Tagged[] }
  | { t: 'struct'; v: [string, Tagged][] };

export interface OracleAnswer {
  error?: string;
  xml?: string;
  params?: Tagged[];
  method?: string | null;
  fault?: { code: number; string: string };
  reload?: OracleAnswer;
}

export class PythonOracle {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    const script = fileURLToPath(new URL('./oracle.py', import.meta.url));
    this.proc = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (c: Buffer) => process.stderr.write(c));
    createInterface({ input: this.proc.stdout }).on('line', (l) => this.waiting.shift()?.(l));
  }

  ask(req: object): Promise<OracleAnswer> {
    return new Promise((resolve) => {
      this.waiting.push((l) => resolve(JSON.parse(l) as OracleAnswer));
      this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  close(): void {
    this.proc.stdin.end();
  }
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** The tag Python would give the value our encoder writes. */
export function tag(v: XmlRpcValue): Tagged {
  if (v === null) return { t: 'nil' };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'string') return { t: 'str', v };
  if (typeof v === 'bigint') return { t: 'int', v: String(v) };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX && !Object.is(v, -0)) {
      return { t: 'int', v: String(v) };
    }
    return { t: 'double', v: numText(v) };
  }
  if (Buffer.isBuffer(v)) return { t: 'b64', v: v.toString('base64') };
  if (v instanceof Date) {
    return {
      t: 'dt',
      v:
        `${pad(v.getUTCFullYear(), 4)}${pad(v.getUTCMonth() + 1, 2)}${pad(v.getUTCDate(), 2)}T` +
        `${pad(v.getUTCHours(), 2)}:${pad(v.getUTCMinutes(), 2)}:${pad(v.getUTCSeconds(), 2)}`,
    };
  }
  if (Array.isArray(v)) return { t: 'arr', v: v.map(tag) };
  return { t: 'struct', v: Object.entries(v).map(([k, x]) => [k, tag(x)]) };
}

function numText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0.0';
  return String(n);
}

function pyNumber(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/**
 * A form both sides can be compared in: ints and doubles are numbers (JS has
 * one number type; 3.0 comes back as 3), struct members sorted by key
 * (JavaScript objects put integer-like keys first).
 */
export function canon(t: Tagged): unknown {
  switch (t.t) {
    case 'int':
    case 'double':
      return ['n', numText(pyNumber(t.v))];
    case 'arr':
      return t.v.map(canon);
    case 'struct':
      return [...t.v]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canon(x)]);
    default:
      return t;
  }
}
