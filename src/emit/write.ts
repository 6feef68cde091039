import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { EmittedFile } from './types.ts';

/** A file name an emitter produced that would land outside --out or is otherwise unsafe. */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
}

/** Resolves `rel` inside `outDir`, refusing anything that could escape it. */
export function safeJoin(outDir: string, rel: string): string {
  // a backslash is only allowed as systemd-escape's \xNN (unit names)
  if (rel === '' || rel.includes('\0') || isAbsolute(rel) || /\\(?!x[0-9a-f]{2})/.test(rel)) {
    throw new UnsafePathError(
      `refusing to write ${JSON.stringify(rel)}: not a plain relative path`,
    );
  }
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new UnsafePathError(
      `refusing to write ${JSON.stringify(rel)}: empty, '.' or '..' component`,
    );
  }
  const root = resolve(outDir);
  const full = resolve(root, ...parts);
  const back = relative(root, full);
  if (back.startsWith('..') || isAbsolute(back) || back.split(sep)[0] === '..') {
    throw new UnsafePathError(`refusing to write ${JSON.stringify(rel)}: outside ${root}`);
  }
  return full;
}

/**
 * Writes every file or none: all contents go to temp files beside their
 * targets first, then each is renamed into place. A failure before the
 * renames removes the temp files and leaves the directory as it was.
 */
export function writeFilesAtomically(outDir: string, files: EmittedFile[]): string[] {
  const targets = files.map((f) => safeJoin(outDir, f.path));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t)) throw new UnsafePathError(`two outputs would be written to ${t}`);
    seen.add(t);
  }
  const temps: string[] = [];
  try {
    files.forEach((f, i) => {
      const target = targets[i]!;
      mkdirSync(dirname(target), { recursive: true });
      const tmp = join(dirname(target), `.${process.pid}.${i}.supctl-tmp`);
      temps.push(tmp);
      writeFileSync(tmp, f.content, { mode: f.mode });
      chmodSync(tmp, f.mode); // umask must not widen or narrow what the emitter asked for
    });
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    throw err;
  }
  temps.forEach((tmp, i) => renameSync(tmp, targets[i]!));
  return targets;
}
