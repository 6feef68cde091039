import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  mkdirSync,
  fsyncSync,
  openSync,
  readdirSync,
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
    fsyncSync(fd); // the rename must never publish a file whose bytes are not on disk
  } finally {
    closeSync(fd);
  }
}

const TEMP_SUFFIX = '.supctl-tmp';

/** The name part of a temp file: the target's, or its hash where that would not fit NAME_MAX. */
function tempStem(target: string): string {
  const name = basename(target);
  return Buffer.byteLength(name) <= 200
    ? name
    : createHash('sha256').update(name).digest('hex').slice(0, 32);
}

/** `.NAME.PID.RANDOM.supctl-tmp`: the writer's pid says whether a leftover is stale. */
function tempName(target: string): string {
  return join(
    dirname(target),
    `.${tempStem(target)}.${process.pid}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files a killed writer left beside `target` (its pid is gone): ours to delete. */
function removeStaleTemps(target: string): void {
  const prefix = `.${tempStem(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith(TEMP_SUFFIX)) continue;
    const m = /^(\d+)\.[0-9a-f]{16}$/.exec(n.slice(prefix.length, -TEMP_SUFFIX.length));
    if (m && !alive(Number(m[1]))) rmSync(join(dirname(target), n), { force: true });
  }
}

/** Makes renames in `dir` durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every file or none: all contents go to temp files (random names,
 * created exclusively, synced) beside their targets first, then each is
 * renamed into place and the directories are synced. A failure before the
 * renames removes the temp files; the directories made for them stay.
 * Temp files of a writer that was killed are removed on the next write.
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
      removeStaleTemps(target);
      const tmp = tempName(target);
      writeNew(tmp, f.content, f.mode);
      temps.push(tmp);
    });
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    throw err;
  }
  temps.forEach((tmp, i) => renameSync(tmp, targets[i]!));
  for (const dir of new Set(targets.map((t) => dirname(t)))) syncDir(dir);
  return targets;
}
