/**
 * `supctl sandbox`: a private systemd user manager on a private bus, or with
 * --system a booted Debian host in a container. The work is done by
 * sandbox/sandbox.sh and sandbox/booted-host.sh (shipped next to dist/), the
 * scripts test/harness uses too: pid + start-time records, idempotent up/down.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SandboxAction = 'up' | 'down' | 'env' | 'status' | 'shell' | 'exec' | 'reboot';

/** What each kind of sandbox can do; the CLI refuses the rest. */
export const SANDBOX_ACTIONS = {
  user: ['up', 'down', 'env', 'status'],
  system: ['up', 'down', 'status', 'shell', 'exec', 'reboot'],
} as const satisfies Record<string, readonly SandboxAction[]>;

interface SandboxOptions {
  id?: string | undefined;
  dir?: string | undefined;
  /** the booted host (sandbox/booted-host.sh) instead of a user manager */
  system?: boolean | undefined;
  /** exec: the command to run inside */
  command?: readonly string[] | undefined;
}

/** sandbox/NAME, found upward from this module (src/control or dist/). */
function sandboxScript(name: string, from: string = import.meta.url): string {
  let d = dirname(fileURLToPath(from));
  for (let i = 0; i < 5; i++) {
    const p = join(d, 'sandbox', name);
    if (existsSync(p)) return p;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  throw new Error(`sandbox/${name} not found next to the supctl installation`);
}

function sandboxArgs(action: SandboxAction, o: SandboxOptions): string[] {
  const args: string[] = [action];
  if (o.id !== undefined && o.system !== true) args.push('--id', o.id);
  if (o.dir !== undefined) args.push('--dir', o.dir);
  if (action === 'exec') args.push('--', ...(o.command ?? []));
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
  const script = sandboxScript(o.system === true ? 'booted-host.sh' : 'sandbox.sh');
  // shell and exec belong to the user's terminal; the rest only report.
  const interactive = action === 'shell' || action === 'exec';
  const r = spawnSync('bash', [script, ...sandboxArgs(action, o)], {
    stdio: interactive ? 'inherit' : ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout ?? '' };
}
