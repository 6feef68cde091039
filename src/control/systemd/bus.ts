/**
 * The one place that talks D-Bus (@jellybrick/dbus-next, low-level API: no
 * introspection round trips). Every call has a timeout, because dbus-next
 * never settles calls on a connection that failed; every failure becomes a
 * BackendError with one line. Signals: one match rule per connection,
 * added once, for the Manager's JobRemoved.
 */
import * as dbus from '@jellybrick/dbus-next';
import { existsSync } from 'node:fs';
import { BackendError } from '../types.ts';

/** The bus daemon's AddMatch call: deliver the signals that match `rule`. */
export function addMatch(rule: string): dbus.Message {
  return new dbus.Message({
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'AddMatch',
    signature: 's',
    body: [rule],
  });
}

export const SYSTEMD = 'org.freedesktop.systemd1';
export const SYSTEMD_PATH = '/org/freedesktop/systemd1';

interface BusOptions {
  scope: 'user' | 'system';
  busAddress?: string | undefined;
  timeoutMs: number;
}

type JobListener = (job: string, unit: string, result: string) => void;

export interface Bus {
  /** A method call on systemd; `signature`/`body` as in the D-Bus spec. */
  call(
    path: string,
    iface: string,
    member: string,
    signature?: string,
    body?: unknown[],
    what?: string,
  ): Promise<unknown[]>;
  /** JobRemoved(u id, o job, s unit, s result) of the Manager; returns an unsubscribe. */
  onJobRemoved(l: JobListener): () => void;
  close(): void;
}

const DENIED = new Set([
  'org.freedesktop.DBus.Error.AccessDenied',
  'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired',
  'org.freedesktop.systemd1.AccessDenied',
]);
const NOT_FOUND = new Set([
  'org.freedesktop.systemd1.NoSuchUnit',
  'org.freedesktop.systemd1.LoadFailed',
  'org.freedesktop.systemd1.UnitMasked',
  'org.freedesktop.DBus.Error.FileNotFound',
]);

/** A failure from dbus-next (DBusError or a socket error) as one BackendError line. */
export function toBackendError(e: unknown, what: string): BackendError {
  if (e instanceof BackendError) return e;
  if (e instanceof dbus.DBusError) {
    const text = e.text || e.message;
    if (DENIED.has(e.type)) return new BackendError('DENIED', `${what}: ${text}`, { cause: e });
    if (NOT_FOUND.has(e.type)) {
      return new BackendError('NOT_FOUND', `${what}: ${text}`, { cause: e });
    }
    return new BackendError('FAILED', `${what}: ${text} (${e.type})`, { cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new BackendError('FAILED', `${what}: ${msg}`, { cause: e });
}

export function resolveAddress(o: BusOptions): string {
  if (o.busAddress !== undefined && o.busAddress !== '') return o.busAddress;
  if (o.scope === 'system') {
    return process.env['DBUS_SYSTEM_BUS_ADDRESS'] ?? 'unix:path=/var/run/dbus/system_bus_socket';
  }
  const env = process.env['DBUS_SESSION_BUS_ADDRESS'];
  if (env !== undefined && env !== '') return env;
  const rt = process.env['XDG_RUNTIME_DIR'];
  if (rt !== undefined && rt !== '') return `unix:path=${rt}/bus`;
  throw new BackendError(
    'UNREACHABLE',
    'no session bus: DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are unset (use --scope system, or run inside a user session)',
  );
}

/** Races `p` against a timer; the timer never keeps the process alive. */
export function timed<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BackendError('TIMEOUT', `${what}: no answer within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function connectBus(o: BusOptions): Promise<Bus> {
  const address = resolveAddress(o);
  const path = /^unix:path=([^,;]+)/.exec(address)?.[1];
  const where = `${o.scope === 'user' ? 'session' : 'system'} bus ${address}`;
  if (path !== undefined && !existsSync(path)) {
    throw new BackendError('UNREACHABLE', `cannot connect to the ${where}: ${path} does not exist`);
  }
  // systemBus() ignores busAddress (libraries.md §2): sessionBus takes any address
  const bus = dbus.sessionBus({ busAddress: address });
  let failed: BackendError | null = null;
  const failWaiters = new Set<(e: BackendError) => void>();
  (bus as unknown as NodeJS.EventEmitter).on('error', (e: unknown) => {
    failed = new BackendError(
      'UNREACHABLE',
      `cannot connect to the ${where}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
    for (const w of failWaiters) w(failed);
  });
  const failure = (): Promise<never> =>
    new Promise((_, reject) => {
      if (failed) reject(failed);
      else failWaiters.add(reject);
    });

  const listeners = new Set<JobListener>();
  bus.on('message', (m) => {
    if (m.type === dbus.MessageType.SIGNAL && m.member === 'JobRemoved') {
      const [, job, unit, result] = m.body as [number, string, string, string];
      for (const l of listeners) l(job, unit, result);
    }
  });

  const raw = async (msg: dbus.Message, what: string): Promise<unknown[]> => {
    if (failed) throw failed;
    try {
      const reply = await timed(Promise.race([bus.call(msg), failure()]), o.timeoutMs, what);
      return reply?.body ?? [];
    } catch (e) {
      throw toBackendError(e, what);
    }
  };

  const api: Bus = {
    call(path, iface, member, signature = '', body = [], what = member) {
      return raw(
        new dbus.Message({
          destination: SYSTEMD,
          path,
          interface: iface,
          member,
          signature,
          body,
        }),
        what,
      );
    },
    onJobRemoved(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close() {
      listeners.clear();
      failWaiters.clear();
      try {
        bus.disconnect();
      } catch {
        /* already gone */
      }
    },
  };

  try {
    await raw(
      addMatch(
        `type='signal',sender='${SYSTEMD}',path='${SYSTEMD_PATH}',interface='${SYSTEMD}.Manager',member='JobRemoved'`,
      ),
      `connect to the ${where}`,
    );
    await api.call(SYSTEMD_PATH, `${SYSTEMD}.Manager`, 'Subscribe', '', [], 'systemd Subscribe');
  } catch (e) {
    api.close();
    const be = toBackendError(e, `connect to the ${where}`);
    if (be.code === 'FAILED' || be.code === 'TIMEOUT') {
      throw new BackendError(be.code === 'TIMEOUT' ? 'TIMEOUT' : 'UNREACHABLE', be.message, {
        cause: e,
      });
    }
    throw be;
  }
  return api;
}
