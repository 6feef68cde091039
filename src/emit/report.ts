import type { Fidelity, Finding } from '../model/finding.ts';
import { formatOrigin } from '../model/origin.ts';

const ORDER: Record<Fidelity, number> = { NONE: 0, APPROX: 1, EXACT: 2 };

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

/** The findings report as text (one line each) or JSON. Never prints. */
export function formatReport(findings: Finding[], format: 'text' | 'json'): string {
  const sorted = sortFindings(findings);
  if (format === 'json') return JSON.stringify(sorted, null, 2) + '\n';
  const lines = sorted
    .filter((f) => f.fidelity !== 'EXACT')
    .map((f) => {
      const where = f.origin ? formatOrigin(f.origin) : (f.program ?? '');
      return `${f.fidelity.padEnd(6)} ${where}: ${f.message}`;
    });
  const counts = { EXACT: 0, APPROX: 0, NONE: 0 };
  for (const f of findings) counts[f.fidelity]++;
  lines.push(
    `${counts.EXACT} exact, ${counts.APPROX} approximated, ${counts.NONE} not translatable`,
  );
  return lines.join('\n') + '\n';
}

/** --strict: any APPROX or NONE finding fails the conversion. */
export function strictViolations(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.fidelity !== 'EXACT');
}
