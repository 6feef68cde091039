/**
 * A config file's identity across backends: its real path, so a symlinked
 * or relative path names the same stack as the one the backend recorded.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** The real path of `file`, or its absolute path when it no longer exists. */
export function realConfigPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}
