/**
 * supervisor's readFile/tailFile semantics over Backend.logs, which only
 * gives the last N bytes: offsets count from the start of what the backend
 * returns (the journal or the container log has no stable file offset).
 */
import type { Backend, ProcessStatus } from '../control/types.ts';
import { RpcFault } from './faults.ts';

/** The most a read fetches when it asks for "everything from offset". */
const READ_CAP = 1024 * 1024;

interface LogSlice {
  text: string;
  offset: number;
  overflow: boolean;
}

async function lastBytes(
  b: Backend,
  p: ProcessStatus,
  channel: 'stdout' | 'stderr',
  bytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await b.logs(p, { channel, bytes, follow: false }, (c) => chunks.push(c));
  return Buffer.concat(chunks);
}

/**
 * read (offset<0, length 0: the last -offset bytes; offset≥0: length bytes from offset)
 * or tail (the last `length` bytes; the answer's offset is where a next tail would start).
 */
export async function readLogSlice(
  b: Backend,
  p: ProcessStatus,
  channel: 'stdout' | 'stderr',
  offset: number,
  length: number,
  tail = false,
): Promise<LogSlice> {
  if (length < 0) throw new RpcFault('BAD_ARGUMENTS');
  if (tail) {
    const data = await lastBytes(b, p, channel, length);
    return { text: data.toString('utf8'), offset: offset + data.length, overflow: false };
  }
  if (offset < 0) {
    if (length !== 0) throw new RpcFault('BAD_ARGUMENTS');
    const data = await lastBytes(b, p, channel, -offset);
    return { text: data.toString('utf8'), offset: data.length, overflow: false };
  }
  const data = await lastBytes(b, p, channel, READ_CAP);
  const end = length === 0 ? data.length : Math.min(data.length, offset + length);
  const slice = data.subarray(Math.min(offset, data.length), end);
  return { text: slice.toString('utf8'), offset: end, overflow: false };
}
