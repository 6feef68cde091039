/** Where a scope's unit files and AUTO logs go when not given. */
import { homedir } from 'node:os';
import { join } from 'node:path';

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}
export function defaultUnitDir(scope: 'user' | 'system'): string {
  if (scope === 'system') return '/etc/systemd/system';
  return join(env('XDG_CONFIG_HOME') ?? join(homedir(), '.config'), 'systemd', 'user');
}
export function defaultLogDir(scope: 'user' | 'system'): string {
  if (scope === 'system') return '/var/log/supctl';
  return join(env('XDG_STATE_HOME') ?? join(homedir(), '.local', 'state'), 'supctl', 'log');
}
