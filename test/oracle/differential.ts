/**
 * Differential runs: the same configs through supervisor's parser (one python
 * process for the whole batch) and through supctl's reader (in-process), with
 * a readable report and a line-deleting shrinker for disagreements.
 */
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, toParseJson } from '../../src/config/index.ts';
import { compare, firstDifference, isError, runOracle } from './run-oracle.ts';
import type { Answer, Verdict } from './run-oracle.ts';
import { writeCase } from './cases.ts';
import type { Case } from './cases.ts';

/** What supctl's reader makes of a file: the parse --json document, or its ConfigError. */
export function readWithSupctl(
  file: string,
  env: Record<string, string>,
  host: string,
  values?: Record<string, string>,
): { answer: Answer; crash?: string } {
  try {
    const opts = values ? { env, hostNodeName: host, values } : { env, hostNodeName: host };
    const json = JSON.stringify(toParseJson(loadConfig(file, opts)));
    return { answer: JSON.parse(json) as Answer };
  } catch (err) {
    if (err instanceof ConfigError) return { answer: { error: err.message } };
    const crash = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { answer: { error: crash }, crash };
  }
}

export interface CaseResult {
  c: Case;
  main: string;
  verdict: Verdict;
}

/** Runs every case through both parsers (python in one batch). */
export function runCases(root: string, cases: readonly Case[]): CaseResult[] {
  const mains = cases.map((c) => writeCase(root, c));
  const python = runOracle(
    cases.map((c, i) => ({ file: mains[i] ?? '', env: c.env, host: c.host })),
  );
  return cases.map((c, i) => {
    const main = mains[i] ?? '';
    const ours = readWithSupctl(main, c.env, c.host);
    return {
      c,
      main,
      verdict: compare(python[i] ?? { error: 'no answer' }, ours.answer, ours.crash),
    };
  });
}

const visible = (s: string): string =>
  s.replace(/[^\n\x20-\x7e]/gu, (ch) => {
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
  });

/** The config text(s), python's answer and ours, and where they first differ. */
export function describe(r: CaseResult): string {
  const { python, ours, crash } = r.verdict;
  const files = r.c.files
    .map((f) => `--- ${f.path} (escaped: \\r \\t \\u{..})\n${visible(f.text)}`)
    .join('\n');
  const brief = (a: Answer): string => (isError(a) ? `REJECT ${a.error}` : JSON.stringify(a));
  const diff =
    !isError(python) && !isError(ours)
      ? `first difference: ${firstDifference(python, ours)}`
      : 'one side rejects, the other accepts';
  return [
    `case ${r.c.name} (${r.main}) env=${JSON.stringify(r.c.env)} host=${JSON.stringify(r.c.host)}`,
    files,
    `--- python: ${brief(python)}`,
    `--- ours:   ${crash !== undefined ? `CRASH ${crash}` : brief(ours)}`,
    diff,
  ].join('\n');
}

/**
 * Shrinks a disagreeing case by deleting lines while python and supctl still
 * disagree (each round is one oracle batch), until `deadline` (ms since the
 * epoch). Returns the smallest disagreeing case found, if any.
 */
export function shrinkCase(root: string, c: Case, deadline: number): CaseResult | undefined {
  let best = c;
  let bestResult: CaseResult | undefined;
  for (let round = 0; Date.now() < deadline; round++) {
    const candidates: Case[] = [];
    best.files.forEach((f, fi) => {
      const lines = f.text.split(/(?<=\n)/u);
      for (let li = 0; li < lines.length; li++) {
        const text = lines.filter((_, j) => j !== li).join('');
        const files = best.files.map((g, gi) => (gi === fi ? { ...g, text } : g));
        candidates.push({ ...best, name: `${c.name}-s${round}-${candidates.length}`, files });
      }
      if (fi > 0) {
        const files = best.files.filter((_, gi) => gi !== fi);
        candidates.push({ ...best, name: `${c.name}-s${round}-${candidates.length}`, files });
      }
    });
    const still = runCases(root, candidates).find((r) => !r.verdict.agree);
    if (!still) break;
    best = still.c;
    bestResult = still;
  }
  return bestResult;
}
