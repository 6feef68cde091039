/** Hand-built Deployments for unit tests (no reader needed). */
import type { Deployment, Group, Process } from '../../../src/model/index.ts';
import { baseProcess } from '../../fixtures/process.ts';

export function proc(name: string, over: Partial<Process> = {}): Process {
  return baseProcess(name, { command: '/bin/sleep 1000', serverurl: null, ...over });
}

/** `written`: the keys written in the section, with their values (only the keys are used). */
export function program(
  name: string,
  procs: Process[],
  written: Record<string, string> = {},
  over: Partial<Group> = {},
): Group {
  const origin = {
    file: '/etc/supervisor/test.conf',
    line: 1,
    section: `program:${name}`,
    key: '',
  };
  // a cast, not a literal: the emitters read no other ProgramInfo field
  const info = {
    name,
    kind: over.kind ?? 'program',
    numprocs: procs.length,
    numprocs_start: 0,
    written: Object.keys(written),
    origin,
  };
  return {
    name,
    kind: 'program',
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
