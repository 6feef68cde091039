import type { OpenBackend } from '../backends.ts';
import { discoverServer } from './discover.ts';
import { createSupervisordBackend } from './index.ts';

/** A flag as given, else its environment variable (supctl's own; supervisorctl has none). */
function flag(c: Parameters<OpenBackend>[0], option: string, env: string): string | undefined {
  const v = c.options[option];
  return typeof v === 'string' ? v : c.env[env];
}

/**
 * The supervisord backend's entry in the backend registry
 * (src/control/backends.ts): the server as supervisorctl finds it, from the
 * config file the verb read (if any), overridden field by field by
 * -s/-u/-p; http://localhost:9001 when neither names one.
 */
export const open: OpenBackend = (c) => {
  const s = discoverServer(c.deployment ?? null, {
    serverUrl: flag(c, 'serverurl', 'SUPCTL_SERVERURL'),
    username: flag(c, 'username', 'SUPCTL_USERNAME'),
    password: flag(c, 'password', 'SUPCTL_PASSWORD'),
  });
  return Promise.resolve(
    createSupervisordBackend({
      serverUrl: s.serverUrl,
      username: s.username,
      password: s.password,
      configFile: c.deployment?.configFile,
      project: c.project,
      timeoutMs: c.timeoutMs,
    }),
  );
};
