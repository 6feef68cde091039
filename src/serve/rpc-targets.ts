/**
 * How the XML-RPC methods find their processes and act on them: names as
 * supervisor resolves them (GROUP:NAME, GROUP:*), lexical order, the states
 * each verb applies to, and results in supervisor's shape.
 */
import type { ActionResult, ChangeSet, ProcessStatus } from '../control/types.ts';
import { RUNNING_STATES, SIGNALLABLE_STATES, STOPPED_STATES } from '../control/types.ts';
import type { Deployment } from '../model/deployment.ts';
import type { XmlRpcStruct, XmlRpcValue } from '../xmlrpc/types.ts';
import { FAULTS, RpcFault, type FaultName } from './faults.ts';
import type { RpcContext } from './rpc-methods.ts';

export function str(v: XmlRpcValue | undefined): string {
  if (typeof v !== 'string') throw new RpcFault('INCORRECT_PARAMETERS');
  return v;
}
export function int(v: XmlRpcValue | undefined): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  throw new RpcFault('INCORRECT_PARAMETERS');
}

/** split_namespec: `g:n`, `g:*` / `g:` (whole group), or `n` meaning `n:n`. */
export function splitNamespec(spec: string): { group: string; name: string | null } {
  const i = spec.indexOf(':');
  if (i < 0) return { group: spec, name: spec };
  const name = spec.slice(i + 1);
  return { group: spec.slice(0, i), name: name === '' || name === '*' ? null : name };
}

export function lexical(ps: ProcessStatus[]): ProcessStatus[] {
  return [...ps].sort((a, b) => (a.group + ':' + a.name < b.group + ':' + b.name ? -1 : 1));
}

export async function groupAndProcess(
  c: RpcContext,
  spec: string,
): Promise<{ members: ProcessStatus[]; process: ProcessStatus | null }> {
  const { group, name } = splitNamespec(spec);
  const members = (await c.backend.list()).filter((p) => p.group === group);
  if (members.length === 0) throw new RpcFault('BAD_NAME', spec);
  if (name === null) return { members, process: null };
  const process = members.find((p) => p.name === name);
  if (process === undefined) throw new RpcFault('BAD_NAME', spec);
  return { members, process };
}

export async function oneProcess(c: RpcContext, spec: string): Promise<ProcessStatus> {
  const { process } = await groupAndProcess(c, spec);
  if (process === null) throw new RpcFault('BAD_NAME', spec);
  return process;
}

/** An ActionResult as supervisor would have answered it: true, or its fault. */
export function outcome(r: ActionResult | undefined, spec: string): true {
  if (r === undefined) throw new RpcFault('FAILED', spec);
  if (r.ok) return true;
  const fault: FaultName = r.fault ?? 'FAILED';
  if (r.faultString !== undefined && r.faultString.startsWith(fault)) {
    const rest = r.faultString.slice(fault.length).replace(/^: /, '');
    throw new RpcFault(fault, rest === '' ? undefined : rest);
  }
  throw new RpcFault(fault, fault === 'FAILED' && r.message !== undefined ? r.message : spec);
}

/** make_allfunc's answer: one {name, group, status, description} per process acted on. */
function allResults(ps: ProcessStatus[], rs: ActionResult[]): XmlRpcStruct[] {
  return ps.map((p, i) => {
    try {
      outcome(rs[i], p.namespec);
      return { name: p.name, group: p.group, status: FAULTS.SUCCESS, description: 'OK' };
    } catch (err) {
      const f = err as RpcFault;
      return { name: p.name, group: p.group, status: f.code, description: f.text };
    }
  });
}

type Verb = 'start' | 'stop';
const WANTS: Record<Verb, readonly string[]> = { start: STOPPED_STATES, stop: RUNNING_STATES };

export async function actOne(c: RpcContext, verb: Verb, spec: string): Promise<XmlRpcValue> {
  const { members, process } = await groupAndProcess(c, spec);
  if (process === null) return actMany(c, verb, members);
  return outcome((await c.backend[verb]([process]))[0], spec);
}

export async function actMany(
  c: RpcContext,
  verb: Verb,
  ps: ProcessStatus[],
): Promise<XmlRpcValue> {
  const targets = lexical(ps).filter((p) => WANTS[verb].includes(p.state));
  if (targets.length === 0) return [];
  return allResults(targets, await c.backend[verb](targets));
}

export async function signalMany(
  c: RpcContext,
  ps: ProcessStatus[],
  sig: string,
): Promise<XmlRpcValue> {
  const targets = lexical(ps).filter((p) => SIGNALLABLE_STATES.includes(p.state));
  if (targets.length === 0) return [];
  return allResults(targets, await c.backend.signal(targets, sig));
}

export async function group(c: RpcContext, name: string): Promise<ProcessStatus[]> {
  const members = (await c.backend.list()).filter((p) => p.group === name);
  if (members.length === 0) throw new RpcFault('BAD_NAME', name);
  return members;
}

export const signalName = (v: XmlRpcValue | undefined): string =>
  typeof v === 'number' ? String(v) : str(v);

function reloader(c: RpcContext): () => Deployment {
  if (c.reload === undefined)
    throw new RpcFault('CANT_REREAD', 'supctl serve was started without -c FILE');
  return c.reload;
}

export async function changes(c: RpcContext): Promise<{ d: Deployment; ch: ChangeSet }> {
  const load = reloader(c);
  let d: Deployment;
  try {
    d = load();
  } catch (err) {
    throw new RpcFault('CANT_REREAD', err instanceof Error ? err.message : String(err));
  }
  return { d, ch: await c.backend.plan(d) };
}
