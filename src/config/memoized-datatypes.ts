/**
 * supervisor.datatypes conversions (datatypes.ts), memoized: they are pure,
 * and a 5,000-program config repeats the same few values thousands of times.
 */
import * as dt from './datatypes.ts';

const MEMO_LIMIT = 4096;

/**
 * Results are shared, so they must never be mutated. Bounded: a long-lived
 * process reading many configs does not grow it forever.
 */
function memoize<T>(fn: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string): T => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = fn(s);
      if (cache.size >= MEMO_LIMIT) cache.clear();
      cache.set(s, v);
    }
    return v as T;
  };
}

export const autoRestart = memoize(dt.autoRestart);
export const boolean = memoize(dt.boolean);
export const byteSize = memoize(dt.byteSize);
export const integer = memoize(dt.integer);
export const listOfExitcodes = memoize(dt.listOfExitcodes);
export const listOfStrings = memoize(dt.listOfStrings);
export const logfileName = memoize(dt.logfileName);
export const octalType = memoize(dt.octalType);
export const processOrGroupName = memoize(dt.processOrGroupName);
export const signalNumber = memoize(dt.signalNumber);
