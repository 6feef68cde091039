/**
 * The systemd golden fixtures: test/golden/systemd/<case>/ holds
 * input.conf or input.conf.tmpl, an optional `values` file, an optional
 * options.json ({scope, inlineEnv, logrotate, name}), an optional
 * verify-missing.txt (executables the real config names that do not exist on
 * this machine), and expected/: every generated file plus report.txt.
 * Shared by the golden test, the verify test and scripts/golden-systemd.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config/index.ts';
import { parseValuesText } from '../../../src/config/template.ts';
import { formatReport } from '../../../src/emit/report.ts';
import { emitSystemd } from '../../../src/emit/systemd/index.ts';
import type { EmittedFile } from '../../../src/emit/types.ts';

export const GOLDEN_DIR = fileURLToPath(new URL('../../golden/systemd/', import.meta.url));

export interface GoldenCase {
  name: string;
  dir: string;
  missing: string[];
}

export function goldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const dir = join(GOLDEN_DIR, name);
      const m = join(dir, 'verify-missing.txt');
      const missing = existsSync(m)
        ? readFileSync(m, 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '')
        : [];
      return { name, dir, missing };
    });
}

interface Options {
  scope?: 'system' | 'user';
  inlineEnv?: boolean;
  logrotate?: boolean;
  name?: string;
}

/** Runs the emitter on one case: the generated files plus report.txt. */
export function generate(c: GoldenCase): EmittedFile[] {
  const input = existsSync(join(c.dir, 'input.conf.tmpl'))
    ? join(c.dir, 'input.conf.tmpl')
    : join(c.dir, 'input.conf');
  const valuesFile = join(c.dir, 'values');
  const values = existsSync(valuesFile)
    ? parseValuesText(readFileSync(valuesFile, 'utf8'), valuesFile)
    : {};
  const optFile = join(c.dir, 'options.json');
  const o = (existsSync(optFile) ? JSON.parse(readFileSync(optFile, 'utf8')) : {}) as Options;
  const d = loadConfig(input, { values, env: { HOME: '/root', PATH: '/usr/bin:/bin' } });
  const r = emitSystemd(d, {
    project: o.name ?? c.name,
    scope: o.scope ?? 'user',
    inlineEnv: o.inlineEnv ?? false,
    logrotate: o.logrotate ?? false,
  });
  // origins are absolute paths: make the report independent of the checkout
  const report = formatReport(r.findings, 'text')
    .split(c.dir + '/')
    .join('');
  return [...r.files, { path: 'report.txt', content: report, mode: 0o644 }];
}

/** Every file under expected/, relative paths → contents. */
export function readExpected(c: GoldenCase): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(c.dir, 'expected');
  const walk = (rel: string) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else out.set(p, readFileSync(join(root, p), 'utf8'));
    }
  };
  if (existsSync(root)) walk('');
  return out;
}
