/** Hand-built Deployments for unit tests (no reader needed). */
import type { Deployment } from '../../../src/model/deployment.ts';
import type { Group, ProgramInfo } from '../../../src/model/group.ts';
import type { Process } from '../../../src/model/process.ts';
import type { ComposeOptions } from '../../../src/emit/compose/types.ts';
import { baseProcess } from '../../fixtures/process.ts';

const FILE = '/etc/supervisor/conf.d/app.conf';

export function proc(over: Partial<Process> & { name: string }): Process {
  return baseProcess(over.name, over);
}

/** A homogeneous group [program:NAME] holding `processes`. */
export function group(name: string, processes: Process[], over: Partial<Group> = {}): Group {
  const program: ProgramInfo = {
    name,
    kind: 'program',
    numprocs: processes.length,
    numprocs_start: 0,
    written: [],
    origin: { file: FILE, line: 1, section: `program:${name}`, key: '' },
  };
  return {
    name,
    kind: 'program',
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
