/**
 * --edit-config: the migrated groups' sections commented out in the file
 * that holds each (the main config or an included one), under a marker
 * line, so a restart of supervisord does not bring them back. Each edited
 * file gets a backup beside it (FILE.supctl-bak) holding the original; every
 * edit is rendered from that original, and a full rollback puts it back
 * byte for byte.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Group } from '../../model/group.ts';
import { writeFilesAtomically } from '../../emit/write.ts';
import { MigrateError } from './errors.ts';

export const BACKUP_SUFFIX = '.supctl-bak';

/** One section of one file: 1-based first and last line (trailing blank lines left out). */
export interface SectionRange {
  file: string;
  section: string;
  first: number;
  last: number;
}

const HEADER = /^\[([^\]]*)\]/;

/** The sections a group was read from: a [group:x] and its programs, or the one program. */
function sectionsOf(g: Group): { file: string; section: string; line: number }[] {
  const all = [g.origin, ...g.programs.map((p) => p.origin)];
  const seen = new Set<string>();
  return all
    .map((o) => ({ file: o.file, section: o.section, line: o.line }))
    .filter((s) => {
      const k = `${s.file}\0${s.section}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/** Where each of the group's sections is in `lines` (the file's text split on \n). */
export function sectionRanges(
  g: Group,
  read: (file: string) => string[] = (f) => readFileSync(f, 'utf8').split('\n'),
): SectionRange[] {
  return sectionsOf(g).map(({ file, section }) => {
    const lines = read(file);
    const first = lines.findIndex((l) => HEADER.exec(l)?.[1]?.trim() === section);
    if (first < 0) {
      throw new MigrateError(`${file}: [${section}] of group ${g.name} is not in this file`);
    }
    let end = lines.findIndex((l, i) => i > first && HEADER.test(l));
    if (end < 0) end = lines.length;
    while (end - 1 > first && lines[end - 1]!.trim() === '') end--;
    return { file, section, first: first + 1, last: end };
  });
}

/** `original` with each range commented out under `marker`. */
export function commentOut(original: string, ranges: SectionRange[], marker: string): string {
  const lines = original.split('\n');
  // bottom-up, so earlier line numbers stay true
  for (const r of [...ranges].sort((a, b) => b.first - a.first)) {
    const body = lines.slice(r.first - 1, r.last).map((l) => (l.trim() === '' ? l : `; ${l}`));
    lines.splice(r.first - 1, r.last - r.first + 1, marker, ...body);
  }
  return lines.join('\n');
}

function writeFile(path: string, content: string, mode: number): void {
  writeFilesAtomically(dirname(path), [{ path: basename(path), content, mode }]);
}

const modeOf = (path: string): number => statSync(path).mode & 0o7777;

/** A backup the journal does not name is someone else's: never overwritten. */
export function refuseForeignBackup(file: string): void {
  const backup = file + BACKUP_SUFFIX;
  if (existsSync(backup)) {
    throw new MigrateError(
      `${backup} exists and is not supctl's backup of this migration: move it away first`,
    );
  }
}

/** Makes sure `file`'s backup (one the journal names) holds its original. */
export function ensureBackup(file: string): void {
  const backup = file + BACKUP_SUFFIX;
  if (!existsSync(backup)) writeFile(backup, readFileSync(file, 'utf8'), modeOf(file));
}

/** Rewrites `file` from its backup with `ranges` commented out; no ranges: the original back, backup removed. */
export function renderFromBackup(file: string, ranges: SectionRange[], marker: string): void {
  const backup = file + BACKUP_SUFFIX;
  const original = readFileSync(backup, 'utf8');
  if (ranges.length === 0) {
    writeFile(file, original, modeOf(backup));
    rmSync(backup);
    return;
  }
  writeFile(file, commentOut(original, ranges, marker), modeOf(backup));
}
