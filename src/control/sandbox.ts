/**
 * `supctl sandbox`: a private systemd user manager on a private bus. The
 * work is done by sandbox/sandbox.sh (shipped next to dist/), the same
 * method as test/harness: its own cgroup, its own mount namespace, pid +
 * start-time records, idempotent up/down.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SandboxAction = 'up' | 'down' | 'env' | 'status';

interface SandboxOptions {
  id?: string | undefined;
  dir?: string | undefined;
}

/** sandbox/sandbox.sh, found upward from this module (src/control or dist/). */
function sandboxScript(from: string = import.meta.url): string {
  let d = dirname(fileURLToPath(from));
  for (let i = 0; i < 5; i++) {
    const p = join(d, 'sandbox', 'sandbox.sh');
    if (existsSync(p)) return p;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  throw new Error('sandbox/sandbox.sh not found next to the supctl installation');
}

function sandboxArgs(action: SandboxAction, o: SandboxOptions): string[] {
  const args: string[] = [action];
  if (o.id !== undefined) args.push('--id', o.id);
  if (o.dir !== undefined) args.push('--dir', o.dir);
  return args;
}

/**
 * Runs the script. `env` returns its export lines; up/down/status report on
 * stderr (inherited) and return the script's exit status.
 */
export function runSandbox(
  action: SandboxAction,
  o: SandboxOptions,
): { status: number; stdout: string } {
  const r = spawnSync('bash', [sandboxScript(), ...sandboxArgs(action, o)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout };
}
