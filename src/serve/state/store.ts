/**
 * serve's in-memory state: the processes and `avail` of one backend, read
 * from memory by every request. A feed (systemd-feed.ts, docker-feed.ts)
 * says when something changed; the store then re-lists (debounced,
 * coalesced), so a read never waits for the backend. It also re-lists after
 * every action, every `usageIntervalMs` (CPU and memory have no signal),
 * and while a process is STARTING (that state ends by time, not by event).
 *
 * Backend gone (bus or daemon unreachable): the last known processes are
 * answered as UNKNOWN with the reason as description, actions fail; the
 * store reopens the backend with backoff and re-lists as soon as it answers.
 */
import { describeProcess } from '../../control/format.ts';
import type { AvailEntry, Backend, ProcessStatus } from '../../control/types.ts';
import { BackendError } from '../../control/types.ts';
import { Backoff } from './resync.ts';

export interface FeedHooks {
  /** Something about these refs (unit names, container ids) may have changed. */
  changed(ref?: string): void;
  /** The feed's connection is gone (it reconnects by itself). */
  down(reason: string): void;
  /** The feed is connected again: state may have changed meanwhile. */
  up(): void;
}
/** `refs()`: the refs the store holds now (a feed may ignore signals about others). */
export type OpenFeed = (hooks: FeedHooks, refs: () => ReadonlySet<string>) => { close(): void };

interface StoreOptions {
  /** Opens the real backend; called again after it became unreachable. */
  open: () => Promise<Backend>;
  feed?: OpenFeed | undefined;
  debounceMs?: number;
  /** How often CPU and memory are sampled (0: only on events). Default 10 s. */
  usageIntervalMs?: number;
}

/** A failure that means the bus / daemon is gone, not that one call was refused. */
const isGone = (e: unknown): boolean =>
  e instanceof BackendError && (e.code === 'UNREACHABLE' || e.code === 'TIMEOUT');

const UPTIME = /^pid \d+, uptime /;

export class StateStore {
  private real: Backend | null = null;
  private procs: ProcessStatus[] = [];
  private availList: AvailEntry[] = [];
  private gone: string | null = null;
  private refSet: ReadonlySet<string> = new Set();
  private queued: Promise<void> | null = null;
  private running: Promise<void> = Promise.resolve();
  private debounce: NodeJS.Timeout | undefined;
  private timers: NodeJS.Timeout[] = [];
  private feed: { close(): void } | null = null;
  private closed = false;
  private readonly backoff = new Backoff(200, 2_000);
  /** Re-lists done, for tests and the log. */
  syncs = 0;

  constructor(private readonly o: StoreOptions) {}

  /** Opens the backend and the feed, lists once; throws what opening throws. */
  async start(): Promise<void> {
    this.real = await this.o.open();
    const hooks: FeedHooks = {
      changed: () => this.soon(),
      down: (why) => this.lost(why),
      up: () => void this.resync(),
    };
    this.feed = this.o.feed?.(hooks, () => this.refSet) ?? null;
    await this.resync();
    if (this.gone !== null) throw new BackendError('UNREACHABLE', this.gone);
    const every = this.o.usageIntervalMs ?? 10_000;
    if (every > 0) {
      const t = setInterval(() => void this.resync(), every);
      t.unref();
      this.timers.push(t);
    }
  }

  /** The backend handles held (unit names, container ids); a new set only when they change. */
  refs(): ReadonlySet<string> {
    return this.refSet;
  }

  /** Why the backend cannot be asked now, or null. */
  get unreachable(): string | null {
    return this.gone;
  }

  processes(now: number = Date.now()): ProcessStatus[] {
    if (this.gone !== null) {
      const why = this.gone;
      return this.procs.map((p) => ({ ...p, state: 'UNKNOWN', pid: null, description: why }));
    }
    // the uptime in a RUNNING description is the one thing that moves without an event
    return this.procs.map((p) =>
      p.state === 'RUNNING' && UPTIME.test(p.description)
        ? { ...p, description: describeProcess(p, now) }
        : { ...p },
    );
  }

  avail(): AvailEntry[] {
    return this.availList.map((a) => ({ ...a }));
  }

  /** A re-list after the current one (if any); callers arriving meanwhile share it. */
  resync(): Promise<void> {
    if (this.queued !== null) return this.queued;
    const next = this.running.then(() => {
      this.queued = null;
      return this.fetch();
    });
    this.queued = next;
    this.running = next;
    return next;
  }

  private soon(): void {
    if (this.debounce !== undefined) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.resync();
    }, this.o.debounceMs ?? 20);
  }

  private lost(why: string): void {
    if (this.closed) return;
    this.gone ??= why;
    void this.resync();
  }

  private async fetch(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.gone !== null || this.real === null) {
        await this.real?.close().catch(() => undefined);
        this.real = null;
        this.real = await this.o.open();
      }
      const [ps, av] = await Promise.all([this.real.list({ detail: true }), this.real.avail()]);
      this.procs = ps;
      this.availList = av;
      if (ps.length !== this.refSet.size || ps.some((p) => !this.refSet.has(p.ref))) {
        this.refSet = new Set(ps.map((p) => p.ref));
      }
      this.gone = null;
      this.backoff.reset();
      this.syncs += 1;
      if (ps.some((p) => p.state === 'STARTING')) this.later(250);
    } catch (e) {
      if (!isGone(e) && this.real !== null) return;
      this.gone = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      this.later(this.backoff.next());
    }
  }

  private later(ms: number): void {
    const t = setTimeout(() => {
      this.timers = this.timers.filter((x) => x !== t);
      void this.resync();
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  /** The backend to act with, or the reason there is none. */
  actor(): Backend {
    if (this.real === null || this.gone !== null) {
      throw new BackendError('UNREACHABLE', this.gone ?? 'the backend is not open');
    }
    return this.real;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounce);
    for (const t of this.timers) clearTimeout(t);
    this.feed?.close();
    await this.real?.close().catch(() => undefined);
  }
}
