/** Differential inputs: a config and the files it includes, written to a temp dir. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CaseFile {
  /** Relative to the case directory. */
  path: string;
  text: string;
}

/** One differential input: files[0] is the config given to both parsers. */
export interface Case {
  name: string;
  files: CaseFile[];
  env: Record<string, string>;
  host: string;
}

/** Writes a case's files under root/<name>/ and returns the main file's absolute path. */
export function writeCase(root: string, c: Case): string {
  const dir = join(root, c.name);
  for (const f of c.files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
  return join(dir, c.files[0]?.path ?? 'main.conf');
}
