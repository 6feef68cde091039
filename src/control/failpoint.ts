/**
 * Crash points for the crash-safety tests (test/integration/crash-*.test.ts):
 * when SUPCTL_FAILPOINT names this step, the process kills itself with
 * SIGKILL right here, as `kill -9` would at that moment. Inert otherwise.
 */
export function failpoint(step: string): void {
  if (process.env['SUPCTL_FAILPOINT'] === step) process.kill(process.pid, 'SIGKILL');
}
