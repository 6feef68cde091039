/** Plain-object helpers that treat `__proto__` as an ordinary key (config keys may be anything). */

/** obj[key] = value, as an own data property even for `__proto__`. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

const MEMO_LIMIT = 4096;

/**
 * A memo for a pure conversion: configs repeat the same few values thousands
 * of times. Results are shared, so they must never be mutated. Bounded: a
 * long-lived process reading many configs does not grow it forever.
 */
export function memoize<T>(fn: (s: string) => T): (s: string) => T {
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
