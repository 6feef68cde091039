/**
 * `tail`: the last N bytes of a program's log file, and `tail -f` by
 * polling its size (a truncated or replaced file is read from the start).
 * A program logging to the journal is read with journalctl. Memory stays
 * bounded however large the log: files are read in chunks from the offset
 * wanted, and of journalctl's output only the last N bytes are kept.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BackendError } from '../types.ts';

/** The most read at once: a log that grew by gigabytes between polls is passed on in pieces. */
export const CHUNK = 1 << 20;

/** Bytes [from, to) of `file` to `sink`, CHUNK at a time. */
function readRange(file: string, from: number, to: number, sink: (chunk: Buffer) => void): void {
  const fd = openSync(file, 'r');
  try {
    for (let pos = from; pos < to;) {
      const buf = Buffer.alloc(Math.min(CHUNK, to - pos));
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      sink(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Keeps the last `limit` bytes of what is pushed. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  push(c: Buffer): void {
    this.chunks.push(c);
    this.size += c.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  result(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit));
  }
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind either way. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export async function tailFile(
  file: string,
  bytes: number,
  follow: boolean,
  sink: (chunk: Buffer) => void,
  signal?: AbortSignal,
  pollMs = 200,
): Promise<void> {
  let pos = sizeOf(file);
  if (pos === null && !follow) {
    throw new BackendError('NOT_FOUND', `no log file ${file} (the program has not written yet)`);
  }
  if (pos !== null) {
    const from = Math.max(0, pos - bytes);
    if (pos > from) readRange(file, from, pos, sink);
  } else pos = 0;
  while (follow && !signal?.aborted) {
    await sleep(pollMs, signal);
    if (signal?.aborted) break;
    const size = sizeOf(file);
    if (size === null) continue;
    if (size < pos) pos = 0; // truncated (logrotate copytruncate)
    if (size > pos) {
      readRange(file, pos, size, sink);
      pos = size;
    }
  }
}

export function tailJournal(
  unit: string,
  scope: 'user' | 'system',
  bytes: number,
  follow: boolean,
  sink: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  const args = [...(scope === 'user' ? ['--user'] : []), '-u', unit, '-o', 'cat', '--no-pager'];
  // every line is at least one byte (its newline): the last N bytes lie within the last N lines
  const lines = follow ? ['-f', '-n', '10'] : ['-n', String(Math.max(1, bytes))];
  return new Promise((resolve, reject) => {
    const child = spawn('journalctl', [...args, ...lines], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kept = new TailBuffer(bytes);
    let err = '';
    child.stdout.on('data', (c: Buffer) => (follow ? sink(c) : kept.push(c)));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    signal?.addEventListener('abort', () => child.kill('SIGTERM'));
    child.on('error', (e) =>
      reject(new BackendError('FAILED', `journalctl for ${unit}: ${e.message}`)),
    );
    child.on('close', (code) => {
      if (!follow) {
        const all = kept.result();
        if (code !== 0 && all.length === 0) {
          reject(
            new BackendError('FAILED', `journalctl for ${unit}: ${err.trim() || `exit ${code}`}`),
          );
          return;
        }
        sink(all);
      }
      resolve();
    });
  });
}
