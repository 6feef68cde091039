/**
 * Renders the backends' progress events (src/control/progress.ts) on
 * stderr: on a terminal one live line rewritten in place, otherwise one
 * line per group; with --json nothing.
 */
import type { ProgressEvent, ProgressSink } from '../control/progress.ts';

/** The part of a stream the renderer uses (process.stderr, or a test's fake). */
interface ProgressStream {
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  write(s: string): unknown;
}

export interface ProgressRenderer {
  sink: ProgressSink;
  /** Clears the live line (terminal): call before printing the verb's result. */
  end(): void;
}

/** `start 3/12 bklog_web (1.4s)`: which group, i of n, elapsed. */
export function progressText(e: ProgressEvent): string {
  return `${e.phase} ${e.index}/${e.total} ${e.group} (${(e.elapsedMs / 1000).toFixed(1)}s)`;
}

// carriage return + erase to end of line: the live line is rewritten in place
const CLEAR = '\r\x1b[K';

export function progressRenderer(
  stream: ProgressStream,
  opts: { json: boolean },
): ProgressRenderer | undefined {
  if (opts.json) return undefined;
  if (stream.isTTY !== true) {
    return { sink: (e) => void stream.write(`supctl: ${progressText(e)}\n`), end: () => undefined };
  }
  let live = false;
  return {
    sink: (e) => {
      const line = `supctl: ${progressText(e)}`;
      // never wider than the terminal: a wrapped line cannot be rewritten
      const width = (stream.columns ?? 80) - 1;
      stream.write(CLEAR + (line.length > width ? line.slice(0, width) : line));
      live = true;
    },
    end: () => {
      if (live) stream.write(CLEAR);
      live = false;
    },
  };
}
