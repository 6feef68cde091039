import { runSandbox, SANDBOX_ACTIONS, type SandboxAction } from '../../control/sandbox.ts';
import { UsageError } from '../errors.ts';

interface SandboxArgs {
  action: SandboxAction;
  id?: string | undefined;
  dir?: string | undefined;
  system?: boolean | undefined;
  command?: readonly string[] | undefined;
}

/**
 * `supctl sandbox up|down|env|status` (a user manager) and `supctl sandbox
 * up|down|status|shell|exec|reboot --system` (a booted host). `up` of the
 * user manager also prints the export lines, so `eval "$(supctl sandbox up)"`
 * works as well as `eval "$(supctl sandbox env)"`.
 */
export function sandboxCommand(a: SandboxArgs): number {
  const kind = a.system === true ? 'system' : 'user';
  const allowed: readonly SandboxAction[] = SANDBOX_ACTIONS[kind];
  if (!allowed.includes(a.action)) {
    throw new UsageError(
      `sandbox ${a.action}: not for ${a.system === true ? 'the booted host (--system)' : 'the user-manager sandbox (add --system)'}; use one of: ${allowed.join(', ')}`,
    );
  }
  if (a.action === 'exec' && (a.command ?? []).length === 0) {
    throw new UsageError(
      'sandbox exec --system: give the command after --, e.g. sandbox exec --system -- supctl status',
    );
  }
  const o = { id: a.id, dir: a.dir, system: a.system, command: a.command };
  const r = runSandbox(a.action, o);
  if (kind === 'user' && a.action === 'up' && r.status === 0) {
    const env = runSandbox('env', o);
    process.stdout.write(env.stdout);
    if (process.stderr.isTTY) {
      process.stderr.write(
        'supctl: sandbox up; use it from this shell with: eval "$(supctl sandbox env' +
          (a.id !== undefined ? ` --id ${a.id}` : '') +
          ')"\n',
      );
    }
    return 0;
  }
  if (kind === 'system' && a.action === 'up' && r.status === 0 && process.stderr.isTTY) {
    process.stderr.write(
      'supctl: booted host up; open a shell in it with: supctl sandbox shell --system\n',
    );
  }
  process.stdout.write(r.stdout);
  return r.status;
}
