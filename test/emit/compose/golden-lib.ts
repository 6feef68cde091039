/**
 * Golden cases for the compose target: test/golden/compose/<case>/ holds
 *   - the input: the one file named `*.conf` or `*.conf.tmpl` (or `supervisord.conf`);
 *   - `values` (optional): KEY=VALUE lines for template placeholders;
 *   - `options.json` (optional): ComposeOptions overrides (project, image, images,
 *     envFile, swarm, shellWrap);
 *   - `expected/`: every emitted file, plus `report.txt` (the findings report,
 *     paths relative to the case directory) and `modes.txt` (each file's mode).
 * `make golden` (scripts/golden-compose.ts) rewrites expected/ from the code.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../src/config/index.ts';
import { emitCompose } from '../../../src/emit/compose/index.ts';
import type { ComposeOptions } from '../../../src/emit/compose/types.ts';
import { formatReport } from '../../../src/emit/report.ts';

export const GOLDEN_ROOT = resolve(import.meta.dirname, '../../golden/compose');

export interface GoldenOutput {
  /** Relative path → content, including report.txt. */
  files: Map<string, { content: string; mode: number }>;
}

export function listCases(): string[] {
  if (!existsSync(GOLDEN_ROOT)) return [];
  return readdirSync(GOLDEN_ROOT)
    .filter((n) => statSync(join(GOLDEN_ROOT, n)).isDirectory())
    .sort()
    .map((n) => join(GOLDEN_ROOT, n));
}

function inputFile(dir: string): string {
  const inputs = readdirSync(dir).filter((n) => /\.conf(\.tmpl)?$/.test(n));
  if (inputs.length !== 1) {
    throw new Error(
      `${dir}: expected exactly one *.conf or *.conf.tmpl input, found ${inputs.length}`,
    );
  }
  return join(dir, inputs[0]!);
}

function readValues(dir: string): Record<string, string> {
  const p = join(dir, 'values');
  if (!existsSync(p)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export function caseOptions(dir: string): ComposeOptions {
  const p = join(dir, 'options.json');
  const over = existsSync(p)
    ? (JSON.parse(readFileSync(p, 'utf8')) as Partial<ComposeOptions>)
    : {};
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
export function runCase(dir: string): GoldenOutput {
  // A fixed environment and host name: goldens must not depend on the machine.
  const d = loadConfig(inputFile(dir), {
    values: readValues(dir),
    env: {},
    hostNodeName: 'node1',
  });
  const r = emitCompose(d, caseOptions(dir));
  const files = new Map<string, { content: string; mode: number }>();
  for (const f of r.files) files.set(f.path, { content: f.content, mode: f.mode });
  const modes = r.files.map((f) => `${f.path} ${f.mode.toString(8).padStart(4, '0')}`).join('\n');
  files.set('modes.txt', { content: modes + '\n', mode: 0o644 });
  const report = formatReport(r.findings, 'text')
    .split(dir + '/')
    .join('');
  files.set('report.txt', { content: report, mode: 0o644 });
  return { files };
}
