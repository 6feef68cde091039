/**
 * The systemd key table: every key supervisor 4.2.5 reads for a process
 * section ([program:x], [fcgi-program:x], [eventlistener:x]), for
 * [group:x], and the [supervisord] keys that reach children, each with its
 * systemd 252 translation and fidelity. `satisfies Record<…, Rule>` makes the
 * table exhaustive: a key cannot be added to the union without a row.
 * test/emit/systemd/keys.test.ts checks the union against supervisor's own
 * options.py.
 *
 * `BY_VALUE` rows are graded per program by the mapper named in `systemd`;
 * the note then says what decides.
 */
import type { Fidelity } from '../../model/finding.ts';

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

export interface Rule {
  /** The systemd directives (or unit) the key becomes. */
  systemd: string;
  fidelity: Fidelity | 'BY_VALUE';
  /** What differs (APPROX/NONE), or what is kept (EXACT). One sentence. */
  note: string;
}

export const PROGRAM_RULES = {
  command: {
    systemd: 'ExecStart= (Type=exec)',
    fidelity: 'BY_VALUE',
    note: 'argv re-quoted from shlex.split; EXACT with an absolute argv0, APPROX when the name is resolved at translation time (command.ts)',
  },
  process_name: {
    systemd: 'template instance, SUPERVISOR_PROCESS_NAME',
    fidelity: 'EXACT',
    note: 'the process name becomes SUPERVISOR_PROCESS_NAME; units are named after the program',
  },
  numprocs: {
    systemd: 'PROJECT-PROGRAM@.service + one instance per process',
    fidelity: 'BY_VALUE',
    note: 'EXACT for 1; APPROX above: one template unit, %(process_num) formatted at translation time into the instance name',
  },
  numprocs_start: {
    systemd: 'instance names',
    fidelity: 'EXACT',
    note: 'the instance names are the formatted process numbers',
  },
  priority: {
    systemd: 'After= on every lower-priority unit',
    fidelity: 'APPROX',
    note: 'systemd waits for each start job (exec) before starting the next, supervisord spawns in order without waiting; stop order is reversed and waited on in both',
  },
  autostart: {
    systemd: 'Wants= from the project/group target (or not)',
    fidelity: 'EXACT',
    note: 'autostart=false units are not pulled in by any target',
  },
  autorestart: {
    systemd: 'Restart=always|no|on-failure (+RestartForceExitStatus=)',
    fidelity: 'EXACT',
    note: 'the decision after an exit past startsecs; exits within startsecs are the startsecs row',
  },
  exitcodes: {
    systemd: 'SuccessExitStatus=, RestartForceExitStatus=',
    fidelity: 'EXACT',
    note: 'codes outside exitcodes and every signal death restart with autorestart=unexpected',
  },
  startsecs: {
    systemd: '(none)',
    fidelity: 'BY_VALUE',
    note: 'EXACT for 0; otherwise NONE: systemd has no STARTING→RUNNING delay, an early exit is handled like any other exit',
  },
  startretries: {
    systemd: 'StartLimitIntervalSec=0, RestartSec=1s',
    fidelity: 'BY_VALUE',
    note: 'systemd never gives up (no FATAL); supervisor retries fast failures startretries times with 1,2,3… s waits',
  },
  stopsignal: {
    systemd: 'KillSignal=',
    fidelity: 'EXACT',
    note: 'same signal to the main process; systemd follows it with SIGCONT',
  },
  stopwaitsecs: {
    systemd: 'TimeoutStopSec=',
    fidelity: 'BY_VALUE',
    note: 'EXACT for >0 (SIGKILL after that many seconds); 0 becomes 1ms because TimeoutStopSec=0 means never',
  },
  stopasgroup: {
    systemd: 'KillMode=',
    fidelity: 'BY_VALUE',
    note: 'kill.ts: false/false → process (EXACT), false/true → mixed (APPROX), true/true → control-group (APPROX)',
  },
  killasgroup: {
    systemd: 'KillMode=',
    fidelity: 'BY_VALUE',
    note: 'graded together with stopasgroup (kill.ts)',
  },
  user: {
    systemd: 'User=',
    fidelity: 'APPROX',
    note: 'systemd also sets HOME, USER, LOGNAME and SHELL for that user, supervisor leaves them as supervisord had them',
  },
  directory: {
    systemd: 'WorkingDirectory=',
    fidelity: 'EXACT',
    note: 'a missing directory fails with 200/CHDIR instead of exit 127',
  },
  umask: {
    systemd: 'UMask=',
    fidelity: 'EXACT',
    note: 'set before exec in both',
  },
  redirect_stderr: {
    systemd: 'StandardError=inherit',
    fidelity: 'EXACT',
    note: 'fd 2 shares stdout',
  },
  stdout_logfile: {
    systemd: 'StandardOutput=append:PATH|null|journal',
    fidelity: 'BY_VALUE',
    note: 'a path or NONE is EXACT; AUTO goes to the journal (APPROX)',
  },
  stdout_logfile_maxbytes: {
    systemd: '(logrotate snippet with --logrotate)',
    fidelity: 'BY_VALUE',
    note: 'EXACT for 0 or when not logging to a file; otherwise NONE: systemd never rotates',
  },
  stdout_logfile_backups: {
    systemd: '(logrotate snippet with --logrotate)',
    fidelity: 'BY_VALUE',
    note: 'graded with maxbytes',
  },
  stdout_capture_maxbytes: {
    systemd: '(none)',
    fidelity: 'BY_VALUE',
    note: 'EXACT for 0; capture mode feeds PROCESS_COMMUNICATION events, which have no systemd counterpart',
  },
  stdout_events_enabled: {
    systemd: '(none)',
    fidelity: 'BY_VALUE',
    note: 'EXACT for false; PROCESS_LOG events have no systemd counterpart',
  },
  stdout_syslog: {
    systemd: 'StandardOutput=journal, SyslogIdentifier=',
    fidelity: 'APPROX',
    note: 'lines reach syslog through the journal without supervisor\'s "name " prefix',
  },
  stderr_logfile: {
    systemd: 'StandardError=append:PATH|null|journal',
    fidelity: 'BY_VALUE',
    note: 'as stdout_logfile; ignored with redirect_stderr',
  },
  stderr_logfile_maxbytes: {
    systemd: '(logrotate snippet with --logrotate)',
    fidelity: 'BY_VALUE',
    note: 'as stdout_logfile_maxbytes',
  },
  stderr_logfile_backups: {
    systemd: '(logrotate snippet with --logrotate)',
    fidelity: 'BY_VALUE',
    note: 'as stdout_logfile_backups',
  },
  stderr_capture_maxbytes: {
    systemd: '(none)',
    fidelity: 'BY_VALUE',
    note: 'as stdout_capture_maxbytes',
  },
  stderr_events_enabled: {
    systemd: '(none)',
    fidelity: 'BY_VALUE',
    note: 'as stdout_events_enabled',
  },
  stderr_syslog: {
    systemd: 'StandardError=journal, SyslogIdentifier=',
    fidelity: 'APPROX',
    note: 'as stdout_syslog',
  },
  environment: {
    systemd: 'EnvironmentFile= (0600) or Environment= with --inline-env',
    fidelity: 'APPROX',
    note: "systemd starts from a clean environment: supervisord's own inherited environment and SUPERVISOR_SERVER_URL are not reproduced; names systemd rejects are dropped",
  },
  serverurl: {
    systemd: '(none)',
    fidelity: 'NONE',
    note: 'SUPERVISOR_SERVER_URL pointed at supervisord, which is gone after the migration',
  },
  socket: {
    systemd: 'PROJECT-PROGRAM.socket ListenStream=, StandardInput=socket',
    fidelity: 'APPROX',
    note: 'systemd creates the socket and starts the service on the first connection or with the target; fd 0 is the listening socket as with supervisor',
  },
  socket_owner: {
    systemd: 'SocketUser=, SocketGroup=',
    fidelity: 'EXACT',
    note: 'same owner',
  },
  socket_mode: {
    systemd: 'SocketMode=',
    fidelity: 'EXACT',
    note: "supervisor's default 0700 is written explicitly (systemd's is 0666)",
  },
  socket_backlog: {
    systemd: 'Backlog=',
    fidelity: 'EXACT',
    note: 'same listen() backlog',
  },
  events: {
    systemd: '(none)',
    fidelity: 'NONE',
    note: 'systemd has no event-listener protocol: the listener runs but never receives events',
  },
  buffer_size: {
    systemd: '(none)',
    fidelity: 'NONE',
    note: 'no event buffer',
  },
  result_handler: {
    systemd: '(none)',
    fidelity: 'NONE',
    note: 'no event results',
  },
} as const satisfies Record<ProgramKey, Rule>;

