/**
 * What supervisorctl's start says once the StartUnit / RestartUnit jobs
 * are done: it waits until each process has stayed up for startsecs.
 */
import { faultResult, okResult } from '../format.ts';
import type { ActionResult, ProcessStatus } from '../types.ts';
import type { JobOutcome, Manager } from './manager.ts';
import { clearStopped } from './stops.ts';

/**
 * supervisorctl's start waits until the process has stayed up for
 * startsecs: a unit that leaves active/running meanwhile is an abnormal
 * termination. Polls the states of all of them with one call per round.
 */
async function settle(
  mgr: Manager,
  units: string[],
  startsecs: Map<string, number>,
): Promise<Set<string>> {
  const dead = new Set<string>();
  const t0 = Date.now();
  let pending = units.filter((u) => (startsecs.get(u) ?? 0) > 0);
  while (pending.length > 0) {
    const rows = await mgr.listUnitsByNames(pending);
    for (const r of rows) {
      if (!(r.active === 'active' && (r.sub === 'running' || r.sub === 'reload'))) {
        dead.add(r.name);
      }
    }
    const elapsed = Date.now() - t0;
    pending = pending.filter((u) => !dead.has(u) && (startsecs.get(u) ?? 0) * 1000 > elapsed);
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 100));
  }
  return dead;
}

function startResults(
  targets: ProcessStatus[],
  outcomes: JobOutcome[],
  dead: Set<string>,
): Map<string, ActionResult> {
  const out = new Map<string, ActionResult>();
  for (const o of outcomes) {
    const t = targets.find((x) => x.ref === o.unit)!;
    if (o.result !== 'done') {
      out.set(t.ref, faultResult(t.namespec, 'SPAWN_ERROR', o.error?.message));
    } else if (dead.has(o.unit)) {
      out.set(t.ref, faultResult(t.namespec, 'ABNORMAL_TERMINATION'));
    } else out.set(t.ref, okResult(t.namespec, 'start'));
  }
  return out;
}

/**
 * Results of start jobs by unit: the units whose job ran are waited on for
 * startsecs and lose supctl's stop mark (they run again).
 */
export async function startResultsAfter(
  mgr: Manager,
  unitDir: string,
  targets: ProcessStatus[],
  outcomes: JobOutcome[],
  startsecs: Map<string, number>,
): Promise<Map<string, ActionResult>> {
  const done = outcomes.filter((o) => o.result === 'done').map((o) => o.unit);
  const dead = await settle(mgr, done, startsecs);
  clearStopped(unitDir, done);
  return startResults(targets, outcomes, dead);
}
