import type { HealthCheck } from './health.ts';
import type { Origin } from './origin.ts';

export type AutoRestart = 'true' | 'false' | 'unexpected';

/**
 * One process as supervisord would run it: the fields of supervisor's
 * ProcessConfig, normalized as in shared/reference/parse-json.md.
 */
export interface ProcessFields {
  name: string;
  command: string;
  argv: string[];
  directory: string | null;
  umask: number | null;
  priority: number;
  autostart: boolean;
  autorestart: AutoRestart;
  exitcodes: number[];
  startsecs: number;
  startretries: number;
  stopwaitsecs: number;
  /** Signal name without SIG, e.g. "TERM". */
  stopsignal: string;
  stopasgroup: boolean;
  killasgroup: boolean;
  user: string | null;
  redirect_stderr: boolean;
  stdout_logfile: string | null;
  stderr_logfile: string | null;
  stdout_logfile_maxbytes: number;
  stderr_logfile_maxbytes: number;
  stdout_logfile_backups: number;
  stderr_logfile_backups: number;
  stdout_capture_maxbytes: number;
  stderr_capture_maxbytes: number;
  stdout_events_enabled: boolean;
  stderr_events_enabled: boolean;
  stdout_syslog: boolean;
  stderr_syslog: boolean;
  /** supervisor's merged dict: [supervisord] environment, then the program's own (program keys win). */
  environment: Record<string, string> | null;
  /** null: AUTO (supervisord's own unix or inet server). */
  serverurl: string | null;
}

export type ProcessField = keyof ProcessFields;

export interface Process extends ProcessFields {
  /** The [program:x] / [fcgi-program:x] / [eventlistener:x] name this process comes from. */
  program: string;
  /** The process_num this process was expanded with. */
  processNum: number;
  /**
   * process_num as the program formats it: the first `%(process_num)…` of
   * process_name, else of command (`%(process_num)02d` → "03"), else plain
   * digits. Names numprocs instances (unit instances, replicas).
   */
  instance: string;
  /** Where each field that was written in the config came from (defaults have none). */
  origins: Partial<Record<ProcessField, Origin>>;
  /**
   * Set when shlex.split(command) fails (`argv` is then []): supervisor
   * accepts such a config and fails at spawn time with this reason.
   */
  argvError?: string;
  /** The program's health check, when its section declares one (health_tcp / health_http). */
  health?: HealthCheck;
  /**
   * key → the X of each %(ENV_X)s its value expanded from the environment
   * supctl read the config in (its value is baked in at convert time); only
   * keys with one. Not in `parse --json`.
   */
  environExpanded?: Record<string, string[]>;
}
