/**
 * `supctl install-shim [--dir DIR] [--remove]`: a `supervisorctl` symlink to
 * supctl, so runbooks keep calling supervisorctl. Never touches a
 * DIR/supervisorctl that is not the symlink it made: each link it creates is
 * recorded (shims.json in supctl's state dir), and `--remove` deletes only a
 * recorded link that still points at supctl.
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UnsafePathError, writeFilesAtomically } from '../../emit/write.ts';

const RECORD = 'shims.json';

/** Where the record lives: /var/lib/supctl for root, else $XDG_STATE_HOME/supctl. */
function stateDir(): string {
  if (process.env.SUPCTL_STATE_DIR) return process.env.SUPCTL_STATE_DIR;
  if (process.getuid?.() === 0) return '/var/lib/supctl';
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'supctl');
}

function readRecord(dir: string): string[] {
  try {
    const v = JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writeRecord(dir: string, links: string[]): void {
  const content = JSON.stringify([...new Set(links)].sort(), null, 2) + '\n';
  writeFilesAtomically(dir, [{ path: RECORD, content, mode: 0o644 }]);
}

/** The link's target when `path` is a symlink, null when nothing is there, else undefined. */
function linkAt(path: string): string | null | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return null;
  }
}

export function installShim(opts: { dir: string; remove: boolean; self: string }): string {
  const link = join(resolve(opts.dir), 'supervisorctl');
  const self = realpathSync(opts.self);
  const state = stateDir();
  const recorded = readRecord(state);
  const now = linkAt(link);
  if (opts.remove) {
    if (now === null) return `${link}: not there, nothing to remove`;
    if (now !== self || !recorded.includes(link)) {
      throw new UnsafePathError(`${link} is not a supervisorctl shim supctl made; left alone`);
    }
    rmSync(link);
    writeRecord(
      state,
      recorded.filter((l) => l !== link),
    );
    return `${link}: removed`;
  }
  if (now === self) {
    writeRecord(state, [...recorded, link]);
    return `${link} -> ${self}: already there`;
  }
  if (now !== null) {
    throw new UnsafePathError(`${link} exists and is not supctl's; left alone`);
  }
  // recorded first: a link that exists is always one we can later remove
  writeRecord(state, [...recorded, link]);
  symlinkSync(self, link);
  return `${link} -> ${self}: installed`;
}
