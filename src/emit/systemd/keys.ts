/**
 * The systemd key table: every key supervisor 4.2.5 reads for a process
 * section ([program:x], [fcgi-program:x], [eventlistener:x]); the [group:x]
 * and [supervisord] rows are in section-keys.ts, of the same shape. Each row is
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
import { effectiveDirectory, effectiveUmask, effectiveUser } from '../../model/effective.ts';
import type { Fidelity } from '../../model/finding.ts';
import { resolveArgv0 } from './command.ts';
import type { ServiceContext } from './context.ts';
import { envDirectives, environmentOutcomes, processEnvironment } from './environment.ts';
import { escapePathValue, execLine, octal } from './escape.ts';
import { socketRows } from './fcgi.ts';
import type { Outcome } from './findings.ts';
import { approx, exact, none } from './findings.ts';
import { HEALTH_KEYS } from '../../model/health.ts';
import { HEALTH_ROWS } from './health-keys.ts';
import { killMode, systemdSignal } from './kill.ts';
import { logRoute, streamRows } from './logs.ts';
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
  // supctl's own (supervisord ignores them): src/model/health.ts
  ...HEALTH_KEYS,
] as const;
type ProgramKey = (typeof PROGRAM_KEYS)[number];

export interface Row<C> {
  /** The systemd directives (or unit) the key becomes. */
  target: string;
  /** The best this row can be; `apply` says what it is for one unit. */
  best: Fidelity;
  /** Writes the key's directives into the context; returns what became of the key. */
  apply: (c: C) => Outcome | Outcome[] | undefined;
}
type Rule = Row<ServiceContext>;

const stdout = streamRows('stdout');
const stderr = streamRows('stderr');

const eventlistenerOnly = (key: string, message: string) => (c: ServiceContext) =>
  c.g.kind === 'eventlistener' && c.written(key) ? none(message) : undefined;

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
      if (c.p.umask !== null) {
        // supervisord opens log files itself, with its own umask; systemd
        // opens them for the service, with the service's UMask= (measured on
        // the booted host: 640 against supervisord's 644 for umask=027).
        const own = c.d.supervisord.umask;
        const files = (['stdout', 'stderr'] as const).filter((s) => {
          const k = logRoute(c.d, c.p, s, c.autoLogDir).kind;
          return k === 'file' || k === 'auto-file';
        });
        if (files.length > 0 && c.p.umask !== own) {
          return approx(
            `UMask=${octal(c.p.umask)}; systemd also creates the ${files.join('/')} log file with it, supervisord with its own umask ${octal(own)}`,
          );
        }
        return exact(`UMask=${octal(c.p.umask)}`);
      }
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
      c.service.push(...envDirectives(env, c.inlineEnv, c.scope, c.file));
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
    apply: socketRows.socket,
  },
  socket_owner: { target: 'SocketUser=, SocketGroup=', best: 'EXACT', apply: socketRows.owner },
  socket_mode: {
    target: "SocketMode= (supervisor's default 0700, systemd's would be 0666)",
    best: 'EXACT',
    apply: socketRows.mode,
  },
  socket_backlog: { target: 'Backlog=', best: 'EXACT', apply: socketRows.backlog },
  events: {
    target: '(none)',
    best: 'NONE',
    apply: (c) =>
      c.g.kind === 'eventlistener'
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
  ...HEALTH_ROWS,
} as const satisfies Record<ProgramKey, Rule>;
