/**
 * The systemd key table: every key supervisor 4.2.5 reads for a process
 * section ([program:x], [fcgi-program:x], [eventlistener:x]), for
 * [group:x], and the [supervisord] keys that reach children. Each row is
 * both the documentation (`target`, `best`) and the code: `apply` writes the
 * key's directives into the unit and returns what became of the key.
 * `satisfies Record<…, Rule>` makes the table exhaustive: a key cannot be
 * added to the union without a row. test/emit/systemd/keys.test.ts checks
 * the union against supervisor's own options.py.
 *
 * Rows run in table order on one unit file; the file's directive order is
 * fixed separately (service-directives.ts). An outcome is reported when
 * the key was written or is not EXACT.
 */
import type { Deployment } from '../../model/deployment.ts';
import { effectiveDirectory, effectiveUmask, effectiveUser } from '../../model/effective.ts';
import type { Fidelity } from '../../model/finding.ts';
import type { Group } from '../../model/group.ts';
import { resolveArgv0 } from './command.ts';
import type { ServiceContext } from './context.ts';
import { envDirectives, environmentOutcomes, processEnvironment } from './environment.ts';
import { escapePathValue, execLine } from './escape.ts';
import { socketAddress } from './fcgi.ts';
import type { Directive, Outcome } from './findings.ts';
import { approx, exact, none } from './findings.ts';
import { killMode, systemdSignal } from './kill.ts';
import type { Stream } from './logs.ts';
import { logRoute, routeDirectiveValue, streamOutcomes } from './logs.ts';
import { restartDirectives, successStatuses } from './restart.ts';

export const PROGRAM_KEYS = [
  'command',
  'process_name',
  'numprocs',
  'numprocs_start',
  'priority',
  'autostart',
  'autorestart',
  'startsecs',
  'startretries',
  'exitcodes',
  'stopsignal',
  'stopwaitsecs',
  'stopasgroup',
  'killasgroup',
  'user',
  'directory',
  'umask',
  'redirect_stderr',
  'stdout_logfile',
  'stdout_logfile_maxbytes',
  'stdout_logfile_backups',
  'stdout_capture_maxbytes',
  'stdout_events_enabled',
  'stdout_syslog',
  'stderr_logfile',
  'stderr_logfile_maxbytes',
  'stderr_logfile_backups',
  'stderr_capture_maxbytes',
  'stderr_events_enabled',
  'stderr_syslog',
  'environment',
  'serverurl',
  // [fcgi-program:x]
  'socket',
  'socket_owner',
  'socket_mode',
  'socket_backlog',
  // [eventlistener:x]
  'events',
  'buffer_size',
  'result_handler',
] as const;
export type ProgramKey = (typeof PROGRAM_KEYS)[number];

