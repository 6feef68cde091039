/**
 * The state one migrate or rollback run works on: the journal, the two
 * sides, and the two actions every step shares (install what the journal
 * holds on the new side; render the config files from what it holds).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Deployment } from '../../model/deployment.ts';
import { BackendError, type Backend } from '../types.ts';
import {
  BACKUP_SUFFIX,
  ensureBackup,
  refuseForeignBackup,
  renderFromBackup,
  sectionRanges,
} from './config-edit.ts';
import type { SectionRange } from './config-edit.ts';
import { reached, writeJournal, type Journal } from './journal.ts';
import type { OldSide } from './old-side.ts';
import type { MigrateEvent } from './steps.ts';

/** A file's text as first read: its backup when --edit-config made one. */
export function originalLines(file: string): string[] {
  const bak = file + BACKUP_SUFFIX;
  return readFileSync(existsSync(bak) ? bak : file, 'utf8').split('\n');
}

export class MigrateRun {
  constructor(
    readonly d: Deployment,
    readonly journal: Journal,
    private readonly journalFile: string,
    readonly old: OldSide,
    readonly target: Backend,
    readonly emit: (e: MigrateEvent) => void,
    readonly startTimeoutMs: number,
    /** --edit-config was given (now or by the run that began the migration). */
    readonly editing: boolean,
  ) {}

  save(): void {
    writeJournal(this.journalFile, this.journal);
  }

  /** The groups the new side should hold: every recorded one not being rolled back. */
  private kept() {
    return Object.values(this.journal.groups).filter((e) => e.rollingBack !== true);
  }

  /** Installs (never starts) the kept groups on the new side; none kept: the project goes. */
  async installNew(): Promise<void> {
    const models = this.kept().map((e) => e.model);
    if (models.length === 0) {
      try {
        await this.target.remove();
      } catch (e) {
        if (!(e instanceof BackendError && e.code === 'NOT_FOUND')) throw e;
      }
      return;
    }
    await this.target.apply(
      { ...this.d, groups: models },
      { dryRun: false, onlyChanges: true, noStart: true },
    );
  }

  /**
   * Renders each config file from its original: the sections of every group
   * supervisord no longer runs (removed-old reached, not rolled back)
   * commented out; a file left with none gets its original back.
   */
  editConfig(): void {
    if (!this.editing && this.journal.edited.length === 0) return;
    const ranges: SectionRange[] = this.kept()
      .filter((e) => reached(e.step, 'removed-old'))
      .flatMap((e) => sectionRanges(e.model, originalLines));
    const files = new Set([
      ...this.journal.edited.map((x) => x.file),
      ...ranges.map((r) => r.file),
    ]);
    for (const file of files) {
      const mine = ranges.filter((r) => r.file === file);
      const known = this.journal.edited.some((x) => x.file === file);
      if (mine.length > 0) {
        if (!known) {
          // a backup nobody recorded is refused; ours is recorded before it exists
          refuseForeignBackup(file);
          this.journal.edited.push({ file, backup: file + BACKUP_SUFFIX });
          this.save();
        }
        ensureBackup(file);
      }
      if (!existsSync(file + BACKUP_SUFFIX)) continue;
      renderFromBackup(file, mine, this.journal.marker);
      if (mine.length === 0) {
        this.journal.edited = this.journal.edited.filter((x) => x.file !== file);
        this.save();
      }
    }
  }
}
