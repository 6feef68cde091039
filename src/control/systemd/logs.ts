/**
 * `tail`: the last N bytes of a program's log file, and `tail -f` by
 * polling its size (a truncated or replaced file is read from the start).
 * A program logging to the journal is read with journalctl.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BackendError } from '../types.ts';

function readRange(file: string, from: number, to: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, to - from));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, from + off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
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
    if (pos > from) sink(readRange(file, from, pos));
  } else pos = 0;
  while (follow && !signal?.aborted) {
    await sleep(pollMs, signal);
    if (signal?.aborted) break;
    const size = sizeOf(file);
    if (size === null) continue;
    if (size < pos) pos = 0; // truncated (logrotate copytruncate)
    if (size > pos) {
      sink(readRange(file, pos, size));
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
  return new Promise((resolve, reject) => {
    const child = spawn('journalctl', [...args, ...(follow ? ['-f', '-n', '10'] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => (follow ? sink(c) : chunks.push(c)));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    signal?.addEventListener('abort', () => child.kill('SIGTERM'));
    child.on('error', (e) =>
      reject(new BackendError('FAILED', `journalctl for ${unit}: ${e.message}`)),
    );
    child.on('close', (code) => {
      if (!follow) {
        const all = Buffer.concat(chunks);
        if (code !== 0 && all.length === 0) {
          reject(
            new BackendError('FAILED', `journalctl for ${unit}: ${err.trim() || `exit ${code}`}`),
          );
          return;
        }
        sink(all.subarray(Math.max(0, all.length - bytes)));
      }
      resolve();
    });
  });
}
