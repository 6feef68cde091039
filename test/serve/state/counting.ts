/**
 * A Backend wrapper that counts the calls made to the real backend inside
 * it: the proof that reads through the state store cost no round trips.
 * It wraps a real backend; it fakes nothing.
 */
import type { Backend } from '../../../src/control/types.ts';

export function counting(b: Backend): {
  backend: Backend;
  calls: Map<string, number>;
  total(): number;
} {
  const calls = new Map<string, number>();
  const count = (k: string): void => void calls.set(k, (calls.get(k) ?? 0) + 1);
  const wrapped = new Proxy(b, {
    get(target, prop, recv) {
      const v: unknown = Reflect.get(target, prop, recv);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        count(prop);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { backend: wrapped, calls, total: () => [...calls.values()].reduce((a, n) => a + n, 0) };
}
