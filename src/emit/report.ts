import type { Fidelity, Finding } from '../model/finding.ts';
import { formatOrigin } from '../model/origin.ts';

const ORDER: Record<Fidelity, number> = { NONE: 0, APPROX: 1, ADVICE: 2, EXACT: 3 };

/** Findings sorted for reading: worst first, then by file and line. */
function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      ORDER[a.fidelity] - ORDER[b.fidelity] ||
      (a.origin?.file ?? '').localeCompare(b.origin?.file ?? '') ||
      (a.origin?.line ?? 0) - (b.origin?.line ?? 0) ||
      a.key.localeCompare(b.key),
  );
}

/** The place a finding is printed at: its origin, else the program. */
function where(f: Finding): string {
  return f.origin ? formatOrigin(f.origin) : (f.program ?? '');
}

/**
 * One finding per printed line: a [supervisord] key that reaches N programs
 * is one fact in the config, not N (the JSON report keeps each program).
 */
function distinctLines(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = JSON.stringify([f.fidelity, where(f), f.key, f.message]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The findings report as text (one line each) or JSON. Never prints.
 * `paint` colours a fidelity word (the CLI decides when: src/cli/colour.ts).
 */
export function formatReport(
  findings: Finding[],
  format: 'text' | 'json',
  paint?: (f: Fidelity) => (text: string) => string,
): string {
  if (format === 'json') return JSON.stringify(sortFindings(findings), null, 2) + '\n';
  const distinct = distinctLines(sortFindings(findings));
  const lines = distinct
    .filter((f) => f.fidelity !== 'EXACT')
    .map((f) => `${fidelityWord(f.fidelity, paint)} ${where(f)}: ${f.message}`);
  const counts = { EXACT: 0, APPROX: 0, NONE: 0, ADVICE: 0 };
  for (const f of distinct) counts[f.fidelity]++;
  lines.push(
    `${counts.EXACT} exact, ${counts.APPROX} approximated, ${counts.NONE} not translatable` +
      (counts.ADVICE > 0 ? `, ${counts.ADVICE} advice` : ''),
  );
  return lines.join('\n') + '\n';
}

/** The fidelity, padded to its column outside any colour. */
function fidelityWord(f: Fidelity, paint?: (f: Fidelity) => (text: string) => string): string {
  return paint ? paint(f)(f) + ' '.repeat(Math.max(0, 6 - f.length)) : f.padEnd(6);
}

/** --strict: any APPROX or NONE finding fails the conversion (ADVICE is no loss of fidelity). */
export function strictViolations(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.fidelity === 'APPROX' || f.fidelity === 'NONE');
}
