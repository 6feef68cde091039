/**
 * The supervisord a migrate moves groups away from, as the few calls it
 * needs: a group's processes, stop it, take it out, put it back.
 */
import { isStruct, XmlRpcFault } from '../../xmlrpc/types.ts';
import { backendError, FAULTS } from '../supervisord/faults.ts';
import { reread } from '../supervisord/reload.ts';
import type { Session } from '../supervisord/session.ts';

interface OldProcess {
  name: string;
  state: string;
}

export interface OldSide {
  /** The group's processes, or null when supervisord does not run the group. */
  group(name: string): Promise<OldProcess[] | null>;
  stopGroup(name: string): Promise<void>;
  removeGroup(name: string): Promise<void>;
  /** reloadConfig, then addProcessGroup (which starts its autostart programs). */
  addGroup(name: string): Promise<void>;
  startProcess(group: string, name: string): Promise<void>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function sessionOldSide(s: Session): OldSide {
  return {
    async group(name) {
      const all = await s.call('supervisor.getAllProcessInfo');
      const mine = (Array.isArray(all) ? all : [])
        .filter(isStruct)
        .filter((p) => p['group'] === name);
      if (mine.length === 0) return null;
      return mine.map((p) => ({ name: text(p['name']), state: text(p['statename']) }));
    },
    async stopGroup(name) {
      await s.call('supervisor.stopProcessGroup', [name, true]);
    },
    async removeGroup(name) {
      await s.call('supervisor.removeProcessGroup', [name]);
    },
    async addGroup(name) {
      await reread(s);
      await s.call('supervisor.addProcessGroup', [name]);
    },
    async startProcess(group, name) {
      try {
        await s.callRaw('supervisor.startProcess', [`${group}:${name}`, true]);
      } catch (e) {
        // started meanwhile (addProcessGroup's autostart): what we wanted
        if (e instanceof XmlRpcFault && e.faultCode === FAULTS.ALREADY_STARTED) return;
        throw backendError(e, s.url, 'supervisor.startProcess');
      }
    },
  };
}
