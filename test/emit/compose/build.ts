/** Hand-built Deployments for unit tests (no reader needed). */
import type { Deployment } from '../../../src/model/deployment.ts';
import type { Group, ProgramInfo } from '../../../src/model/group.ts';
import type { Process } from '../../../src/model/process.ts';
import type { ComposeOptions } from '../../../src/emit/compose/index.ts';

const FILE = '/etc/supervisor/conf.d/app.conf';

export function proc(over: Partial<Process> & { name: string }): Process {
  const argv = over.argv ?? ['/bin/sleep', '1000'];
  return {
    program: over.name,
    processNum: 0,
    origins: {},
    command: argv.join(' '),
    argv,
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
    serverurl: 'AUTO',
    ...over,
  };
}

/** A homogeneous group [program:NAME] holding `processes`. */
export function group(name: string, processes: Process[], over: Partial<Group> = {}): Group {
  const program: ProgramInfo = {
    name,
    kind: 'program',
    numprocs: processes.length,
    numprocsStart: 0,
    raw: {},
    origin: { file: FILE, line: 1, section: `program:${name}`, key: '' },
  };
  return {
    name,
    type: 'program',
    priority: processes[0]?.priority ?? 999,
    processes: processes.map((p) => ({ ...p, program: name })),
    programs: [program],
    origin: program.origin,
    ...over,
  };
}

export function deployment(groups: Group[], over: Partial<Deployment> = {}): Deployment {
  return {
    configFile: FILE,
    fragment: true,
    files: [FILE],
    supervisord: {
      environment: null,
      umask: 0o022,
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
    groups: [...groups].sort((a, b) => a.name.localeCompare(b.name)),
    ...over,
  };
}

export const OPTS: ComposeOptions = {
  project: 'app',
  image: 'busybox:local',
  images: {},
  envFile: false,
  swarm: false,
  shellWrap: false,
};
