/**
 * Single-container operations shared by the verbs and apply: each bounded
 * by a timeout, with the Engine API's "already" answers made results.
 */
import { BackendError } from '../types.ts';
import type { DockerClient } from './client.ts';
import { statusCode } from './client.ts';

export async function ignore404(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof BackendError && e.code === 'NOT_FOUND')) throw e;
  }
}

/** stop() rejects 304 on a stopped container: that is success here. */
export async function stopContainer(
  client: DockerClient,
  id: string,
  stopTimeout: number | undefined,
): Promise<'stopped' | 'not-running'> {
  try {
    await client.call(
      `stop ${id.slice(0, 12)}`,
      (dk) => dk.getContainer(id).stop(),
      ((stopTimeout ?? 10) + 10) * 1000,
    );
    return 'stopped';
  } catch (e) {
    if (e instanceof BackendError && statusCode(e.cause) === 304) return 'not-running';
    throw e;
  }
}

/** Starting on vfs storage copies nothing but still takes seconds under load: a longer bound. */
export async function startContainer(
  client: DockerClient,
  name: string,
  id: string,
): Promise<void> {
  await client.call(
    `start container ${name}`,
    (dk) => dk.getContainer(id).start() as Promise<unknown>,
    Math.max(client.timeoutMs, 60_000),
  );
}

export async function renameContainer(
  client: DockerClient,
  id: string,
  name: string,
): Promise<void> {
  await client.call(
    `rename ${id.slice(0, 12)} to ${name}`,
    (dk) => dk.getContainer(id).rename({ name }) as Promise<unknown>,
  );
}

export async function removeContainer(client: DockerClient, id: string): Promise<void> {
  await ignore404(
    client.call(`remove ${id.slice(0, 12)}`, (dk) => dk.getContainer(id).remove({ force: true })),
  );
}

/**
 * Container creates/starts/stops at most this many at a time: the daemon
 * (vfs storage above all) serializes them anyway, and a flood of 50 makes
 * every call wait as long as the whole batch.
 */
const CONCURRENCY = 8;

/** fn over the items, CONCURRENCY at a time; after a failure no new item starts; throws the first error once the running ones end. */
export async function each<T, R>(items: readonly T[], fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let first: { e: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !first) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (e) {
        first ??= { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  if (first) throw first.e;
  return out;
}

/** fn over every item, CONCURRENCY at a time, whatever fails (an undo tries every step); the failures. */
export async function eachSettled<T>(
  items: readonly T[],
  fn: (x: T) => Promise<unknown>,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  await each(items, async (x) => {
    try {
      await fn(x);
    } catch (e) {
      errors.push(e);
    }
  });
  return errors;
}
