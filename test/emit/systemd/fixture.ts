/** Hand-built Deployments for unit tests (no reader needed). */
import type { Deployment, Group, Process, ProgramInfo } from '../../../src/model/index.ts';

export function proc(name: string, over: Partial<Process> = {}): Process {
  return {
    name,
    program: name,
    processNum: 0,
    origins: {},
    command: '/bin/sleep 1000',
    argv: ['/bin/sleep', '1000'],
    directory: null,
    umask: null,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    exitcodes: [0],
    startsecs: 1,
    startretries: 3,
    stopwaitsecs: 10,
    stopsignal: 'TERM',
    stopasgroup: false,
    killasgroup: false,
    user: null,
    redirect_stderr: false,
    stdout_logfile: 'AUTO',
    stderr_logfile: 'AUTO',
    stdout_logfile_maxbytes: 52428800,
    stderr_logfile_maxbytes: 52428800,
    stdout_logfile_backups: 10,
    stderr_logfile_backups: 10,
    stdout_capture_maxbytes: 0,
    stderr_capture_maxbytes: 0,
    stdout_events_enabled: false,
    stderr_events_enabled: false,
    stdout_syslog: false,
    stderr_syslog: false,
    environment: null,
    serverurl: null,
    ...over,
  };
}

export function program(
  name: string,
  procs: Process[],
  raw: Record<string, string> = {},
  over: Partial<Group> = {},
): Group {
  const origin = {
    file: '/etc/supervisor/test.conf',
    line: 1,
    section: `program:${name}`,
    key: '',
  };
  const info: ProgramInfo = {
    name,
    kind: over.type ?? 'program',
    numprocs: procs.length,
    numprocsStart: 0,
    raw,
    origin,
  };
  return {
    name,
    type: 'program',
    priority: procs[0]?.priority ?? 999,
    processes: procs,
    programs: [info],
    origin,
    ...over,
  };
}

export function deployment(groups: Group[], over: Partial<Deployment> = {}): Deployment {
  return {
    configFile: '/etc/supervisor/test.conf',
    fragment: false,
    files: ['/etc/supervisor/test.conf'],
    supervisord: {
      environment: null,
      umask: 0o22,
      minfds: 1024,
      minprocs: 200,
      identifier: 'supervisor',
      directory: null,
      user: null,
      nodaemon: false,
      origins: {},
    },
    unixHttpServer: null,
    inetHttpServer: null,
    supervisorctl: null,
    groups,
    ...over,
  };
}
