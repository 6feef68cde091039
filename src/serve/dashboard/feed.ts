/**
 * The dashboard's one source of data: a sampler that asks the backend once
 * per tick (list with CPU/memory, and avail for health) while a page is
 * watching, keeps a bounded CPU/memory history per process in memory, and
 * hands every snapshot to each subscriber (the server-sent event streams).
 */
import type { Backend, ProcessStatus } from '../../control/types.ts';
import { lexical } from '../rpc-targets.ts';
import { healthOf, toRow, type Point, type Row } from './rows.ts';

interface Snapshot {
  at: number;
  rows: Row[];
  /** This sample's point per namespec, for the charts. */
  points: Record<string, Point>;
  /** The backend's error when the sample failed (rows are then the last good ones). */
  error?: string;
}

interface FeedOptions {
  intervalMs?: number;
  /** Points kept per process: 180 × 2 s = the last 6 minutes. */
  maxPoints?: number;
  /** The BACKEND column of a process. */
  backendOf: (p: ProcessStatus) => string;
  now?: () => number;
}

export class Feed {
  private readonly history = new Map<string, Point[]>();
  private readonly lastCpu = new Map<string, { t: number; nsec: number; pid: number | null }>();
  private readonly subscribers = new Set<(s: Snapshot) => void>();
  private latest: Snapshot | null = null;
  private inflight: Promise<Snapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  readonly intervalMs: number;
  private readonly maxPoints: number;
  private readonly now: () => number;

  constructor(
    private readonly backend: Backend,
    private readonly o: FeedOptions,
  ) {
    this.intervalMs = o.intervalMs ?? 2000;
    this.maxPoints = o.maxPoints ?? 180;
    this.now = o.now ?? Date.now;
  }

  /** One sample, shared by every caller that asks while it runs. */
  sample(): Promise<Snapshot> {
    this.inflight ??= this.take().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** The latest sample if it is younger than maxAgeMs, else a new one. */
  async current(maxAgeMs = 1000): Promise<Snapshot> {
    const l = this.latest;
    if (l !== null && l.error === undefined && this.now() - l.at < maxAgeMs) return l;
    return this.sample();
  }

  historyOf(namespec: string): Point[] {
    return this.history.get(namespec) ?? [];
  }

  /** Starts the ticks with the first subscriber, stops them after the last. */
  subscribe(fn: (s: Snapshot) => void): () => void {
    this.subscribers.add(fn);
    if (this.timer === null) {
      this.timer = setInterval(() => void this.sample().catch(() => undefined), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  private async take(): Promise<Snapshot> {
    let snap: Snapshot;
    try {
      const [ps, avail] = await Promise.all([
        this.backend.list({ detail: true }),
        this.backend.avail().catch(() => []),
      ]);
      snap = this.build(ps, new Set(avail.filter((a) => a.autostart).map((a) => a.namespec)));
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      snap = { at: this.now(), rows: this.latest?.rows ?? [], points: {}, error: message };
    }
    this.latest = snap;
    for (const fn of this.subscribers) fn(snap);
    return snap;
  }

  private build(ps: ProcessStatus[], autostart: ReadonlySet<string>): Snapshot {
    const t = this.now();
    const health = healthOf(ps, autostart);
    const points: Record<string, Point> = {};
    const rows: Row[] = [];
    const seen = new Set<string>();
    for (const p of lexical(ps)) {
      seen.add(p.namespec);
      const cpuPct = this.cpuShare(p, t);
      const point = { t, cpuPct, mem: p.memoryBytes };
      points[p.namespec] = point;
      const h = this.history.get(p.namespec) ?? [];
      h.push(point);
      if (h.length > this.maxPoints) h.splice(0, h.length - this.maxPoints);
      this.history.set(p.namespec, h);
      rows.push(toRow(p, health.get(p.namespec) ?? '', this.o.backendOf(p), cpuPct, t));
    }
    // processes gone from the config take their history with them
    for (const k of this.history.keys()) if (!seen.has(k)) this.history.delete(k);
    for (const k of this.lastCpu.keys()) if (!seen.has(k)) this.lastCpu.delete(k);
    return { at: t, rows, points };
  }

  /** Share of one core since the previous sample of the same run; null without one. */
  private cpuShare(p: ProcessStatus, t: number): number | null {
    const prev = this.lastCpu.get(p.namespec);
    if (p.cpuNsec === null) {
      this.lastCpu.delete(p.namespec);
      return null;
    }
    this.lastCpu.set(p.namespec, { t, nsec: p.cpuNsec, pid: p.pid });
    if (prev === undefined || prev.pid !== p.pid || t <= prev.t || p.cpuNsec < prev.nsec)
      return null;
    return ((p.cpuNsec - prev.nsec) / ((t - prev.t) * 1e6)) * 100;
  }
}
