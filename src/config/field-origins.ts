/** Where each process field was set: the origin of the key that sets it. */
import type { Origin } from '../model/origin.ts';
import type { ProcessField } from '../model/process.ts';
import type { SectionReader } from './config-source.ts';

/** Process field → the key that sets it (when written). */
const FIELD_KEYS: ReadonlyArray<[ProcessField, string]> = [
  ['name', 'process_name'],
  ['command', 'command'],
  ['argv', 'command'],
  ['directory', 'directory'],
  ['umask', 'umask'],
  ['priority', 'priority'],
  ['autostart', 'autostart'],
  ['autorestart', 'autorestart'],
  ['exitcodes', 'exitcodes'],
  ['startsecs', 'startsecs'],
  ['startretries', 'startretries'],
  ['stopwaitsecs', 'stopwaitsecs'],
  ['stopsignal', 'stopsignal'],
  ['stopasgroup', 'stopasgroup'],
  ['killasgroup', 'killasgroup'],
  ['user', 'user'],
  ['redirect_stderr', 'redirect_stderr'],
  ['stdout_logfile', 'stdout_logfile'],
  ['stderr_logfile', 'stderr_logfile'],
  ['stdout_logfile_maxbytes', 'stdout_logfile_maxbytes'],
  ['stderr_logfile_maxbytes', 'stderr_logfile_maxbytes'],
  ['stdout_logfile_backups', 'stdout_logfile_backups'],
  ['stderr_logfile_backups', 'stderr_logfile_backups'],
  ['stdout_capture_maxbytes', 'stdout_capture_maxbytes'],
  ['stderr_capture_maxbytes', 'stderr_capture_maxbytes'],
  ['stdout_events_enabled', 'stdout_events_enabled'],
  ['stderr_events_enabled', 'stderr_events_enabled'],
  ['stdout_syslog', 'stdout_syslog'],
  ['stderr_syslog', 'stderr_syslog'],
  ['environment', 'environment'],
  ['serverurl', 'serverurl'],
];

const KEY_FIELDS = new Map<string, ProcessField[]>();
for (const [field, key] of FIELD_KEYS) KEY_FIELDS.set(key, [...(KEY_FIELDS.get(key) ?? []), field]);

export function fieldOrigins(
  r: SectionReader,
  keys: readonly string[],
  supervisordEnv: Origin | undefined,
): Partial<Record<ProcessField, Origin>> {
  const origins: Partial<Record<ProcessField, Origin>> = {};
  for (const key of keys) {
    const fields = KEY_FIELDS.get(key);
    if (fields === undefined) continue;
    const where = r.origin(key);
    for (const field of fields) origins[field] = where;
  }
  // killasgroup defaults to stopasgroup.
  if (origins.killasgroup === undefined && origins.stopasgroup !== undefined) {
    origins.killasgroup = origins.stopasgroup;
  }
  if (origins.environment === undefined && supervisordEnv !== undefined) {
    origins.environment = supervisordEnv;
  }
  return origins;
}
