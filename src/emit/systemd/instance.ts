/**
 * numprocs > 1: one template unit, one instance per process. The instance
 * is the process number formatted as `%(process_num)…` is in the program's
 * process_name (else command, else `%d`), using Python's %-formatting.
 * Each per-process value becomes a template by putting the INSTANCE marker
 * where the instance string stands, verified against every process; when a
 * value cannot be expressed that way, the caller writes one unit file per
 * instance instead.
 */
import { INSTANCE } from './escape.ts';

const SPEC = /%\(process_num\)([#0\- +]*)(\d*)(?:\.(\d+))?([diouxXsr])/;

/** Python `'%<flags><width><conv>' % n` for the conversions supervisor configs use. */
export function pyFormatInt(n: number, flags: string, width: string, conv: string): string {
  let body: string;
  const abs = Math.abs(n);
  switch (conv) {
    case 'o':
      body = (flags.includes('#') ? '0o' : '') + abs.toString(8);
      break;
    case 'x':
      body = (flags.includes('#') ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      body = (flags.includes('#') ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    default:
      body = String(abs);
  }
  let sign = n < 0 ? '-' : '';
  if (sign === '' && conv !== 's' && conv !== 'r') {
    if (flags.includes('+')) sign = '+';
    else if (flags.includes(' ')) sign = ' ';
  }
  const w = width === '' ? 0 : Number(width);
  const len = sign.length + body.length;
  if (len >= w) return sign + body;
  if (flags.includes('-')) return sign + body + ' '.repeat(w - len);
  if (flags.includes('0') && conv !== 's' && conv !== 'r') return sign + '0'.repeat(w - len) + body;
  return ' '.repeat(w - len) + sign + body;
}

/** The instance string of every process number, from the first raw value using %(process_num). */
export function instanceNames(nums: number[], rawCandidates: (string | undefined)[]): string[] {
  for (const raw of rawCandidates) {
    const m = raw === undefined ? null : SPEC.exec(raw);
    if (m) return nums.map((n) => pyFormatInt(n, m[1] ?? '', m[2] ?? '', m[4] ?? 'd'));
  }
  return nums.map(String);
}

function popcount(n: number): number {
  let c = 0;
  for (let m = n; m > 0; m >>= 1) c += m & 1;
  return c;
}

function occurrences(s: string, sub: string): number[] {
  const out: number[] = [];
  if (sub === '') return out;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) out.push(i);
  return out;
}

/**
 * A template t with INSTANCE markers such that t with INSTANCE replaced by
 * instances[i] equals values[i] for every i; null if there is none among the
 * candidates tried (every subset of the first value's occurrences, up to 10).
 */
export function templateOf(values: string[], instances: string[]): string | null {
  const first = values[0];
  const inst0 = instances[0];
  if (first === undefined || inst0 === undefined) return null;
  const fits = (t: string) => values.every((v, i) => t.split(INSTANCE).join(instances[i]) === v);
  if (values.every((v) => v === first)) return first;
  const occ = occurrences(first, inst0);
  if (occ.length === 0 || occ.length > 12) return null;
  // try the largest sets of non-overlapping occurrences first
  const masks = Array.from({ length: (1 << occ.length) - 1 }, (_, i) => i + 1).sort(
    (a, b) => popcount(b) - popcount(a) || a - b,
  );
  for (const mask of masks) {
    let t = '';
    let last = 0;
    let ok = true;
    occ.forEach((p, bit) => {
      if (!(mask & (1 << bit))) return;
      if (p < last) ok = false;
      t += first.slice(last, p) + INSTANCE;
      last = p + inst0.length;
    });
    if (!ok) continue;
    t += first.slice(last);
    if (fits(t)) return t;
  }
  return null;
}

/** templateOf for lists of equal length (argv). */
export function templateOfList(lists: string[][], instances: string[]): string[] | null {
  const n = lists[0]?.length ?? 0;
  if (lists.some((l) => l.length !== n)) return null;
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const t = templateOf(
      lists.map((l) => l[k]!),
      instances,
    );
    if (t === null) return null;
    out.push(t);
  }
  return out;
}
