/**
 * supervisorctl's `start` waits for each process to leave STARTING
 * (supervisord's startProcess with wait=True): RUNNING is started, BACKOFF
 * or FATAL a spawn error, any other state an abnormal termination.
 */
import { faultResult, okResult } from './format.ts';
import type { ActionResult, ProcessState } from './types.ts';

/** The start result for a process now in `state`; undefined while it is still STARTING. */
export function startOutcome(namespec: string, state: ProcessState): ActionResult | undefined {
  if (state === 'RUNNING') return okResult(namespec, 'start');
  if (state === 'BACKOFF' || state === 'FATAL') return faultResult(namespec, 'SPAWN_ERROR');
  if (state === 'STARTING') return undefined;
  return faultResult(namespec, 'ABNORMAL_TERMINATION');
}

/** Polls `state` until the process leaves STARTING. */
export async function waitStarted(
  namespec: string,
  state: () => Promise<ProcessState>,
  intervalMs = 100,
): Promise<ActionResult> {
  for (;;) {
    const r = startOutcome(namespec, await state());
    if (r !== undefined) return r;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
