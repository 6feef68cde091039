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
  origins: Partial<Record<string, Origin>>;
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
}
