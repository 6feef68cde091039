/**
 * systemd's side of the state store: its own D-Bus connection (the
 * backend's carries method calls; a signal storm must not delay them),
 * subscribed to the Manager's JobRemoved / UnitNew / UnitRemoved and to
 * PropertiesChanged on unit objects, plus NameOwnerChanged of systemd1: a
 * user manager that restarts on the same bus forgets its subscribers, so
 * the feed subscribes again and reports `up`.
 */
import * as dbus from '@jellybrick/dbus-next';
import type { EventEmitter } from 'node:events';
import {
  addMatch,
  resolveAddress,
  SYSTEMD,
  SYSTEMD_PATH,
  timed,
} from '../../control/systemd/bus.ts';
import type { FeedHooks, OpenFeed } from './store.ts';
import { keepConnected } from './resync.ts';

const UNIT_PATHS = `${SYSTEMD_PATH}/unit`;
const CALL_MS = 10_000;

/** sd_bus_path_encode: every byte outside [A-Za-z0-9] becomes _XX. */
export function unitObjectPath(unit: string): string {
  let out = '';
  for (const b of Buffer.from(unit, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9]/.test(c) ? c : `_${b.toString(16).padStart(2, '0')}`;
  }
  return `${UNIT_PATHS}/${out}`;
}

const RULES = [
  `type='signal',sender='${SYSTEMD}',path='${SYSTEMD_PATH}',interface='${SYSTEMD}.Manager'`,
  `type='signal',sender='${SYSTEMD}',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',path_namespace='${UNIT_PATHS}'`,
  `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SYSTEMD}'`,
];

const MANAGER_UNIT_SIGNALS = new Set(['JobRemoved', 'UnitNew', 'UnitRemoved']);

export function systemdFeed(o: {
  scope: 'user' | 'system';
  busAddress?: string | undefined;
}): OpenFeed {
  let seen: ReadonlySet<string> | null = null;
  let objects = new Set<string>();
  // the store hands out a new set only when its units changed
  const paths = (refs: () => ReadonlySet<string>): ReadonlySet<string> => {
    const now = refs();
    if (now !== seen) {
      seen = now;
      objects = new Set([...now].map(unitObjectPath));
    }
    return objects;
  };
  return (hooks: FeedHooks, refs) =>
    keepConnected(async (lost) => {
      const address = resolveAddress({ ...o, timeoutMs: CALL_MS });
      const bus = dbus.sessionBus({ busAddress: address });
      const conn = (bus as unknown as { _connection: EventEmitter })._connection;
      // dbus-next does not forward a connection's end: a user manager restart closes the bus
      conn.on('end', () => lost(`the D-Bus connection ${address} closed`));
      (bus as unknown as EventEmitter).on('error', (e: unknown) =>
        lost(`D-Bus ${address}: ${e instanceof Error ? e.message : String(e)}`),
      );
      const call = (m: dbus.Message): Promise<unknown> =>
        timed(bus.call(m), CALL_MS, `${m.member ?? 'call'} on ${address}`);
      const subscribe = (): Promise<unknown> =>
        call(
          new dbus.Message({
            destination: SYSTEMD,
            path: SYSTEMD_PATH,
            interface: `${SYSTEMD}.Manager`,
            member: 'Subscribe',
          }),
        );
      bus.on('message', (m) => {
        if (m.type !== dbus.MessageType.SIGNAL) return;
        if (m.member === 'NameOwnerChanged') {
          const owner = (m.body as string[])[2];
          if (owner === '') hooks.down('systemd left the bus');
          else
            subscribe().then(
              () => hooks.up(),
              (e: unknown) => lost(String(e)),
            );
          return;
        }
        if (m.member === 'PropertiesChanged') {
          if (m.path !== undefined && paths(refs).has(m.path)) hooks.changed();
          return;
        }
        if (m.member !== undefined && MANAGER_UNIT_SIGNALS.has(m.member)) {
          const body: unknown[] = m.body;
          const unit = body[m.member === 'JobRemoved' ? 2 : 0];
          if (typeof unit === 'string' && refs().has(unit)) hooks.changed(unit);
        }
      });
      try {
        for (const rule of RULES) {
          await call(addMatch(rule));
        }
        await subscribe();
      } catch (e) {
        bus.disconnect();
        throw e;
      }
      return () => {
        conn.removeAllListeners('end');
        bus.disconnect();
      };
    }, hooks);
}
