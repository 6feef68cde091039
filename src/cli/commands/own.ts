import type { BackendEntry } from '../../control/backends.ts';
import type { Args } from '../options.ts';

/** A backend entry's own options as given, and its own environment variables that are set. */
export function ownOf(e: BackendEntry, a: Args): { options: Args; env: Record<string, string> } {
  const options: Args = {};
  for (const k of Object.keys(e.options)) if (a[k] !== undefined) options[k] = a[k];
  const env: Record<string, string> = {};
  for (const k of Object.keys(e.env)) {
    const v = process.env[k];
    if (v !== undefined && v !== '') env[k] = v;
  }
  return { options, env };
}
