/**
 * The one golden loader (see test/golden/README.md): test/golden/<suite>/<case>/case.json
 * describes a case's input the same way for every suite (parse, systemd,
 * compose); expected/ beside it holds what supctl must produce. Used by the
 * golden tests and by `make golden` (scripts/golden*.ts).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.ts';
import { parseValuesText } from '../../src/config/template.ts';
import type { Deployment } from '../../src/model/index.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const GOLDEN_ROOT = join(REPO, 'test', 'golden');

/** case.json. Paths are relative to the repository root, except `input` (to the case dir). */
export interface CaseSpec {
  /** What the case is for. */
  description: string;
  /** The config file in the case dir. */
  input: string;
  /** Where the input is copied from, kept byte-identical (`make golden` refreshes it). */
  source?: string;
  /** A values file for template placeholders (`--values`). */
  values?: string;
  /** Environment the config is read with (the source of %(ENV_X)s); none by default. */
  env?: Record<string, string>;
  /** The target's options (systemd: scope, inlineEnv, logrotate, name; compose: ComposeOptions). */
  options?: Record<string, unknown>;
  /** systemd: executables the config names that do not exist on any test machine. */
  missing?: string[];
}

export interface GoldenCase {
  suite: string;
  /** The case directory's name, e.g. `killmode-mixed`. */
  id: string;
  dir: string;
  spec: CaseSpec;
  /** Absolute path of the input. */
  input: string;
  expectedDir: string;
}

/** Every case of a suite, sorted; a directory without case.json is an error. */
export function goldenCases(suite: string): GoldenCase[] {
  const root = join(GOLDEN_ROOT, suite);
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((id) => {
      const dir = join(root, id);
      const file = join(dir, 'case.json');
      if (!existsSync(file)) throw new Error(`${dir}: no case.json (see test/golden/README.md)`);
      const spec = JSON.parse(readFileSync(file, 'utf8')) as CaseSpec;
      return {
        suite,
        id,
        dir,
        spec,
        input: join(dir, spec.input),
        expectedDir: join(dir, 'expected'),
      };
    });
}

export function valuesFile(c: GoldenCase): string | undefined {
  return c.spec.values === undefined ? undefined : resolve(REPO, c.spec.values);
}

/** The Deployment of a case, read as on any machine: fixed environment and host name. */
export function loadCase(c: GoldenCase): Deployment {
  const vf = valuesFile(c);
  return loadConfig(c.input, {
    values: vf === undefined ? {} : parseValuesText(readFileSync(vf, 'utf8'), vf),
    env: c.spec.env ?? {},
    hostNodeName: 'node1',
  });
}

/**
 * The disk goldens resolve bare command names on: every name exists in
 * /usr/bin and nowhere else, whatever this machine has.
 */
export function goldenExecutable(path: string): boolean {
  return /^\/usr\/bin\/[^/]+$/.test(path);
}

/** Text with the case directory taken out of absolute paths (reports name file:line). */
export function relativeToCase(c: GoldenCase, text: string): string {
  return text.split(c.dir + '/').join('');
}

/** Copies the input from its source; true when it changed. */
export function refreshInput(c: GoldenCase): boolean {
  if (c.spec.source === undefined) return false;
  const src = resolve(REPO, c.spec.source);
  const same = existsSync(c.input) && readFileSync(src).equals(readFileSync(c.input));
  if (!same) copyFileSync(src, c.input);
  return !same;
}

/** Every file under expected/: relative path → content. */
export function readExpected(c: GoldenCase): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(c.expectedDir)) return out;
  const entries = readdirSync(c.expectedDir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out.set(abs.slice(c.expectedDir.length + 1), readFileSync(abs, 'utf8'));
  }
  return out;
}

/** Replaces expected/ with these files (modes are not kept: goldens stay readable). */
export function writeExpected(c: GoldenCase, files: { path: string; content: string }[]): void {
  rmSync(c.expectedDir, { recursive: true, force: true });
  for (const f of files) {
    const target = join(c.expectedDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
}
