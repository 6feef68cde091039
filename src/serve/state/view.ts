/**
 * The Backend serve's handlers use: reads (list, avail) answer from the
 * state store's memory; actions go to the real backend and then wait for a
 * re-list, so the next read already shows their effect.
 */
import type { Backend, ProcessStatus } from '../../control/types.ts';
import type { StateStore } from './store.ts';

export function storeBackend(store: StateStore): Backend {
  const after = async <T>(act: () => Promise<T>): Promise<T> => {
    try {
      return await act();
    } finally {
      await store.resync();
    }
  };
  return {
    list: () => Promise.resolve(store.processes()),
    avail: () => Promise.resolve(store.avail()),
    start: (t: ProcessStatus[]) => after(() => store.actor().start(t)),
    stop: (t: ProcessStatus[]) => after(() => store.actor().stop(t)),
    restart: (t: ProcessStatus[]) => after(() => store.actor().restart(t)),
    signal: (t: ProcessStatus[], sig: string) => after(() => store.actor().signal(t, sig)),
    logs: async (t, req, sink) => store.actor().logs(t, req, sink),
    plan: async (d) => store.actor().plan(d),
    apply: (d, opts) => after(() => store.actor().apply(d, opts)),
    remove: () => after(() => store.actor().remove()),
    close: () => store.close(),
  };
}
