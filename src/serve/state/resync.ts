/**
 * Reconnecting after the bus or the daemon went away: exponential backoff
 * between attempts, so a restarting user manager or dockerd is found again
 * within a couple of seconds without spinning while it is down.
 */
export class Backoff {
  private ms: number;
  constructor(
    private readonly first: number,
    private readonly max: number,
  ) {
    this.ms = first;
  }
  next(): number {
    const ms = this.ms;
    this.ms = Math.min(this.max, this.ms * 2);
    return ms;
  }
  reset(): void {
    this.ms = this.first;
  }
}

/**
 * Keeps one connection open: `connect` resolves with a closer and calls
 * `lost` when its connection ends; after a loss it is retried with backoff.
 * `up` runs after each successful (re)connect, `down` after each loss.
 */
export function keepConnected(
  connect: (lost: (why: string) => void) => Promise<() => void>,
  hooks: { up(): void; down(why: string): void },
): { close(): void } {
  const backoff = new Backoff(200, 2_000);
  let closer: (() => void) | null = null;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let first = true;
  const attempt = (): void => {
    let ended = false;
    const lost = (why: string): void => {
      if (ended || closed) return;
      ended = true;
      first = false;
      closer?.();
      closer = null;
      hooks.down(why);
      retry();
    };
    connect(lost).then(
      (c) => {
        if (closed || ended) {
          c();
          return;
        }
        closer = c;
        backoff.reset();
        if (!first) hooks.up();
        first = false;
      },
      (e: unknown) => lost(e instanceof Error ? e.message : String(e)),
    );
  };
  const retry = (): void => {
    timer = setTimeout(attempt, backoff.next());
    timer.unref();
  };
  attempt();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      closer?.();
    },
  };
}
