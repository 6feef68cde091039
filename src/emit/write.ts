import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/** Directories supctl creates: explicit, so a umask of 000 cannot make them world-writable. */
const DIR_MODE = 0o755;

/** mkdir + chmod: mkdir's mode passes through the umask, chmod does not. */
function makeDir(dir: string): void {
  mkdirSync(dir, { mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
}

/** Creates `dir` and its missing ancestors with DIR_MODE (existing ones are left as they are). */
function ensureRoot(dir: string): void {
  try {
    if (statSync(dir).isDirectory()) return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    ensureRoot(dirname(dir));
    makeDir(dir);
    return;
  }
  throw new UnsafePathError(`refusing to write into ${dir}: not a directory`);
}

/**
 * Makes the directories between `root` and `target`, refusing a symlink at
 * any component below `root` (the file itself included): a link planted
 * inside --out must not send a write elsewhere.
 */
function prepareParents(root: string, target: string): void {
  const parts = relative(root, target).split(sep);
  let at = root;
  parts.forEach((part, i) => {
    at = join(at, part);
    const last = i === parts.length - 1;
    let st: Stats;
    try {
      st = lstatSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (!last) makeDir(at);
      return;
    }
    if (st.isSymbolicLink()) {
      throw new UnsafePathError(`refusing to write ${target}: ${at} is a symlink`);
    }
    if (!last && !st.isDirectory()) {
      throw new UnsafePathError(`refusing to write ${target}: ${at} is not a directory`);
    }
  });
}

/** A new file at `tmp` with exactly `mode`: never an existing file, never through a symlink. */
function writeNew(tmp: string, content: string | Uint8Array, mode: number): void {
  const fd = openSync(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    fchmodSync(fd, mode); // umask must not widen or narrow what the emitter asked for
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every file or none: all contents go to temp files (random names,
 * created exclusively) beside their targets first, then each is renamed
 * into place. A failure before the renames removes the temp files; the
 * directories made for them stay.
 */
export function writeFilesAtomically(outDir: string, files: EmittedFile[]): string[] {
  const targets = files.map((f) => safeJoin(outDir, f.path));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t)) throw new UnsafePathError(`two outputs would be written to ${t}`);
    seen.add(t);
  }
  const root = resolve(outDir);
  const temps: string[] = [];
  try {
    ensureRoot(root);
    files.forEach((f, i) => {
      const target = targets[i]!;
      prepareParents(root, target);
      const tmp = join(
        dirname(target),
        `.${basename(target)}.${randomBytes(8).toString('hex')}.supctl-tmp`,
      );
      writeNew(tmp, f.content, f.mode);
      temps.push(tmp);
    });
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    throw err;
  }
  temps.forEach((tmp, i) => renameSync(tmp, targets[i]!));
  return targets;
}
