/**
 * Container logs, one channel at a time. The Engine API multiplexes
 * stdout and stderr into frames (8-byte header: stream type, 3 zero bytes,
 * big-endian length); dockerode returns a Buffer when not following and a
 * stream when following. Both go through the same frame parser, which keeps
 * only the asked-for stream type.
 *
 * supervisorctl `tail -N` is the last N bytes; Docker's `tail` counts
 * lines. Every line is at least one byte, so the last N lines hold at least
 * the last N bytes: ask for N lines and cut. A follow prints that, then
 * follows from the last timestamp seen (Docker's `since` is inclusive, so
 * frames at or before it are dropped).
 */
import type { Readable } from 'node:stream';
import type { ContainerLogsOptions } from 'dockerode';
import type { LogRequest } from '../types.ts';
import type { DockerClient } from './client.ts';

const STREAM_TYPE = { stdout: 1, stderr: 2 } as const;
const TS_LEN = '2006-01-02T15:04:05.000000000Z'.length;

/** Splits multiplexed frames; calls `onFrame` for complete ones and keeps the rest. */
class FrameParser {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (type: number, payload: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const type = this.pending[0]!;
      this.onFrame(type, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }
}

/** "TIMESTAMP payload" (timestamps: true) → [timestamp, payload]. */
function splitTimestamp(frame: Buffer): [string, Buffer] {
  const sp = frame.indexOf(0x20);
  if (sp < 0) return ['', frame];
  return [frame.subarray(0, sp).toString('latin1'), frame.subarray(sp + 1)];
}

/** Fixed-width RFC3339Nano compares as strings; pad shorter ones just in case. */
function tsKey(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`.padEnd(TS_LEN, '0');
}

/**
 * A container's logs, or a Swarm task's (`GET /tasks/{id}/logs`: the
 * service's logs for that task, gathered by the manager from whichever
 * node runs it), in the same frames.
 */
export async function containerLogs(
  client: DockerClient,
  id: string,
  logReq: LogRequest,
  sink: (chunk: Buffer) => void,
  from: 'container' | 'task' = 'container',
): Promise<void> {
  const req = { ...logReq, bytes: logReq.bytes ?? 1600 };
  const want = STREAM_TYPE[req.channel];
  // dockerode types Task without logs(); it has it, with the container's options
  const source = (from === 'task'
    ? client.docker.getTask(id)
    : client.docker.getContainer(id)) as unknown as {
    logs(o: ContainerLogsOptions): Promise<Buffer | Readable>;
  };
  const base = {
    stdout: req.channel === 'stdout',
    stderr: req.channel === 'stderr',
    timestamps: true,
  };
  const history = await client.call(`logs of ${from} ${id.slice(0, 12)}`, () =>
    source.logs({ ...base, follow: false, tail: Math.max(1, req.bytes) }),
  );
  const parts: Buffer[] = [];
  let lastTs = '';
  const parser = new FrameParser((type, frame) => {
    if (type !== want) return;
    const [ts, payload] = splitTimestamp(frame);
    if (ts) lastTs = tsKey(ts);
    parts.push(payload);
  });
  parser.push(Buffer.isBuffer(history) ? history : Buffer.from(history as unknown as string));
  const all = Buffer.concat(parts);
  const tail = req.bytes > 0 ? all.subarray(Math.max(0, all.length - req.bytes)) : all;
  if (tail.length > 0) sink(tail);
  if (!req.follow || req.signal?.aborted) return;

  const since = lastTs ? Date.parse(lastTs.slice(0, 19) + 'Z') / 1000 : 0;
  const sinceArg = lastTs ? `${since}.${lastTs.slice(20, 29)}` : '0';
  const stream = (await client.call(`follow logs of ${from} ${id.slice(0, 12)}`, () =>
    source.logs({
      ...base,
      follow: true,
      // a fractional "seconds.nanoseconds" string is what the daemon parses
      since: sinceArg,
    }),
  )) as unknown as Readable;
  const live = new FrameParser((type, frame) => {
    if (type !== want) return;
    const [ts, payload] = splitTimestamp(frame);
    if (lastTs && ts && tsKey(ts) <= lastTs) return;
    sink(Buffer.from(payload));
  });
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      req.signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      stream.destroy();
      finish();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (c: Buffer) => live.push(c));
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', (e) => {
      if (req.signal?.aborted) finish();
      else reject(e);
    });
  });
}
