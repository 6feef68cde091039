/**
 * `supctl serve --install`: a systemd unit that runs `supctl serve` for one
 * project, and its removal.
 *
 * The unit is recorded in a record of its own (`.supctl/serve/<project>.json`
 * beside the project manifests), not in the project's manifest: with
 * `--backend docker` there is no systemd manifest to extend, and apply's
 * journal/rollback and its "files no longer planned are deleted" step never
 * see the unit, so `apply`/`update` can neither delete it nor call it
 * foreign. The record is written before the unit file, so a run killed
 * half-way still leaves something `uninstall`/`serve --install --remove`
 * finds and cleans up.
 */
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomically } from '../../emit/write.ts';
import {
  checkedValue,
  environmentAssignment,
  execLine,
  freeText,
  unitName,
  unitNameComponent,
} from '../../emit/systemd/escape.ts';
import { HEADER_MARK } from '../../emit/systemd/unit-files.ts';
import { BackendError } from '../types.ts';
import type { Manager } from './manager.ts';
import { MANIFEST_DIR } from './manifest.ts';
import { carriesHeader, checkOwnership } from './ownership.ts';

/** `PROJECT-supctl-serve.service` (project escaped as for every unit of it). */
export function serveUnitName(project: string): string {
  return unitName(project, 'supctl-serve', '.service');
}

interface ServeUnitSpec {
  project: string;
  scope: 'user' | 'system';
  /** The full command: node, its flags, supctl's entry script, `serve`, its options. */
  argv: string[];
  /** Variables serve reads (bus address, unit dir, DOCKER_HOST...), by name. */
  env: Readonly<Record<string, string>>;
}

/** The unit file's text; every value escaped, or refused with a UnitSyntaxError. */
export function serveUnitText(s: ServeUnitSpec): string {
  const project = freeText(s.project);
  const lines = [
    `# ${HEADER_MARK}\`supctl serve --install\` for project ${project}; remove it with \`supctl serve --install --remove\` or \`supctl uninstall\`.`,
    '[Unit]',
    `Description=supctl serve for project ${project}`,
    'After=network.target',
    '',
    '[Service]',
    'Type=exec',
    ...Object.entries(s.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `Environment=${checkedValue('Environment', environmentAssignment(k, v))}`),
    `ExecStart=${checkedValue('ExecStart', execLine(s.argv[0]!, s.argv))}`,
    'Restart=on-failure',
    'RestartSec=2',
    '',
    '[Install]',
    `WantedBy=${s.scope === 'user' ? 'default.target' : 'multi-user.target'}`,
    '',
  ];
  return lines.join('\n');
}

interface ServeRecord {
  version: 1;
  project: string;
  /** The unit file, relative to the unit dir. */
  unit: string;
  installedAt: number;
}

function recordRel(project: string): string {
  return join(MANIFEST_DIR, 'serve', `${unitNameComponent(project)}.json`);
}

function readRecord(unitDir: string, project: string): ServeRecord | null {
  const p = join(unitDir, recordRel(project));
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as ServeRecord;
  } catch (e) {
    throw new BackendError('FAILED', `cannot read ${p}: ${(e as Error).message}`);
  }
}

/** True when `project` has a recorded serve unit in `unitDir` (no bus needed to ask). */
export function hasServeUnit(unitDir: string, project: string): boolean {
  return readRecord(unitDir, project) !== null;
}

/**
 * Writes, enables and (re)starts the unit. Refused when its name is a unit
 * supctl did not record for this; on a failure the previous state is put back.
 */
export async function installServeUnit(
  mgr: Manager,
  unitDir: string,
  spec: ServeUnitSpec,
): Promise<string> {
  const unit = serveUnitName(spec.project);
  const text = serveUnitText(spec);
  const old = readRecord(unitDir, spec.project);
  await checkOwnership(mgr, unitDir, spec.project, old && { files: [old.unit] }, [unit]);
  const full = join(unitDir, unit);
  const previous = old !== null && existsSync(full) ? readFileSync(full, 'utf8') : null;
  const record: ServeRecord = { version: 1, project: spec.project, unit, installedAt: Date.now() };
  writeFilesAtomically(unitDir, [
    { path: recordRel(spec.project), content: JSON.stringify(record, null, 2) + '\n', mode: 0o644 },
  ]);
  try {
    writeFilesAtomically(unitDir, [{ path: unit, content: text, mode: 0o644 }]);
    await mgr.reload();
    await mgr.enableUnitFiles([unit]);
    await mgr.resetFailed(unit);
    const [o] = await mgr.jobs('RestartUnit', [unit]);
    if (o !== undefined && o.result !== 'done') {
      throw new BackendError(
        'FAILED',
        `start of ${unit} failed (${o.error?.message ?? o.result}): see journalctl ${spec.scope === 'user' ? '--user ' : ''}-u ${unit}`,
      );
    }
    return unit;
  } catch (e) {
    if (previous !== null) {
      writeFilesAtomically(unitDir, [{ path: unit, content: previous, mode: 0o644 }]);
      await mgr.reload();
      await mgr.jobs('RestartUnit', [unit]);
    } else {
      await dropUnit(mgr, unitDir, spec.project, unit);
    }
    throw e;
  }
}

async function dropUnit(mgr: Manager, unitDir: string, project: string, unit: string) {
  try {
    await mgr.disableUnitFiles([unit]);
  } catch {
    /* never enabled */
  }
  await mgr.jobs('StopUnit', [unit]);
  const full = join(unitDir, unit);
  // only while it still says supctl wrote it
  const foreign = existsSync(full) && !carriesHeader(full);
  if (!foreign) rmSync(full, { force: true });
  rmSync(join(unitDir, recordRel(project)), { force: true });
  try {
    rmdirSync(join(unitDir, MANIFEST_DIR, 'serve')); // only when empty
  } catch {
    /* other projects' records, or gone */
  }
  await mgr.reload();
  await mgr.resetFailed(unit);
  if (foreign) {
    throw new BackendError(
      'CONFLICT',
      `removed the record of ${unit} but left ${full}: no longer supctl's (its "${HEADER_MARK}" header is gone)`,
    );
  }
}

/** Stops, disables and deletes the recorded unit; null when there was none. */
export async function removeServeUnit(
  mgr: Manager,
  unitDir: string,
  project: string,
): Promise<string | null> {
  const r = readRecord(unitDir, project);
  if (r === null) return null;
  await dropUnit(mgr, unitDir, project, r.unit);
  return r.unit;
}
