/**
 * The [Service] directives of one program (or one template of a numprocs
 * program): the mappers of this folder put together in a fixed order.
 */
import type { Deployment } from '../../model/deployment.ts';
import type { Group } from '../../model/group.ts';
import type { Process } from '../../model/process.ts';
import { resolveArgv0 } from './command.ts';
import { envDirectives } from './environment.ts';
import { escapePathValue, execLine } from './escape.ts';
import type { Directive, ProgramFindings } from './findings.ts';
import { killDirectives } from './kill.ts';
import type { RotateEntry } from './logs.ts';
import { logDirectives } from './logs.ts';
import { restartDirectives } from './restart.ts';
import { dirname } from 'node:path';

export interface ServiceInput {
  d: Deployment;
  g: Group;
  /** A process whose string fields may hold INSTANCE markers (templates). */
  p: Process;
  f: ProgramFindings;
  scope: 'system' | 'user';
  inlineEnv: boolean;
  /** Used with inlineEnv only (EnvironmentFile otherwise). */
  env: Map<string, string>;
  rotate: RotateEntry[];
  /** See SystemdOptions.autoLogDir. */
  autoLogDir?: string | undefined;
}

/** The working directory a supervisor child gets, and how sure we are. */
function workingDirectory(d: Deployment, p: Process, f: ProgramFindings): string {
  if (p.directory !== null) {
    f.add('directory', 'EXACT', `WorkingDirectory=${p.directory}`);
    return p.directory;
  }
  const sd = d.supervisord;
  if (sd.directory !== null && !sd.nodaemon) return sd.directory;
  f.add(
    'directory',
    'APPROX',
    "not set: supervisor's child inherits supervisord's working directory; WorkingDirectory=/ is written (where an init system starts supervisord)",
  );
  return '/';
}

function umask(d: Deployment, p: Process, f: ProgramFindings): number {
  if (p.umask !== null) {
    f.add('umask', 'EXACT', `UMask=${octal(p.umask)}`);
    return p.umask;
  }
  if (!d.supervisord.nodaemon) return d.supervisord.umask;
  f.add(
    'umask',
    'APPROX',
    "not set and supervisord runs with nodaemon=true: the child inherits the caller's umask; UMask=0022 is written",
  );
  return 0o022;
}

export function octal(n: number): string {
  return `0${n.toString(8).padStart(3, '0')}`;
}

export function serviceDirectives(i: ServiceInput): Directive[] {
  const { d, g, p, f } = i;
  const out: Directive[] = [{ key: 'Type', value: 'exec' }];

  const cwd = workingDirectory(d, p, f);
  const argv0 = p.argv[0];
  if (argv0 === undefined) throw new Error(`${f.namespec}: empty command`);
  const resolved = resolveArgv0(argv0, {
    environment: p.environment,
    directory: p.directory,
    supervisordDirectory: d.supervisord.nodaemon ? null : d.supervisord.directory,
    configFile: d.configFile,
  });
  out.push({ key: 'ExecStart', value: execLine(resolved.path, p.argv) });
  f.add(
    'command',
    resolved.fidelity,
    `ExecStart= (Type=exec, argv re-quoted as supervisor splits it): ${resolved.message}`,
  );
  out.push({ key: 'WorkingDirectory', value: escapePathValue(cwd) });
  out.push({ key: 'UMask', value: octal(umask(d, p, f)) });

  const user = p.user ?? d.supervisord.user;
  if (user !== null) {
    if (i.scope === 'user') {
      f.add(
        'user',
        'NONE',
        `a user manager cannot switch to ${user}: the program runs as the manager's user (use --scope system)`,
      );
    } else {
      out.push({ key: 'User', value: escapePathValue(user) });
      f.add(
        'user',
        'APPROX',
        `User=${user}; systemd also sets HOME, USER, LOGNAME and SHELL for that user, supervisor leaves them as supervisord had them`,
      );
    }
  }

  out.push(...envDirectives(i.env, i.inlineEnv, i.scope));
  out.push(...restartDirectives(p, f));
  out.push(...killDirectives(p, f));
  const logBase = p.directory ?? d.supervisord.directory ?? dirname(d.configFile);
  out.push(...logDirectives(p, f, logBase, i.rotate, i.autoLogDir));
  if (d.supervisord.minfds > 1024) {
    out.push({ key: 'LimitNOFILE', value: String(d.supervisord.minfds) });
  }
  if (g.kind === 'eventlistener') {
    f.add(
      'events',
      'NONE',
      `eventlistener: systemd has no event protocol; the process runs as a service but receives no ${(g.events ?? []).join(', ') || ''} events on stdin (stdin is /dev/null)`,
    );
    if (f.written('buffer_size')) f.add('buffer_size', 'NONE', 'no event buffer in systemd');
    if (f.written('result_handler')) f.add('result_handler', 'NONE', 'no event results in systemd');
  }
  if (p.serverurl !== null && f.written('serverurl')) {
    f.add('serverurl', 'NONE', 'SUPERVISOR_SERVER_URL pointed at supervisord, which is gone');
  }
  return out;
}
