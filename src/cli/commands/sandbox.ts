import { runSandbox, type SandboxAction } from '../../control/sandbox.ts';

interface SandboxArgs {
  action: SandboxAction;
  id?: string | undefined;
  dir?: string | undefined;
}

/**
 * `supctl sandbox up|down|env|status`. `up` also prints the export lines, so
 * `eval "$(supctl sandbox up)"` works as well as `eval "$(supctl sandbox env)"`.
 */
export function sandboxCommand(a: SandboxArgs): number {
  const r = runSandbox(a.action, { id: a.id, dir: a.dir });
  if (a.action === 'up' && r.status === 0) {
    const env = runSandbox('env', { id: a.id, dir: a.dir });
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
  process.stdout.write(r.stdout);
  return r.status;
}
