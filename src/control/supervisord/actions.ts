/**
 * start / stop / signal as supervisorctl asks supervisord: startProcess(name,
 * wait=True) per process, or startProcessGroup(group) when the targets are
 * what the group call would act on anyway (the `g:*` form: every member the
 * call does not skip); the same for stop and signal. Each fault becomes the
 * ActionResult supervisorctl prints.
 */
import { XmlRpcFault, type XmlRpcValue } from '../../xmlrpc/types.ts';
import { namespec as makeNamespec } from '../../model/names.ts';
import {
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  type ActionResult,
  type ProcessStatus,
} from '../types.ts';
import { actionResult } from './faults.ts';
import { isStruct } from '../../xmlrpc/types.ts';
import { str } from './info.ts';
import type { Session } from './session.ts';

type Verb = 'start' | 'stop' | 'signal';

const METHODS: Record<Verb, { one: string; group: string; acts: (p: ProcessStatus) => boolean }> = {
  // supervisord's make_allfunc predicates: isNotRunning, isRunning, isSignallable
  start: {
    one: 'supervisor.startProcess',
    group: 'supervisor.startProcessGroup',
    acts: (p) => !RUNNING_STATES.includes(p.state),
  },
  stop: {
    one: 'supervisor.stopProcess',
    group: 'supervisor.stopProcessGroup',
    acts: (p) => RUNNING_STATES.includes(p.state),
  },
  signal: {
    one: 'supervisor.signalProcess',
    group: 'supervisor.signalProcessGroup',
    acts: (p) => SIGNALLABLE_STATES.includes(p.state),
  },
};

/** Targets in order, batched: a whole group when the group call would do exactly this. */
function batches(
  verb: Verb,
  targets: ProcessStatus[],
  all: ProcessStatus[],
): (ProcessStatus[] | ProcessStatus)[] {
  const out: (ProcessStatus[] | ProcessStatus)[] = [];
  const done = new Set<string>();
  for (const t of targets) {
    if (done.has(t.group)) continue;
    const mine = targets.filter((x) => x.group === t.group);
    const members = all.filter((x) => x.group === t.group);
    const names = new Set(mine.map((x) => x.name));
    // decided on supervisord's current states, not the caller's older copy
    const fresh = members.filter((x) => names.has(x.name));
    const wholeGroup =
      mine.length > 1 &&
      fresh.length === mine.length &&
      fresh.every((x) => METHODS[verb].acts(x)) &&
      members.every((x) => names.has(x.name) || !METHODS[verb].acts(x));
    if (wholeGroup) {
      done.add(t.group);
      out.push(mine);
    } else {
      out.push(t);
    }
  }
  return out;
}

async function one(
  s: Session,
  method: string,
  p: ProcessStatus,
  extra: XmlRpcValue[],
): Promise<ActionResult> {
  try {
    await s.callRaw(method, [p.namespec, ...extra]);
    return { namespec: p.namespec, ok: true };
  } catch (e) {
    if (e instanceof XmlRpcFault) return actionResult(p.namespec, e.faultCode, e.faultString);
    throw e;
  }
}

async function group(
  s: Session,
  method: string,
  procs: ProcessStatus[],
  extra: XmlRpcValue[],
): Promise<ActionResult[]> {
  let res: XmlRpcValue;
  try {
    res = await s.callRaw(method, [procs[0]!.group, ...extra]);
  } catch (e) {
    if (e instanceof XmlRpcFault)
      return procs.map((p) => actionResult(p.namespec, e.faultCode, e.faultString));
    throw e;
  }
  const out: ActionResult[] = [];
  for (const r of Array.isArray(res) ? res : []) {
    if (!isStruct(r)) continue;
    const namespec = makeNamespec(str(r['group']), str(r['name']));
    out.push(actionResult(namespec, Number(r['status']), str(r['description'])));
  }
  return out;
}

/**
 * Runs one verb on the targets, in their order. `all` is supervisord's
 * current list (to see whether a group call fits).
 */
export async function act(
  s: Session,
  verb: Verb,
  targets: ProcessStatus[],
  all: ProcessStatus[],
  signal?: string,
): Promise<ActionResult[]> {
  const m = METHODS[verb];
  // wait=True as supervisorctl: the answer comes when the process is up (or has failed)
  const extra: XmlRpcValue[] = verb === 'signal' ? [signal ?? ''] : [true];
  const results: ActionResult[] = [];
  for (const b of batches(verb, targets, all)) {
    if (Array.isArray(b)) results.push(...(await group(s, m.group, b, extra)));
    else results.push(await one(s, m.one, b, extra));
  }
  return results;
}
