/**
 * The client side of the status fast path: one GET on serve's private
 * socket for the processes it holds in memory, as the backend would have
 * listed them. Any failure resolves null, and the caller asks the backend.
 */
import { request } from 'node:http';
import { BackendError, type Backend, type ProcessStatus } from '../types.ts';

export const PROCESSES_PATH = '/supctl/processes';

export function processesFromServe(
  socket: string,
  timeoutMs = 2_000,
): Promise<ProcessStatus[] | null> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: PROCESSES_PATH, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(null);
        try {
          const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve(Array.isArray(v) ? (v as ProcessStatus[]) : null);
        } catch {
          resolve(null);
        }
      });
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** A Backend that only lists what serve answered: enough for status, nothing else. */
export function listedBackend(ps: ProcessStatus[]): Backend {
  const no = (): Promise<never> =>
    Promise.reject(new BackendError('FAILED', 'only status is answered through supctl serve'));
  return {
    list: () => Promise.resolve(ps),
    start: no,
    stop: no,
    restart: no,
    signal: no,
    logs: no,
    avail: no,
    plan: no,
    apply: no,
    remove: no,
    close: () => Promise.resolve(),
  };
}
