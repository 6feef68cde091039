/**
 * How `supctl status` finds a running `supctl serve` for the same stack: serve
 * writes a small JSON file (its pid and a private unix socket) at a path
 * keyed by backend, scope, where the runtime is (bus address, Docker host)
 * and project. root: /run/supctl/serve; a user: XDG_RUNTIME_DIR/supctl/serve,
 * else a 0700 directory of their own under the temp dir. The socket is 0600
 * in that directory: file permissions are its authentication.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Advert {
  pid: number;
  /** The private unix socket answering GET /supctl/processes. */
  socket: string;
}

export interface StackKey {
  backend: string;
  /** --scope as given, else SUPCTL_SCOPE, else '' (both sides resolve it the same way). */
  scope: string;
  project: string;
}

/** The key of the stack the CLI's options name; null when they name no project. */
export function stackKey(
  backend: string,
  scope: unknown,
  project: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): StackKey | null {
  if (project === undefined || project === '') return null;
  const s = typeof scope === 'string' ? scope : (env['SUPCTL_SCOPE'] ?? '');
  return { backend, scope: backend === 'systemd' ? s : '', project };
}

function advertDir(env: NodeJS.ProcessEnv): string {
  if (process.getuid?.() === 0) return '/run/supctl/serve';
  const rt = env['XDG_RUNTIME_DIR'];
  if (rt) return join(rt, 'supctl', 'serve');
  return join(tmpdir(), `supctl-${process.getuid?.() ?? 'user'}`, 'serve');
}

/** The runtime a stack lives in: two user managers or two dockerds are two stacks. */
function runtimeOf(k: StackKey, env: NodeJS.ProcessEnv): string {
  if (k.backend === 'docker') return env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
  if (k.scope === 'system') return env['DBUS_SYSTEM_BUS_ADDRESS'] ?? 'system';
  return env['DBUS_SESSION_BUS_ADDRESS'] ?? env['XDG_RUNTIME_DIR'] ?? 'session';
}

/** The advert's path for a stack, and where serve puts its private socket. */
export function advertPaths(
  k: StackKey,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; socket: string } {
  const id = createHash('sha256')
    .update(JSON.stringify([k.backend, k.scope, runtimeOf(k, env), k.project]))
    .digest('hex')
    .slice(0, 16);
  const dir = advertDir(env);
  return { file: join(dir, `${id}.json`), socket: join(dir, `${id}.sock`) };
}

/** Written atomically (temp + rename) in a 0700 directory. */
export function writeAdvert(file: string, a: Advert): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(a), { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeAdvert(file: string, a: Advert): void {
  // only our own: a newer serve may have replaced it
  if (readAdvert(file)?.pid === a.pid) rmSync(file, { force: true });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The advert if there is one whose serve is alive; a stale one (dead pid) is ignored. */
export function readAdvert(file: string): Advert | null {
  let a: Partial<Advert>;
  try {
    a = JSON.parse(readFileSync(file, 'utf8')) as Partial<Advert>;
  } catch {
    return null;
  }
  if (typeof a.pid !== 'number' || typeof a.socket !== 'string') return null;
  return alive(a.pid) ? { pid: a.pid, socket: a.socket } : null;
}
