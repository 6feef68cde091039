/**
 * What a child really gets when its own key is not written: supervisord's
 * value, which it applies only when it daemonizes (nodaemon=false). One home
 * for these rules so every target and backend agrees.
 */
import { dirname } from 'node:path';
import type { Deployment } from './deployment.ts';
import type { Process } from './process.ts';

/** The working directory, or null when the child inherits supervisord's own (unknown here). */
export function effectiveDirectory(d: Deployment, p: Process): string | null {
  if (p.directory !== null) return p.directory;
  return d.supervisord.nodaemon ? null : d.supervisord.directory;
}

/** The umask, or null when the child inherits the caller's (nodaemon=true and none written). */
export function effectiveUmask(d: Deployment, p: Process): number | null {
  if (p.umask !== null) return p.umask;
  return d.supervisord.nodaemon ? null : d.supervisord.umask;
}

/** The user the child runs as, or null for supervisord's own. */
export function effectiveUser(d: Deployment, p: Process): string | null {
  return p.user ?? d.supervisord.user;
}

/**
 * The directory relative log paths are taken against (the program's
 * directory, supervisord's, else the config file's).
 */
export function logBaseDirectory(d: Deployment, p: Process): string {
  return p.directory ?? d.supervisord.directory ?? dirname(d.configFile);
}
