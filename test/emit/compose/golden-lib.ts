/**
 * Golden cases for the compose target: test/golden/compose/<case>/, read by
 * the shared loader (test/support/golden.ts; case.json names the input, values
 * and `options`: ComposeOptions overrides). `expected/` holds every emitted
 * file, plus `report.txt` (the findings report, paths relative to the case
 * directory) and `modes.txt` (each file's mode).
 * `make golden` (scripts/golden-compose.ts) rewrites expected/ from the code.
 */
import { emitCompose } from '../../../src/emit/compose/index.ts';

type ComposeOptions = Parameters<typeof emitCompose>[1];
import { formatReport } from '../../../src/emit/report.ts';
import type { GoldenCase } from '../../support/golden.ts';
import { goldenCases, loadCase, relativeToCase } from '../../support/golden.ts';

export interface GoldenOutput {
  /** Relative path → content, including report.txt. */
  files: Map<string, { content: string; mode: number }>;
}

export function listCases(): GoldenCase[] {
  return goldenCases('compose');
}

export function caseOptions(c: GoldenCase): ComposeOptions {
  const over = (c.spec.options ?? {}) as Partial<ComposeOptions>;
  return {
    project: 'golden',
    image: 'registry.example/app:1.0',
    images: {},
    envFile: false,
    swarm: false,
    shellWrap: false,
    ...over,
  };
}

/** Runs the emitter on one case, the way `supctl convert --to compose` does. */
export function runCase(c: GoldenCase): GoldenOutput {
  const r = emitCompose(loadCase(c), caseOptions(c));
  const files = new Map<string, { content: string; mode: number }>();
  for (const f of r.files) files.set(f.path, { content: f.content, mode: f.mode });
  const modes = r.files.map((f) => `${f.path} ${f.mode.toString(8).padStart(4, '0')}`).join('\n');
  files.set('modes.txt', { content: modes + '\n', mode: 0o644 });
  const report = relativeToCase(c, formatReport(r.findings, 'text'));
  files.set('report.txt', { content: report, mode: 0o644 });
  return { files };
}
