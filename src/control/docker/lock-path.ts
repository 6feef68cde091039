/**
 * Where a Docker project's apply lock lives: a file on this machine, keyed
 * by daemon and project. Simpler than a lock inside the daemon (a named
 * container has no owner whose death can be seen), and applies of one
 * project run from one machine. root: /run/supctl; a user: their
 * XDG_RUNTIME_DIR (private, cleared at logout), else a 0700 directory of
 * their own under the temp dir.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function lockDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.getuid?.() === 0) return '/run/supctl/docker';
  const rt = env['XDG_RUNTIME_DIR'];
  if (rt) return join(rt, 'supctl', 'docker');
  return join(tmpdir(), `supctl-${process.getuid?.() ?? 'user'}`, 'docker');
}

export function lockPath(
  host: string,
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const daemon = createHash('sha256').update(host).digest('hex').slice(0, 12);
  // project names are [a-z0-9_-] (normalizeProject): safe in a file name
  return join(lockDir(env), `${daemon}-${project}.lock`);
}
