/**
 * Runs every declared check on its own interval, only while its process is
 * RUNNING (serve's view of health). The process states come from `list`
 * (the backend), asked at most once per second whatever the number of
 * checks. Never prints; stop() ends every timer.
 */
import type { ProcessStatus } from '../control/types.ts';
import type { Watched } from './checks.ts';
import { probe as realProbe, type ProbeResult } from './probe.ts';
import { afterProbe, INITIAL, type HealthState } from './state.ts';

interface RunnerOptions {
  /** Injected in tests of the timing rules; the real probe otherwise. */
  probe?: (w: Watched) => Promise<ProbeResult>;
  now?: () => number;
}

const LIST_TTL_MS = 1000;

export class HealthRunner {
  readonly #states = new Map<string, HealthState>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** When each process was first seen RUNNING, for backends that know no start time. */
  readonly #seen = new Map<string, number>();
  #stopped = false;
  #listed: { at: number; ps: Promise<ProcessStatus[]> } | null = null;
  readonly #probe: (w: Watched) => Promise<ProbeResult>;
  readonly #now: () => number;

  constructor(
    readonly watched: readonly Watched[],
    private readonly list: () => Promise<ProcessStatus[]>,
    o: RunnerOptions = {},
  ) {
    this.#probe = o.probe ?? ((w) => realProbe(w.check));
    this.#now = o.now ?? Date.now;
    for (const w of watched) this.#states.set(w.namespec, INITIAL);
  }

  /** The check's state; undefined when the process declares none. */
  state(namespec: string): HealthState | undefined {
    return this.#states.get(namespec);
  }

  start(): void {
    for (const w of this.watched) void this.#loop(w);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  async #loop(w: Watched): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.tick(w);
    } catch {
      // the backend did not answer: keep the last state, try again next interval
    }
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      void this.#loop(w);
    }, w.check.interval * 1000);
    t.unref();
    this.#timers.add(t);
  }

  #statuses(): Promise<ProcessStatus[]> {
    const now = this.#now();
    if (this.#listed === null || now - this.#listed.at >= LIST_TTL_MS) {
      this.#listed = { at: now, ps: this.list() };
    }
    return this.#listed.ps;
  }

  /** One round for one check: probe if RUNNING, else mark it inactive. */
  async tick(w: Watched): Promise<HealthState> {
    const p = (await this.#statuses()).find((x) => x.namespec === w.namespec);
    let next: HealthState;
    if (p?.state !== 'RUNNING') {
      this.#seen.delete(w.namespec);
      next = { status: 'inactive', message: `not running (${p?.state ?? 'unknown'})`, failures: 0 };
    } else {
      const seen = this.#seen.get(w.namespec) ?? this.#now();
      this.#seen.set(w.namespec, seen);
      const started = p.startedAt ?? seen;
      const inStart = this.#now() - started < w.check.start_period * 1000;
      const r = await this.#probe(w);
      next = afterProbe(this.#states.get(w.namespec) ?? INITIAL, r, w.check, inStart);
    }
    this.#states.set(w.namespec, next);
    return next;
  }
}
