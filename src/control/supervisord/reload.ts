/**
 * `reread` and `update` as supervisorctl does them: supervisord rereads its
 * own config file (reloadConfig; the file supctl was given only says which
 * daemon to talk to), then update stops and removes vanished groups, stops,
 * removes and re-adds changed ones, and adds new ones (addProcessGroup
 * starts their autostart programs).
 */
import { XmlRpcFault, type XmlRpcValue } from '../../xmlrpc/types.ts';
import { BackendError, type ChangeSet } from '../types.ts';
import { FAULTS } from './faults.ts';
import { isStruct } from '../../xmlrpc/types.ts';
import type { Session } from './session.ts';

function names(v: XmlRpcValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function reread(s: Session): Promise<ChangeSet> {
  let r: XmlRpcValue;
  try {
    r = await s.callRaw('supervisor.reloadConfig');
  } catch (e) {
    if (e instanceof XmlRpcFault && e.faultCode === FAULTS.CANT_REREAD) {
      throw new BackendError('FAILED', `ERROR: ${e.faultString}`, { cause: e });
    }
    if (e instanceof XmlRpcFault && e.faultCode === FAULTS.SHUTDOWN_STATE) {
      throw new BackendError('FAILED', 'ERROR: supervisor shutting down', { cause: e });
    }
    throw e instanceof XmlRpcFault
      ? new BackendError('FAILED', `reloadConfig: ${e.faultString}`, { cause: e })
      : e;
  }
  const inner = Array.isArray(r) ? r[0] : undefined;
  const [added, changed, removed] = Array.isArray(inner) ? inner : [];
  return { added: names(added), changed: names(changed), removed: names(removed) };
}

/**
 * Applies a reread. A vanished group whose stop FAILED stays (supervisorctl:
 * "has problems; not removing") and is left out of `removed`.
 */
export async function update(s: Session): Promise<ChangeSet> {
  const c = await reread(s);
  const removed: string[] = [];
  for (const g of c.removed) {
    const results = await s.call('supervisor.stopProcessGroup', [g]);
    const failed = (Array.isArray(results) ? results : []).some(
      (r) => isStruct(r) && r['status'] === FAULTS.FAILED,
    );
    if (failed) continue;
    await s.call('supervisor.removeProcessGroup', [g]);
    removed.push(g);
  }
  for (const g of c.changed) {
    await s.call('supervisor.stopProcessGroup', [g]);
    await s.call('supervisor.removeProcessGroup', [g]);
    await s.call('supervisor.addProcessGroup', [g]);
  }
  for (const g of c.added) await s.call('supervisor.addProcessGroup', [g]);
  return { added: c.added, changed: c.changed, removed };
}
