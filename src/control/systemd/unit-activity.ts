/** What a unit's list row says it can take: a start, a signal. */
import type { UnitListEntry } from './manager.ts';

/** Running, starting or about to restart: a start is ALREADY_STARTED. */
export const isUp = (e: UnitListEntry | undefined) =>
  e !== undefined &&
  (e.active === 'active' ||
    e.active === 'activating' ||
    e.active === 'reloading' ||
    e.sub === 'auto-restart');
/** Has a main process a signal can reach. */
export const isSignallable = (e: UnitListEntry | undefined) =>
  e !== undefined &&
  e.sub !== 'auto-restart' &&
  (e.active === 'active' ||
    e.active === 'activating' ||
    e.active === 'deactivating' ||
    e.active === 'reloading');
