/**
 * The dashboard's actions: start / stop / restart of one process, a group
 * (`GROUP:*`) or `all`, through the same code the XML-RPC methods use, so a
 * refusal carries supervisor's fault text (`NOT_RUNNING: web`).
 */
import type { ActionResult, ProcessStatus } from '../../control/types.ts';
import { FAULTS, RpcFault } from '../faults.ts';
import type { RpcContext } from '../rpc-methods.ts';
import { actMany, actOne, group, lexical, oneProcess, outcome } from '../rpc-targets.ts';
import type { XmlRpcStruct, XmlRpcValue } from '../../xmlrpc/types.ts';

export const VERBS = ['start', 'stop', 'restart'] as const;
export type DashboardVerb = (typeof VERBS)[number];

export interface ActionOutcome {
  ok: boolean;
  /** `web: started`, or the fault text(s), one per line. */
  message: string;
}

const DONE: Record<DashboardVerb, string> = {
  start: 'started',
  stop: 'stopped',
  restart: 'restarted',
};

/** Faults of a make_allfunc answer ({name, group, status, description} per process). */
function faultsOf(answer: XmlRpcValue): string[] {
  if (!Array.isArray(answer)) return [];
  return (answer as XmlRpcStruct[]).flatMap((r) =>
    r['status'] !== FAULTS.SUCCESS ? [r['description'] as string] : [],
  );
}

function restartFaults(ps: ProcessStatus[], rs: ActionResult[]): string[] {
  return ps.flatMap((p, i) => {
    try {
      outcome(rs[i], p.namespec);
      return [];
    } catch (err) {
      return [(err as RpcFault).text];
    }
  });
}

export async function runAction(
  c: RpcContext,
  verb: DashboardVerb,
  target: string,
): Promise<ActionOutcome> {
  try {
    let faults: string[];
    if (target === 'all' || target.endsWith(':*')) {
      const ps = target === 'all' ? await c.backend.list() : await group(c, target.slice(0, -2));
      faults =
        verb === 'restart'
          ? restartFaults(lexical(ps), await c.backend.restart(lexical(ps)))
          : faultsOf(await actMany(c, verb, ps));
    } else if (verb === 'restart') {
      const p = await oneProcess(c, target);
      faults = restartFaults([p], await c.backend.restart([p]));
    } else {
      faults = faultsOf(await actOne(c, verb, target));
    }
    if (faults.length > 0) return { ok: false, message: faults.join('\n') };
    return { ok: true, message: `${target}: ${DONE[verb]}` };
  } catch (err) {
    if (err instanceof RpcFault) return { ok: false, message: err.text };
    throw err;
  }
}
