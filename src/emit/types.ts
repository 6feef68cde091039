import type { Finding } from '../model/finding.ts';

/** One file an emitter wants written, relative to the output directory. */
export interface EmittedFile {
  /** Relative path inside --out, '/'-separated; validated by writeFilesAtomically. */
  path: string;
  content: string;
  /** Octal file mode, e.g. 0o644; secrets (environment files) use 0o600. */
  mode: number;
}

/** What every emitter returns: files plus findings (warnings are values). */
export interface EmitResult {
  files: EmittedFile[];
  findings: Finding[];
}
