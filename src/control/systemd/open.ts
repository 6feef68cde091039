import type { OpenBackend } from '../backends.ts';
import { createSystemdBackend } from './index.ts';

/**
 * The scope when none is given: SUPCTL_SCOPE if set, else `system` for root
 * and `user` for everyone else (systemctl's default is system; a non-root
 * user can only manage their own user manager without polkit).
 */
export function defaultScope(
  env: Readonly<Record<string, string | undefined>> = process.env,
  uid: number = process.getuid?.() ?? 0,
): 'user' | 'system' {
  const s = env.SUPCTL_SCOPE;
  if (s === 'user' || s === 'system') return s;
  return uid === 0 ? 'system' : 'user';
}

/** The systemd backend's entry in the backend registry (src/control/backends.ts). */
export const open: OpenBackend = (c) => {
  const s = c.options.scope;
  return createSystemdBackend({
    scope: s === 'user' || s === 'system' ? s : defaultScope(c.env),
    project: c.project,
    unitDir: c.env.SUPCTL_SYSTEMD_UNIT_DIR,
    ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
  });
};
