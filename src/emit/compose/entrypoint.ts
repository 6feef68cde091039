/**
 * `command` → `entrypoint` as an exec-form list (supervisor's argv, split
 * with shlex.split at parse time), or, with --shell-wrap, a `/bin/sh -c`
 * wrapper that sets the umask and/or sends stderr to stdout before exec'ing
 * the same argv (so the program keeps its pid and gets signals directly).
 */
interface EntrypointPlan {
  entrypoint: string[];
  /** What the wrapper emulates (empty when the argv is used as-is). */
  wrapped: ('umask' | 'redirect_stderr')[];
}

// Docker (runc) starts every container with umask 0022.
export const DOCKER_UMASK = 0o022;

export function umaskText(umask: number): string {
  return '0' + umask.toString(8).padStart(3, '0');
}

export function planEntrypoint(
  argv: string[],
  umask: number | null,
  redirectStderr: boolean,
  shellWrap: boolean,
): EntrypointPlan {
  const wrapped: EntrypointPlan['wrapped'] = [];
  if (!shellWrap) return { entrypoint: [...argv], wrapped };
  const steps: string[] = [];
  if (umask !== null) {
    steps.push(`umask ${umaskText(umask)}`);
    wrapped.push('umask');
  }
  let exec = 'exec "$@"';
  if (redirectStderr) {
    exec += ' 2>&1';
    wrapped.push('redirect_stderr');
  }
  if (wrapped.length === 0) return { entrypoint: [...argv], wrapped };
  steps.push(exec);
  // "$0" is the word after the script; "$@" is exactly supervisor's argv.
  return { entrypoint: ['/bin/sh', '-c', steps.join('; '), 'sh', ...argv], wrapped };
}
