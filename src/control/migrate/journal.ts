/**
 * The migration journal: per group, the last step that completed, so a
 * migrate (or --rollback) killed between two steps is finished by the next
 * run. One JSON file per config file in supctl's state directory, replaced
 * atomically (src/emit/write.ts), removed when nothing is left to finish.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { writeFilesAtomically } from '../../emit/write.ts';
import type { Group } from '../../model/group.ts';
import { MigrateError } from './errors.ts';

/** The steps of one group, in order; each is recorded once it completed. */
const STEPS = [
  'planned',
  'installed',
  'checked',
  'stopped-old',
  'started-new',
  'removed-old',
  'edited',
  'done',
] as const;
export type Step = (typeof STEPS)[number];

export function reached(s: Step, than: Step): boolean {
  return STEPS.indexOf(s) >= STEPS.indexOf(than);
}

export interface GroupEntry {
  step: Step;
  /** Being rolled back: only --rollback may go on with it. */
  rollingBack?: boolean;
  /** Processes (names within the group) that ran under supervisord before the migration. */
  wasRunning: string[];
  /** When supervisord stopped it (ms since the epoch), for the downtime. */
  stoppedAt?: number;
  /** The group as read before --edit-config commented it out: the new side's translation. */
  model: Group;
}

interface EditedFile {
  file: string;
  backup: string;
}

export interface Journal {
  version: 1;
  configFile: string;
  to: 'systemd' | 'docker';
  project: string;
  /** Backend options migrate opened the new side with (scope, image). */
  options: Record<string, unknown>;
  /** The marker line --edit-config writes above each moved section. */
  marker: string;
  /** Config files --edit-config rewrote, each with its backup. */
  edited: EditedFile[];
  /** In the order they are migrated. */
  groups: Record<string, GroupEntry>;
}

/** root: /var/lib/supctl; a user: $XDG_STATE_HOME/supctl; SUPCTL_STATE_DIR overrides both. */
function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['SUPCTL_STATE_DIR']) return env['SUPCTL_STATE_DIR'];
  if (process.getuid?.() === 0) return '/var/lib/supctl';
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'supctl');
}

function journalPrefix(realConfig: string, env: NodeJS.ProcessEnv): string {
  const h = createHash('sha256').update(realConfig).digest('hex').slice(0, 12);
  const base = basename(realConfig).replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(stateDir(env), 'migrate', `${base}-${h}`);
}

/**
 * One journal per config file (its real path), target and project: one
 * file's groups may go to systemd and Docker at once.
 */
export function journalPath(
  realConfig: string,
  to: string,
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  // project names are [a-z0-9_-] (defaultProjectName / compose's normalisation) or the user's --name
  const safe = project.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${journalPrefix(realConfig, env)}.${to}.${safe}.json`;
}

/** Every migration journal of this config file (what --rollback may act on). */
export function journalsOf(realConfig: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const prefix = journalPrefix(realConfig, env);
  let names: string[];
  try {
    names = readdirSync(dirname(prefix));
  } catch {
    return [];
  }
  const base = basename(prefix) + '.';
  return names
    .filter((n) => n.startsWith(base) && n.endsWith('.json'))
    .sort()
    .map((n) => join(dirname(prefix), n));
}

export function readJournal(path: string): Journal | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MigrateError(`cannot read the migration journal ${path}: ${(e as Error).message}`);
  }
  try {
    const j = JSON.parse(text) as Journal;
    if (j.version !== 1 || typeof j.groups !== 'object') throw new Error('unknown version');
    return j;
  } catch (e) {
    throw new MigrateError(`migration journal ${path} is unreadable: ${(e as Error).message}`);
  }
}

export function writeJournal(path: string, j: Journal): void {
  writeFilesAtomically(dirname(path), [
    { path: basename(path), content: JSON.stringify(j, null, 2) + '\n', mode: 0o600 },
  ]);
}

export function clearJournal(path: string): void {
  rmSync(path, { force: true });
}
