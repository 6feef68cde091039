/**
 * The exhaustive key table for the compose target: every key a
 * [program:x] / [fcgi-program:x] / [eventlistener:x] section can hold, with
 * what it becomes in compose.yaml and how faithful that is
 * (shared/reference/supervisor-semantics.md §4-6). Adding a key to
 * `ProgramKey` without a row fails to compile. The rows live in one file
 * per concern (start-, restart-, process-, log-, supervisor-only-, health-keys.ts);
 * section-keys.ts has the [supervisord] and group rows.
 *
 * Rules run in table order on one service; each may change the service and
 * returns what became of its key. A key's finding is reported when the key
 * was written in the config, or when the rule is marked `always` (its
 * default behaviour differs from Docker's in a way that matters).
 */
import type { HealthKey } from '../../model/health.ts';
import { HEALTH_RULES } from './health-keys.ts';
import { LOG_RULES } from './log-keys.ts';
import { PROCESS_RULES } from './process-keys.ts';
import { RESTART_RULES } from './restart-keys.ts';
import type { Rule } from './rule.ts';
import { START_RULES } from './start-keys.ts';
import { SUPERVISOR_ONLY_RULES } from './supervisor-only-keys.ts';

export type ProgramKey =
  | 'command'
  | 'process_name'
  | 'numprocs'
  | 'numprocs_start'
  | 'priority'
  | 'autostart'
  | 'startsecs'
  | 'startretries'
  | 'autorestart'
  | 'exitcodes'
  | 'stopsignal'
  | 'stopwaitsecs'
  | 'stopasgroup'
  | 'killasgroup'
  | 'user'
  | 'directory'
  | 'umask'
  | 'environment'
  | 'redirect_stderr'
  | 'stdout_logfile'
  | 'stdout_logfile_maxbytes'
  | 'stdout_logfile_backups'
  | 'stdout_capture_maxbytes'
  | 'stdout_events_enabled'
  | 'stdout_syslog'
  | 'stderr_logfile'
  | 'stderr_logfile_maxbytes'
  | 'stderr_logfile_backups'
  | 'stderr_capture_maxbytes'
  | 'stderr_events_enabled'
  | 'stderr_syslog'
  | 'serverurl'
  | 'socket'
  | 'socket_owner'
  | 'socket_mode'
  | 'socket_backlog'
  | 'events'
  | 'buffer_size'
  | 'result_handler'
  // supctl's own (supervisord ignores them): src/model/health.ts
  | HealthKey;

// Spread in table order: the rules run in this order.
export const PROGRAM_KEYS = {
  ...START_RULES,
  ...RESTART_RULES,
  ...PROCESS_RULES,
  ...LOG_RULES,
  ...SUPERVISOR_ONLY_RULES,
  ...HEALTH_RULES,
} satisfies Record<ProgramKey, Rule>;
