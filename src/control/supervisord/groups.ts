/**
 * supervisorctl's `remove GROUP` / `add GROUP`: removeProcessGroup /
 * addProcessGroup, their faults read as supervisorctl 4.2.5's do_remove /
 * do_add read them.
 */
import { XmlRpcFault } from '../../xmlrpc/types.ts';
import type { GroupEdit } from '../types.ts';
import { backendError, FAULTS } from './faults.ts';
import type { Session } from './session.ts';

const OUTCOME: Partial<Record<number, GroupEdit>> = {
  [FAULTS.STILL_RUNNING]: 'running',
  [FAULTS.ALREADY_ADDED]: 'active',
  [FAULTS.BAD_NAME]: 'unknown',
};

export async function editGroup(
  s: Session,
  method: 'supervisor.removeProcessGroup' | 'supervisor.addProcessGroup',
  group: string,
): Promise<GroupEdit> {
  try {
    await s.callRaw(method, [group]);
    return 'done';
  } catch (e) {
    const known = e instanceof XmlRpcFault ? OUTCOME[e.faultCode] : undefined;
    if (known !== undefined) return known;
    throw backendError(e, s.url, method);
  }
}
