import type { Group } from './group.ts';
import type { Origin } from './origin.ts';

/** [supervisord] keys that reach children, and the daemon's own identity. */
export interface SupervisordSettings {
  environment: Record<string, string> | null;
  umask: number;
  minfds: number;
  minprocs: number;
  identifier: string;
  directory: string | null;
  user: string | null;
  nodaemon: boolean;
  /** The daemon's own log and pid files, as written (after `~` expansion); supervisor's defaults otherwise. */
  logfile?: string;
  logfile_maxbytes?: number;
  logfile_backups?: number;
  /** Lower-cased level name, e.g. "info". */
  loglevel?: string;
  pidfile?: string;
  /** null: the default, the temp directory of the machine supervisord runs on. */
  childlogdir?: string | null;
  nocleanup?: boolean;
  strip_ansi?: boolean;
  silent?: boolean;
  origins: Partial<Record<string, Origin>>;
}

/** A message supervisor's parser records but does not fail on (parse_warnings). */
export interface ParseWarning {
  message: string;
  origin?: Origin;
}

/** An [rpcinterface:x] section (the factory is not imported: that depends on the machine). */
export interface RpcInterface {
  name: string;
  factory: string;
  origin: Origin;
}

export interface UnixHttpServer {
  file: string;
  chmod: number;
  chown: string | null;
  username: string | null;
  password: string | null;
}

export interface InetHttpServer {
  port: string;
  username: string | null;
  password: string | null;
}

export interface SupervisorctlSettings {
  serverurl: string | null;
  username: string | null;
  password: string | null;
}

/** The whole config, as supervisord would run it. Pure data: no target types. */
export interface Deployment {
  /** Absolute path of the main config file (the fragment itself when wrapped). */
  configFile: string;
  /** True when the file had no [supervisord] section and was read as a conf.d fragment. */
  fragment: boolean;
  /** Every file read, in order (main first, then includes). */
  files: string[];
  supervisord: SupervisordSettings;
  unixHttpServer: UnixHttpServer | null;
  inetHttpServer: InetHttpServer | null;
  supervisorctl: SupervisorctlSettings | null;
  /** Sorted by name. */
  groups: Group[];
  /** [rpcinterface:x] sections, in file order. */
  rpcinterfaces?: RpcInterface[];
  /** supervisor's parse warnings (an include pattern matching nothing, deprecated syslog, ...). */
  warnings?: ParseWarning[];
}
