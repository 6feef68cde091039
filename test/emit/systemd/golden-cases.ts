/**
 * The systemd golden cases (test/golden/systemd/, read by the shared loader
 * test/support/golden.ts): each case's input run through emitSystemd with a
 * fixed command lookup, giving every file plus report.txt. Shared by the
 * golden test, the verify test and scripts/golden-systemd.ts.
 */
import { readFileSync } from 'node:fs';
import { formatReport } from '../../../src/emit/report.ts';
import { emitSystemd } from '../../../src/emit/systemd/index.ts';
import type { EmittedFile, EmitResult } from '../../../src/emit/types.ts';
import type { GoldenCase } from '../../support/golden.ts';
import * as golden from '../../support/golden.ts';
import type { Assertion } from './golden-asserts.ts';
import { parseAssertions } from './golden-asserts.ts';

export interface SystemdCase extends GoldenCase {
  /** The case's name (its directory), also its project name unless options.name says otherwise. */
  name: string;
  project: string;
  /** Executables the config names that do not exist on a test machine (for systemd-analyze verify). */
  missing: string[];
}

interface Options {
  scope?: 'system' | 'user';
  inlineEnv?: boolean;
  logrotate?: boolean;
  name?: string;
}

export function goldenCases(): SystemdCase[] {
  return golden.goldenCases('systemd').map((c) => ({
    ...c,
    name: c.id,
    // a default project name never holds '-' (src/emit/project-name.ts)
    project: (c.spec.options as Options | undefined)?.name ?? c.id.replace(/-/g, '_'),
    missing: c.spec.missing ?? [],
  }));
}

export function emit(c: SystemdCase): EmitResult {
  const o = (c.spec.options ?? {}) as Options;
  return emitSystemd(golden.loadCase(c), {
    project: c.project,
    scope: o.scope ?? 'user',
    inlineEnv: o.inlineEnv ?? false,
    logrotate: o.logrotate ?? false,
    isExecutable: golden.goldenExecutable,
  });
}

/** Runs the emitter on one case: the generated files plus report.txt. */
export function generate(c: SystemdCase, r: EmitResult = emit(c)): EmittedFile[] {
  const report = golden.relativeToCase(c, formatReport(r.findings, 'text'));
  return [...r.files, { path: 'report.txt', content: report, mode: 0o644 }];
}

/** The `; ## assert-…` lines of the case's input. */
export function assertions(c: SystemdCase): Assertion[] {
  return parseAssertions(readFileSync(c.input, 'utf8'), c.project);
}

export const readExpected = golden.readExpected;