export const GROUP_KEYS = ['programs', 'priority'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** [supervisord] keys whose effect reaches the children. */
export const SUPERVISORD_KEYS = [
  'environment',
  'umask',
  'directory',
  'user',
  'minfds',
  'minprocs',
  'nodaemon',
] as const;
export type SupervisordKey = (typeof SUPERVISORD_KEYS)[number];

interface Row<C> {
  /** The systemd directives (or unit) the key becomes. */
  target: string;
  /** The best this row can be; `apply` says what it is for one unit. */
  best: Fidelity;
  /** Writes the key's directives into the context; returns what became of the key. */
  apply: (c: C) => Outcome | Outcome[] | undefined;
}
export type Rule = Row<ServiceContext>;

export function octal(n: number): string {
  return `0${n.toString(8).padStart(3, '0')}`;
}

const stream = (s: Stream) => ({
  logfile: (c: ServiceContext): Outcome | undefined => {
    const r = logRoute(c.d, c.p, s, c.autoLogDir);
    if (r.kind === 'stdout') {
      return exact('ignored with redirect_stderr=true, as supervisor does');
    }
    c.service.push({
      key: s === 'stdout' ? 'StandardOutput' : 'StandardError',
      value: routeDirectiveValue(r, s),
    });
    return streamOutcomes(c.d, c.p, s, c.autoLogDir).logfile;
  },
  rotation: (key: 'logfile_maxbytes' | 'logfile_backups') => (c: ServiceContext) =>
    streamOutcomes(c.d, c.p, s, c.autoLogDir)[key],
  syslog: (c: ServiceContext) => streamOutcomes(c.d, c.p, s, c.autoLogDir).syslog,
  capture: (c: ServiceContext): Outcome | undefined => {
    if (s === 'stderr' && c.p.redirect_stderr) return undefined;
    const cap = s === 'stdout' ? c.p.stdout_capture_maxbytes : c.p.stderr_capture_maxbytes;
    return cap > 0
      ? none('capture mode (PROCESS_COMMUNICATION events) has no systemd counterpart')
      : exact('off');
  },
  events: (c: ServiceContext): Outcome | undefined => {
    if (s === 'stderr' && c.p.redirect_stderr) return undefined;
    const ev = s === 'stdout' ? c.p.stdout_events_enabled : c.p.stderr_events_enabled;
    return ev ? none('PROCESS_LOG events have no systemd counterpart') : exact('off');
  },
});
const stdout = stream('stdout');
const stderr = stream('stderr');

const eventlistenerOnly = (key: string, message: string) => (c: ServiceContext) =>
  c.g.type === 'eventlistener' && c.written(key) ? none(message) : undefined;

export const PROGRAM_RULES = {
  command: {
    target: 'ExecStart= (Type=exec)',
    best: 'EXACT',
    apply(c) {
      const argv0 = c.p.argv[0];
      if (argv0 === undefined) throw new Error(`${c.file}: empty command`);
      const resolved = resolveArgv0(argv0, {
        environment: c.p.environment,
        directory: c.p.directory,
        supervisordDirectory: c.d.supervisord.nodaemon ? null : c.d.supervisord.directory,
        configFile: c.d.configFile,
        isExecutable: c.isExecutable,
      });
      c.service.push({ key: 'Type', value: 'exec' });
      c.service.push({ key: 'ExecStart', value: execLine(resolved.path, c.p.argv) });
      return {
        fidelity: resolved.fidelity,
        message: `ExecStart= (Type=exec, argv re-quoted as supervisor splits it): ${resolved.message}`,
      };
    },
  },
  process_name: {
    target: 'SUPERVISOR_PROCESS_NAME, SyslogIdentifier=',
    best: 'EXACT',
    apply(c) {
      c.service.push({ key: 'SyslogIdentifier', value: escapePathValue(c.p.name) });
      return undefined;
    },
  },
  numprocs: {
    target: 'PROJECT-PROGRAM@.service + one instance per process',
    best: 'EXACT',
    apply(c) {
      const n = c.units.length;
      if (c.layout === 'single') return exact(`one unit ${c.file}`);
      if (c.layout === 'template') {
        return approx(
          `${n} processes become the template ${c.file} with instances ${c.instances.join(', ')}; %(process_num) is formatted at translation time and written as %i`,
        );
      }
      return approx(
        `${n} processes whose values differ in ways one template cannot express become ${n} unit files ${c.units.join(', ')}`,
      );
    },
  },
  numprocs_start: { target: 'instance names', best: 'EXACT', apply: () => undefined },
  priority: {
    target: 'After= on every lower-priority unit',
    best: 'EXACT',
    apply: (c) =>
      c.ordered
        ? approx(
            'After= on every lower-priority unit: systemd waits for each start job (exec) before starting the next, supervisord spawns in order without waiting; stop order is reversed and waited on in both',
          )
        : exact('no other program has a different priority: no ordering'),
  },
  autostart: {
    target: 'Wants= from the project/group target (or not)',
    best: 'EXACT',
    apply: (c) =>
      exact(
        c.p.autostart ? `pulled in by ${c.partOf}` : 'not pulled in by any target (start by hand)',
      ),
  },
  autorestart: {
    target: 'Restart=always|no|on-failure (+RestartForceExitStatus=), RestartSec=1s',
    best: 'EXACT',
    apply(c) {
      c.service.push(...restartDirectives(c.p));
      // supervisord restarts on its next 1 s loop (measured 1.01 s); its first backoff step is 1 s
      c.service.push({ key: 'RestartSec', value: '1s' });
      if (c.p.autorestart === 'true') return exact('Restart=always: restarted after every exit');
      if (c.p.autorestart === 'false') return exact('Restart=no: never restarted after an exit');
      return exact(
        'Restart=on-failure with RestartForceExitStatus=: restarted after any exit status outside exitcodes and after every signal death',
      );
    },
  },
  startsecs: {
    target: '(none)',
    best: 'EXACT',
    apply: (c) =>
      c.p.startsecs === 0
        ? exact('startsecs=0: every exit counts as an exit from RUNNING in both')
        : none(
            `systemd has no STARTING state: an exit within ${c.p.startsecs}s is retried by supervisor whatever its exit status, while systemd applies Restart= to it like any other exit`,
          ),
  },
  startretries: {
    target: 'StartLimitIntervalSec=0 ([Unit])',
    best: 'APPROX',
    apply(c) {
      // supervisord never limits manual starts or restarts after RUNNING
      c.unit.push({ key: 'StartLimitIntervalSec', value: '0' });
      return c.p.startsecs === 0
        ? approx(
            `supervisor retries only spawn failures, ${c.p.startretries} times, then gives up (FATAL); systemd retries every 1 s without limit when Restart= applies`,
          )
        : none(
            `supervisor gives up (FATAL) after ${c.p.startretries + 1} quick failures with 1..${c.p.startretries} s waits; systemd restarts every 1 s without limit (StartLimitIntervalSec=0)`,
          );
    },
  },
  exitcodes: {
    target: 'SuccessExitStatus= (and RestartForceExitStatus=0 when 0 is not in it)',
    best: 'EXACT',
    apply(c) {
      const success = successStatuses(c.p);
      if (success.length > 0)
        c.service.push({ key: 'SuccessExitStatus', value: success.join(' ') });
      return exact(
        `exit statuses ${c.p.exitcodes.join(',')} count as expected (SuccessExitStatus=${success.join(' ') || '0'})`,
      );
    },
  },
  stopsignal: {
    target: 'KillSignal=',
    best: 'EXACT',
    apply(c) {
      const sig = systemdSignal(c.p.stopsignal);
      c.service.push({ key: 'KillSignal', value: sig });
      return exact(`KillSignal=${sig} (systemd follows it with SIGCONT)`);
    },
  },
  stopwaitsecs: {
    target: 'TimeoutStopSec=, SendSIGKILL=yes',
    best: 'EXACT',
    apply(c) {
      const w = c.p.stopwaitsecs;
      c.service.push({ key: 'TimeoutStopSec', value: w > 0 ? `${w}s` : '1s' });
      c.service.push({ key: 'SendSIGKILL', value: 'yes' });
      return w > 0
        ? exact(`TimeoutStopSec=${w}s, then SIGKILL`)
        : approx(
            'stopwaitsecs=0: supervisor sends SIGKILL on its next (≤1 s) tick; TimeoutStopSec=0 would mean never, so 1s is written',
          );
    },
  },
  stopasgroup: {
    target: 'KillMode=process|mixed|control-group (with killasgroup, kill.ts)',
    best: 'EXACT',
    apply(c) {
      const k = killMode(c.p);
      c.service.push({ key: 'KillMode', value: k.mode });
      return k.stopasgroup;
    },
  },
  killasgroup: {
    target: 'KillMode= (with stopasgroup, kill.ts)',
    best: 'EXACT',
    apply(c) {
      const k = killMode(c.p);
      return k.mode === 'control-group' && !c.written('killasgroup') ? undefined : k.killasgroup;
    },
  },
  user: {
    target: 'User=',
    best: 'APPROX',
    apply(c) {
      const user = effectiveUser(c.d, c.p);
      if (user === null) return undefined;
      if (c.scope === 'user') {
        return none(
          `a user manager cannot switch to ${user}: the program runs as the manager's user (use --scope system)`,
        );
      }
      c.service.push({ key: 'User', value: escapePathValue(user) });
      return approx(
        `User=${user}; systemd also sets HOME, USER, LOGNAME and SHELL for that user, supervisor leaves them as supervisord had them`,
      );
    },
  },
  directory: {
    target: 'WorkingDirectory=',
    best: 'EXACT',
    apply(c) {
      const dir = effectiveDirectory(c.d, c.p);
      c.service.push({ key: 'WorkingDirectory', value: escapePathValue(dir ?? '/') });
      if (c.p.directory !== null) return exact(`WorkingDirectory=${c.p.directory}`);
      if (dir !== null) return undefined; // supervisord's, reported on [supervisord]
      return approx(
        "not set: supervisor's child inherits supervisord's working directory; WorkingDirectory=/ is written (where an init system starts supervisord)",
      );
    },
  },
  umask: {
    target: 'UMask=',
    best: 'EXACT',
    apply(c) {
      const umask = effectiveUmask(c.d, c.p);
      c.service.push({ key: 'UMask', value: octal(umask ?? 0o022) });
      if (c.p.umask !== null) return exact(`UMask=${octal(c.p.umask)}`);
      if (umask !== null) return undefined; // supervisord's, reported on [supervisord]
      return approx(
        "not set and supervisord runs with nodaemon=true: the child inherits the caller's umask; UMask=0022 is written",
      );
    },
  },
  redirect_stderr: {
    target: 'StandardError=inherit',
    best: 'EXACT',
    apply(c) {
      if (!c.p.redirect_stderr) return exact('stderr kept separate');
      c.service.push({ key: 'StandardError', value: 'inherit' });
      return exact('StandardError=inherit: fd 2 is the same file as stdout');
    },
  },
  stdout_logfile: {
    target: 'StandardOutput=append:PATH|null|journal',
    best: 'EXACT',
    apply: stdout.logfile,
  },
  stdout_logfile_maxbytes: {
    target: '(logrotate snippet with --logrotate)',
    best: 'EXACT',
    apply: stdout.rotation('logfile_maxbytes'),
  },
  stdout_logfile_backups: {
    target: '(logrotate snippet with --logrotate)',
    best: 'EXACT',
    apply: stdout.rotation('logfile_backups'),
  },
  stdout_capture_maxbytes: { target: '(none)', best: 'EXACT', apply: stdout.capture },
  stdout_events_enabled: { target: '(none)', best: 'EXACT', apply: stdout.events },
  stdout_syslog: {
    target: 'StandardOutput=journal, SyslogIdentifier=',
    best: 'APPROX',
    apply: stdout.syslog,
  },
  stderr_logfile: {
    target: 'StandardError=append:PATH|null|journal',
    best: 'EXACT',
    apply: stderr.logfile,
  },
  stderr_logfile_maxbytes: {
    target: '(logrotate snippet with --logrotate)',
    best: 'EXACT',
    apply: stderr.rotation('logfile_maxbytes'),
  },
  stderr_logfile_backups: {
    target: '(logrotate snippet with --logrotate)',
    best: 'EXACT',
    apply: stderr.rotation('logfile_backups'),
  },
  stderr_capture_maxbytes: { target: '(none)', best: 'EXACT', apply: stderr.capture },
  stderr_events_enabled: { target: '(none)', best: 'EXACT', apply: stderr.events },
  stderr_syslog: {
    target: 'StandardError=journal, SyslogIdentifier=',
    best: 'APPROX',
    apply: stderr.syslog,
  },
  environment: {
    target: 'EnvironmentFile= (0600) or Environment= with --inline-env',
    best: 'APPROX',
    apply(c) {
      const { env, dropped } = processEnvironment(c.p, c.g.name);
      c.service.push(...envDirectives(env, c.inlineEnv, c.scope));
      return environmentOutcomes(dropped);
    },
  },
  serverurl: {
    target: '(none)',
    best: 'NONE',
    apply: (c) =>
      c.p.serverurl !== null && c.written('serverurl')
        ? none('SUPERVISOR_SERVER_URL pointed at supervisord, which is gone')
        : undefined,
  },
  socket: {
    target:
      'PROJECT-PROGRAM.socket ListenStream=, Accept=no (Service= the first instance); Sockets=, StandardInput=socket',
    best: 'APPROX',
    apply(c) {
      if (c.g.socket === undefined) return undefined;
      const addr = socketAddress(c.g);
      if (addr === null || c.socketFile === null) {
        return none(`socket URL ${c.g.socket} is neither unix:// nor tcp://; no socket unit`);
      }
      c.service.push({ key: 'Sockets', value: c.socketFile });
      c.service.push({ key: 'StandardInput', value: 'socket' });
      c.socket?.push({ key: 'ListenStream', value: escapePathValue(addr.address) });
      c.socket?.push({ key: 'Accept', value: 'no' });
      // a socket unit activates one service: the first instance; the others get it via Sockets=
      if (c.layout !== 'single') c.socket?.push({ key: 'Service', value: c.units[0]! });
      return approx(
        'systemd owns the socket (PROJECT-PROGRAM.socket) and passes it on fd 0; the socket exists while the socket unit is active, not only while the program runs',
      );
    },
  },
  socket_owner: {
    target: 'SocketUser=, SocketGroup=',
    best: 'EXACT',
    apply(c) {
      const owner = c.g.socketOwner;
      if (socketAddress(c.g)?.kind !== 'unix' || !owner) return undefined;
      const [user, group] = owner.split(':');
      if (user) c.socket?.push({ key: 'SocketUser', value: escapePathValue(user) });
      if (group) c.socket?.push({ key: 'SocketGroup', value: escapePathValue(group) });
      return exact(`SocketUser=/SocketGroup= ${owner}`);
    },
  },
  socket_mode: {
    target: "SocketMode= (supervisor's default 0700, systemd's would be 0666)",
    best: 'EXACT',
    apply(c) {
      if (socketAddress(c.g)?.kind !== 'unix') return undefined;
      const mode = c.g.socketMode ?? 0o700;
      c.socket?.push({ key: 'SocketMode', value: octal(mode) });
      return exact(`SocketMode=0${mode.toString(8)}`);
    },
  },
  socket_backlog: {
    target: 'Backlog=',
    best: 'EXACT',
    apply(c) {
      const backlog = c.g.socketBacklog;
      if (socketAddress(c.g) === null || backlog === null || backlog === undefined)
        return undefined;
      c.socket?.push({ key: 'Backlog', value: String(backlog) });
      return exact(`Backlog=${backlog}`);
    },
  },
  events: {
    target: '(none)',
    best: 'NONE',
    apply: (c) =>
      c.g.type === 'eventlistener'
        ? none(
            `eventlistener: systemd has no event protocol; the process runs as a service but receives no ${(c.g.events ?? []).join(', ') || ''} events on stdin (stdin is /dev/null)`,
          )
        : undefined,
  },
  buffer_size: {
    target: '(none)',
    best: 'NONE',
    apply: eventlistenerOnly('buffer_size', 'no event buffer in systemd'),
  },
  result_handler: {
    target: '(none)',
    best: 'NONE',
    apply: eventlistenerOnly('result_handler', 'no event results in systemd'),
  },
} as const satisfies Record<ProgramKey, Rule>;

/** A [group:x] section and the target it becomes. */
export interface GroupContext {
  g: Group;
  target: string;
}

export const GROUP_RULES = {
  programs: {
    target: 'PROJECT-GROUP.target: Wants= its autostart members, members PartOf= it',
    best: 'APPROX',
    apply: (c) =>
      approx(
        `[group:${c.g.name}] becomes ${c.target}: it Wants= its autostart members, which are PartOf= it; process names are not prefixed with the group`,
      ),
  },
  // the members' own priority rows order them (ordering.ts sorts by group priority first)
  priority: {
    target: 'After= between members of different groups',
    best: 'APPROX',
    apply: () => undefined,
  },
} as const satisfies Record<GroupKey, Row<GroupContext>>;

export interface SupervisordRule extends Row<Deployment> {
  /** Directives every service gets from this key. */
  service?: (d: Deployment) => Directive[];
}

const writtenIn = (d: Deployment, key: string) => d.supervisord.origins[key] !== undefined;

export const SUPERVISORD_RULES = {
  environment: {
    target: "merged into every program's environment",
    best: 'APPROX',
    apply: (d) =>
      writtenIn(d, 'environment')
        ? approx("merged into every program's environment, as supervisord does")
        : undefined,
  },
  umask: {
    target: 'UMask= on every program without its own umask',
    best: 'EXACT',
    apply(d) {
      if (!writtenIn(d, 'umask')) return undefined;
      return d.supervisord.nodaemon
        ? approx('nodaemon=true: supervisord does not apply its umask; programs get UMask=0022')
        : exact(`UMask=${d.supervisord.umask.toString(8)} on every program without its own umask`);
    },
  },
  directory: {
    target: 'WorkingDirectory= on every program without its own directory',
    best: 'EXACT',
    apply(d) {
      if (!writtenIn(d, 'directory')) return undefined;
      return d.supervisord.nodaemon
        ? approx('nodaemon=true: supervisord does not chdir; programs get WorkingDirectory=/')
        : exact(
            `WorkingDirectory=${d.supervisord.directory ?? ''} on every program without its own directory`,
          );
    },
  },
  user: {
    target: 'User= on every program without its own user',
    best: 'APPROX',
    apply: (d) =>
      writtenIn(d, 'user')
        ? approx(`every program without its own user runs as ${d.supervisord.user ?? ''} (User=)`)
        : undefined,
  },
  minfds: {
    target: "LimitNOFILE= (only above systemd's default soft limit 1024)",
    best: 'APPROX',
    service: (d) =>
      d.supervisord.minfds > 1024
        ? [{ key: 'LimitNOFILE', value: String(d.supervisord.minfds) }]
        : [],
    apply(d) {
      const n = d.supervisord.minfds;
      if (!writtenIn(d, 'minfds') && n <= 1024) return undefined;
      return approx(
        n > 1024
          ? `LimitNOFILE=${n}: systemd sets the soft and hard limit to exactly that, supervisor only raises the soft limit to at least that`
          : `minfds=${n} is within systemd's default soft limit 1024; children get 1024 where supervisor's inherited supervisord's (possibly higher) limit`,
      );
    },
  },
  minprocs: {
    target: 'LimitNPROC= (not written)',
    best: 'APPROX',
    apply: (d) =>
      writtenIn(d, 'minprocs')
        ? approx(
            `minprocs=${d.supervisord.minprocs}: no LimitNPROC= is written; systemd's default is the kernel's, normally far higher`,
          )
        : undefined,
  },
  nodaemon: {
    target: '(decides the umask and directory rows)',
    best: 'EXACT',
    apply: () => undefined,
  },
} as const satisfies Record<SupervisordKey, SupervisordRule>;
