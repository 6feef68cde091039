/**
 * supervisord's process info (getAllProcessInfo's 13 keys) as the facade's
 * ProcessStatus. The description is supervisord's own text; supervisord
 * counts no restarts, so `restarts` is null (`--wide` prints `-`).
 */
import { namespec as makeNamespec } from '../../model/names.ts';
import type { ProcessState, ProcessStatus } from '../types.ts';
import { isStruct, type XmlRpcStruct, type XmlRpcValue } from '../../xmlrpc/types.ts';

const STATES = new Set<ProcessState>([
  'STOPPED',
  'STARTING',
  'RUNNING',
  'BACKOFF',
  'STOPPING',
  'EXITED',
  'FATAL',
  'UNKNOWN',
]);

function field<T>(o: XmlRpcStruct, key: string, type: string, fallback: T): T {
  const v = o[key];
  return typeof v === type ? (v as T) : fallback;
}

export function toProcessStatus(info: XmlRpcValue, project: string): ProcessStatus {
  if (!isStruct(info)) throw new TypeError('process info is not a struct');
  const group = field(info, 'group', 'string', '');
  const name = field(info, 'name', 'string', '');
  const statename = field(info, 'statename', 'string', 'UNKNOWN') as ProcessState;
  const pid = field(info, 'pid', 'number', 0);
  const start = field(info, 'start', 'number', 0);
  const stop = field(info, 'stop', 'number', 0);
  const namespec = makeNamespec(group, name);
  return {
    group,
    name,
    namespec,
    project,
    state: STATES.has(statename) ? statename : 'UNKNOWN',
    description: field(info, 'description', 'string', ''),
    pid: pid === 0 ? null : pid,
    startedAt: start === 0 ? null : start * 1000,
    stoppedAt: stop === 0 ? null : stop * 1000,
    // supervisord reports 0 until a run ended; only a stop time makes it a fact
    exitStatus: stop === 0 ? null : field(info, 'exitstatus', 'number', 0),
    restarts: null,
    cpuNsec: null,
    memoryBytes: null,
    ref: namespec,
  };
}

/** A struct member that should be a string ('' when it is not). */
export function str(v: XmlRpcValue | undefined): string {
  return typeof v === 'string' ? v : '';
}