export const GROUP_RULES = {
  programs: {
    systemd: 'PROJECT-GROUP.target: Wants= members, members PartOf= it',
    fidelity: 'APPROX',
    note: 'systemctl start/stop of the target acts on the members; process names are not prefixed with the group',
  },
  priority: {
    systemd: 'After= between members of different groups',
    fidelity: 'APPROX',
    note: 'as program priority',
  },
} as const satisfies Record<GroupKey, Rule>;

export const SUPERVISORD_RULES = {
  environment: {
    systemd: "merged into every program's environment",
    fidelity: 'APPROX',
    note: 'as program environment',
  },
  umask: {
    systemd: 'UMask= on every program without its own umask',
    fidelity: 'BY_VALUE',
    note: "EXACT when supervisord daemonizes (it sets the umask then); with nodaemon=true children inherit the caller's umask, written as 0022",
  },
  directory: {
    systemd: 'WorkingDirectory= on every program without its own directory',
    fidelity: 'BY_VALUE',
    note: "EXACT when supervisord daemonizes; otherwise children inherit the caller's cwd, written as /",
  },
  user: {
    systemd: 'User= on every program without its own user',
    fidelity: 'APPROX',
    note: 'as program user',
  },
  minfds: {
    systemd: 'LimitNOFILE=',
    fidelity: 'APPROX',
    note: "supervisor raises the soft limit to at least minfds; LimitNOFILE= is written only above systemd's default soft limit 1024 and sets soft and hard",
  },
  minprocs: {
    systemd: 'LimitNPROC= (not written)',
    fidelity: 'APPROX',
    note: "systemd's default process limit is the kernel's, normally far above minprocs",
  },
  nodaemon: {
    systemd: '(decides umask and directory defaults)',
    fidelity: 'EXACT',
    note: 'only changes which umask and directory children inherit',
  },
} as const satisfies Record<SupervisordKey, Rule>;
