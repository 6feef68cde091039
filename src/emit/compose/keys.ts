/**
 * The exhaustive key table for the compose target: every key a
 * [program:x] / [fcgi-program:x] / [eventlistener:x] section can hold, with
 * what it becomes in compose.yaml and how faithful that is
 * (shared/reference/supervisor-semantics.md §4-6). Adding a key to
 * `ProgramKey` without a row here fails to compile.
 *
 * Rules run in table order on one service; each may change the service and
 * returns what became of its key. A key's finding is reported when the key
 * was written in the config, or when the rule is marked `always` (its
 * default behaviour differs from Docker's in a way that matters).
 */
import { effectiveDirectory, effectiveUmask, effectiveUser } from '../../model/effective.ts';
import type { Fidelity } from '../../model/finding.ts';
import type { ServiceContext } from './types.ts';
import { envFileText, planEnvironment } from './environment.ts';
import { planEntrypoint, umaskText } from './entrypoint.ts';
import { mapLogging } from './logging.ts';
import type { Outcome } from './restart.ts';
import { mapRestart } from './restart.ts';

export type ProgramKey =
  | 'command'
  | 'process_name'
  | 'numprocs'
  | 'numprocs_start'
  | 'priority'
  | 'autostart'
  | 'startsecs'
  | 'startretries'
  | 'autorestart'
  | 'exitcodes'
  | 'stopsignal'
  | 'stopwaitsecs'
  | 'stopasgroup'
  | 'killasgroup'
  | 'user'
  | 'directory'
  | 'umask'
  | 'environment'
  | 'redirect_stderr'
  | 'stdout_logfile'
  | 'stdout_logfile_maxbytes'
  | 'stdout_logfile_backups'
  | 'stdout_capture_maxbytes'
  | 'stdout_events_enabled'
  | 'stdout_syslog'
  | 'stderr_logfile'
  | 'stderr_logfile_maxbytes'
  | 'stderr_logfile_backups'
  | 'stderr_capture_maxbytes'
  | 'stderr_events_enabled'
  | 'stderr_syslog'
  | 'serverurl'
  | 'socket'
  | 'socket_owner'
  | 'socket_mode'
  | 'socket_backlog'
  | 'events'
  | 'buffer_size'
  | 'result_handler';

interface Rule {
  /** What the key becomes, for the table's readers (README, --help). */
  target: string;
  /** The best this row can be; `apply` says what it is for one service. */
  best: Fidelity;
  /** Report even when the key was not written (its default matters). */
  always?: boolean;
  /** Changes the service; returns what became of the key (undefined: nothing to say). */
  apply: (c: ServiceContext) => Outcome | undefined;
}

const exact = (message: string): Outcome => ({ fidelity: 'EXACT', message });
const approx = (message: string): Outcome => ({ fidelity: 'APPROX', message });
const none = (message: string): Outcome => ({ fidelity: 'NONE', message });

// Docker (runc) starts every container with umask 0022.
const DOCKER_UMASK = 0o022;

function restartPolicy(c: ServiceContext) {
  c.svc.deploy ??= {};
  c.svc.deploy.restart_policy ??= { condition: 'any' };
  return c.svc.deploy.restart_policy;
}

export const PROGRAM_KEYS = {
  command: {
    target: 'entrypoint: [argv...] (exec form) + command: []',
    best: 'EXACT',
    always: false,
    apply(c) {
      const umask = effectiveUmask(c.d, c.p);
      const wantUmask = umask !== null && umask !== DOCKER_UMASK ? umask : null;
      const plan = planEntrypoint(c.p.argv, wantUmask, c.p.redirect_stderr, c.o.shellWrap);
      c.svc.entrypoint = plan.entrypoint;
      c.svc.command = [];
      const argv0 = c.p.argv[0] ?? '';
      if (!argv0.includes('/')) {
        return approx(
          `command → entrypoint (exec form); ${JSON.stringify(argv0)} is looked up in the container's PATH, not supervisord's`,
        );
      }
      return exact('command → entrypoint (exec form, same argv, no shell)');
    },
  },
  process_name: {
    target: 'label io.supctl.process',
    best: 'EXACT',
    apply(c) {
      return c.plan.processes.length === 1
        ? exact(`process_name → label io.supctl.process=${c.p.name}`)
        : approx('replicas of one service share it; process names are not kept');
    },
  },
  numprocs: {
    target: 'N services PROGRAM_NN, or one service with scale (+ deploy.replicas with --swarm)',
    best: 'APPROX',
    apply(c) {
      const n = c.plan.program.numprocs;
      if (c.plan.processes.length > 1) {
        // docker-compose 1.29.2 refuses to start a service with both, and
        // docker stack deploy rejects `scale`: one or the other.
        if (c.o.swarm) {
          c.svc.deploy ??= {};
          c.svc.deploy.replicas = c.plan.processes.length;
        } else {
          c.svc.scale = c.plan.processes.length;
        }
        return approx(
          `numprocs=${n} → ${c.o.swarm ? 'deploy.replicas' : 'scale'}: ${n}; replicas are identical and get no process_num`,
        );
      }
      if (n > 1) return approx(`numprocs=${n} → one service per process (${c.plan.name})`);
      return exact(`numprocs=${n} → one service`);
    },
  },
  numprocs_start: {
    target: 'service name suffix',
    best: 'EXACT',
    apply: (c) => exact(`numprocs_start=${c.plan.program.numprocs_start} → service name suffixes`),
  },
  priority: {
    target: 'depends_on (condition: service_started) on the next lower priority',
    best: 'APPROX',
    // depends_on itself is computed across services (services.ts) before the rules run.
    apply(c) {
      if (!c.p.autostart)
        return exact(`priority=${c.p.priority}: not started at boot, nothing to order`);
      if (!c.svc.depends_on) {
        return exact(`priority=${c.p.priority}: no autostarted service has a lower priority`);
      }
      return approx(
        `priority=${c.p.priority} → depends_on ${c.svc.depends_on.join(', ')} (started first, stopped last; neither Compose nor supervisord waits for RUNNING); docker stack deploy ignores depends_on`,
      );
    },
  },
  autostart: {
    target: 'autostart=false → profiles: [manual] (--swarm: deploy.replicas: 0)',
    best: 'EXACT',
    apply(c) {
      if (c.p.autostart) return exact('autostart=true → started by docker-compose up');
      if (c.o.swarm) {
        // docker stack deploy rejects `profiles`; zero replicas is Swarm's "not started"
        c.svc.deploy ??= {};
        c.svc.deploy.replicas = 0;
        delete c.svc.scale;
        return approx(
          'autostart=false → deploy.replicas: 0: created but not started; start it with `docker service scale` (or `docker-compose up --scale SERVICE=1`)',
        );
      }
      c.svc.profiles = ['manual'];
      return approx(
        'autostart=false → profiles: [manual]: not started by a plain `up`; start it with `up SERVICE` or `--profile manual` (docker stack deploy ignores profiles)',
      );
    },
  },
  startsecs: {
    target: '--swarm: deploy.restart_policy.window',
    best: 'APPROX',
    apply(c) {
      if (c.o.swarm && c.p.startsecs > 0 && c.p.autorestart !== 'false') {
        restartPolicy(c).window = `${c.p.startsecs}s`;
        return approx(
          `startsecs=${c.p.startsecs} → deploy.restart_policy.window: a restart counts as failed if the task dies within it (Swarm only)`,
        );
      }
      return none(
        `startsecs=${c.p.startsecs}: Docker has no STARTING state; a container is running as soon as it starts`,
      );
    },
  },
  startretries: {
    target: '--swarm: deploy.restart_policy.max_attempts',
    best: 'APPROX',
    apply(c) {
      if (c.o.swarm && c.p.startsecs > 0 && c.p.autorestart !== 'false') {
        restartPolicy(c).max_attempts = c.p.startretries;
        return approx(
          `startretries=${c.p.startretries} → deploy.restart_policy.max_attempts (counted within window=startsecs; Swarm only)`,
        );
      }
      return none(
        `startretries=${c.p.startretries}: Docker never gives up restarting (restart: always / on-failure without a count, whose count would never reset)`,
      );
    },
  },
  autorestart: {
    target: 'restart: always / "no" / on-failure (+ deploy.restart_policy.condition)',
    best: 'EXACT',
    always: true,
    apply(c) {
      const m = mapRestart(c.p);
      c.svc.restart = m.restart;
      if (c.o.swarm) {
        const rp = restartPolicy(c);
        rp.condition = m.condition;
        rp.delay = '0s';
      }
      return m.autorestart;
    },
  },
  exitcodes: {
    target: 'NONE unless 0 only',
    best: 'EXACT',
    always: true,
    apply(c) {
      const m = mapRestart(c.p);
      if (m.exitcodes) return m.exitcodes;
      if (c.p.autorestart !== 'unexpected') {
        return c.p.exitcodes.length === 1 && c.p.exitcodes[0] === 0
          ? undefined
          : exact(`exitcodes: no effect on restarts with autorestart=${c.p.autorestart}`);
      }
      return exact('exitcodes=0 → restart: on-failure restarts on every other status');
    },
  },
  stopsignal: {
    target: 'stop_signal',
    best: 'EXACT',
    apply(c) {
      c.svc.stop_signal = `SIG${c.p.stopsignal}`;
      return exact(`stopsignal=${c.p.stopsignal} → stop_signal: SIG${c.p.stopsignal}`);
    },
  },
  stopwaitsecs: {
    target: 'stop_grace_period',
    best: 'EXACT',
    apply(c) {
      c.svc.stop_grace_period = `${c.p.stopwaitsecs}s`;
      return exact(`stopwaitsecs=${c.p.stopwaitsecs} → stop_grace_period: ${c.p.stopwaitsecs}s`);
    },
  },
  stopasgroup: {
    target: 'init: true (+ TINI_KILL_PROCESS_GROUP=1 when true)',
    best: 'EXACT',
    always: true,
    apply(c) {
      c.svc.init = true;
      if (c.p.stopasgroup) {
        c.svc.environment = { ...(c.svc.environment ?? {}), TINI_KILL_PROCESS_GROUP: '1' };
        return exact(
          "stopasgroup=true → init: true + TINI_KILL_PROCESS_GROUP=1: Docker's init (tini) sends the stop signal to the whole process group (the variable is visible to the program)",
        );
      }
      return approx(
        'stopasgroup=false → init: true: the stop signal reaches the main process only, as in supervisor; but once it exits (or at the timeout) every process left in the container dies with it',
      );
    },
  },
  killasgroup: {
    target: 'SIGKILL at the timeout kills the whole container',
    best: 'APPROX',
    apply(c) {
      return c.p.killasgroup
        ? approx(
            'killasgroup=true: at stop_grace_period Docker SIGKILLs the whole container (a superset of the process group)',
          )
        : approx(
            'killasgroup=false: at stop_grace_period Docker SIGKILLs the whole container, not only the main process',
          );
    },
  },
  user: {
    target: 'user',
    best: 'APPROX',
    apply(c) {
      const user = effectiveUser(c.d, c.p);
      if (user === null) return undefined;
      c.svc.user = user;
      return approx(
        `user=${user} → user: resolved in the image's /etc/passwd; Docker also sets HOME, supervisor does not`,
      );
    },
  },
  directory: {
    target: 'working_dir',
    best: 'EXACT',
    always: false,
    apply(c) {
      const dir = effectiveDirectory(c.d, c.p);
      if (dir === null) return undefined;
      c.svc.working_dir = dir;
      return exact(
        `directory=${dir} → working_dir (Docker fails the start if it is missing; supervisor exits 127)`,
      );
    },
  },
  umask: {
    target: 'NONE (APPROX with --shell-wrap: sh -c "umask ...; exec ...")',
    best: 'APPROX',
    apply(c) {
      const umask = effectiveUmask(c.d, c.p);
      if (umask === null || umask === DOCKER_UMASK) {
        return umask === null ? undefined : exact('umask=022: the container default');
      }
      return c.o.shellWrap
        ? approx(
            `umask=${umaskText(umask)} → /bin/sh -c 'umask ${umaskText(umask)}; exec "$@"' (needs /bin/sh in the image)`,
          )
        : none(
            `umask=${umaskText(umask)}: Compose cannot set a umask (containers get 0022); --shell-wrap emulates it`,
          );
    },
  },
  environment: {
    target: 'environment (or env_file with --env-file, mode 0600)',
    best: 'APPROX',
    always: false,
    apply(c) {
      const env = c.p.environment;
      if (env === null || Object.keys(env).length === 0) return undefined;
      const plan = planEnvironment(env, c.o.envFile);
      if (Object.keys(plan.file).length > 0) {
        const path = `${c.plan.name}.env`;
        c.extraFiles.push({
          path,
          content: envFileText(plan.file, `environment of ${c.plan.name} (supctl)`),
          mode: 0o600,
        });
        c.svc.env_file = [path];
      }
      if (Object.keys(plan.inline).length > 0) {
        c.svc.environment = { ...plan.inline, ...(c.svc.environment ?? {}) };
      }
      const kept = Object.keys(plan.inline);
      const where =
        c.o.envFile && kept.length > 0
          ? `env_file ${c.plan.name}.env; kept inline (not portable in an env file): ${kept.join(', ')}`
          : c.o.envFile
            ? `env_file ${c.plan.name}.env (mode 0600)`
            : 'environment';
      return approx(
        `environment → ${where}; the image's environment replaces supervisord's, and SUPERVISOR_* variables are not set`,
      );
    },
  },
  redirect_stderr: {
    target: 'NONE (APPROX with --shell-wrap: exec ... 2>&1)',
    best: 'APPROX',
    apply(c) {
      if (!c.p.redirect_stderr)
        return exact('redirect_stderr=false: stderr stays a separate stream');
      return c.o.shellWrap
        ? approx(
            'redirect_stderr=true → /bin/sh -c \'exec "$@" 2>&1\' (needs /bin/sh in the image)',
          )
        : none(
            'redirect_stderr=true: Compose keeps stderr a separate stream of the container log; --shell-wrap emulates it',
          );
    },
  },
  stdout_logfile: {
    target: 'logging (driver none for NONE//dev/null on both streams)',
    best: 'EXACT',
    apply(c) {
      const m = mapLogging(c.p);
      c.svc.logging = m.logging;
      return m.outcomes.stdout_logfile;
    },
  },
  stdout_logfile_maxbytes: {
    target: 'logging.options.max-size',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stdout_logfile_maxbytes,
  },
  stdout_logfile_backups: {
    target: 'logging.options.max-file = backups+1',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stdout_logfile_backups,
  },
  stdout_capture_maxbytes: {
    target: 'NONE (no capture mode)',
    best: 'NONE',
    apply: () =>
      none('stdout_capture_maxbytes: capture mode and its events do not exist in Docker'),
  },
  stdout_events_enabled: {
    target: 'NONE (no event listeners)',
    best: 'NONE',
    apply: () => none('stdout_events_enabled: there are no supervisor events in Docker'),
  },
  stdout_syslog: {
    target: 'NONE',
    best: 'NONE',
    apply: (c) =>
      c.p.stdout_syslog
        ? none('stdout_syslog=true: not translated (set logging.driver: syslog by hand)')
        : undefined,
  },
  stderr_logfile: {
    target: 'logging (one log for both streams)',
    best: 'EXACT',
    apply: (c) => mapLogging(c.p).outcomes.stderr_logfile,
  },
  stderr_logfile_maxbytes: {
    target: 'logging.options.max-size (shared)',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stderr_logfile_maxbytes,
  },
  stderr_logfile_backups: {
    target: 'logging.options.max-file (shared)',
    best: 'APPROX',
    apply: (c) => mapLogging(c.p).outcomes.stderr_logfile_backups,
  },
  stderr_capture_maxbytes: {
    target: 'NONE (no capture mode)',
    best: 'NONE',
    apply: () =>
      none('stderr_capture_maxbytes: capture mode and its events do not exist in Docker'),
  },
  stderr_events_enabled: {
    target: 'NONE (no event listeners)',
    best: 'NONE',
    apply: () => none('stderr_events_enabled: there are no supervisor events in Docker'),
  },
  stderr_syslog: {
    target: 'NONE',
    best: 'NONE',
    apply: (c) =>
      c.p.stderr_syslog
        ? none('stderr_syslog=true: not translated (set logging.driver: syslog by hand)')
        : undefined,
  },
  serverurl: {
    target: 'NONE',
    best: 'NONE',
    apply: () =>
      none('serverurl: there is no supervisord in the container; SUPERVISOR_SERVER_URL is not set'),
  },
  socket: {
    target: 'NONE (fcgi socket on fd 0)',
    best: 'NONE',
    always: true,
    apply: (c) =>
      c.plan.group.kind === 'fcgi-program'
        ? none(
            `socket=${c.plan.group.socket ?? ''}: Docker cannot create the socket and pass it as fd 0; the program starts without it`,
          )
        : undefined,
  },
  socket_owner: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('socket_owner: no socket is created'),
  },
  socket_mode: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('socket_mode: no socket is created'),
  },
  socket_backlog: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('socket_backlog: no socket is created'),
  },
  // eventlisteners get no service (see index.ts); these rows exist for completeness.
  events: { target: 'NONE', best: 'NONE', apply: () => none('events: no event listeners') },
  buffer_size: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('buffer_size: no event listeners'),
  },
  result_handler: {
    target: 'NONE',
    best: 'NONE',
    apply: () => none('result_handler: no event listeners'),
  },
} satisfies Record<ProgramKey, Rule>;

/** Section-level facts, reported once per deployment or group. */
export type SectionKey =
  | 'supervisord.environment'
  | 'supervisord.directory'
  | 'supervisord.user'
  | 'supervisord.umask'
  | 'supervisord.minfds'
  | 'supervisord.minprocs'
  | 'group'
  | 'eventlistener';

interface SectionRule {
  target: string;
  best: Fidelity;
}

export const SECTION_KEYS = {
  'supervisord.environment': { target: "merged into each service's environment", best: 'APPROX' },
  'supervisord.directory': {
    target: 'working_dir of programs without directory (when supervisord daemonizes)',
    best: 'EXACT',
  },
  'supervisord.user': { target: 'user of programs without user', best: 'APPROX' },
  'supervisord.umask': { target: 'as umask (when supervisord daemonizes)', best: 'APPROX' },
  'supervisord.minfds': { target: 'NONE (set ulimits.nofile by hand)', best: 'NONE' },
  'supervisord.minprocs': { target: 'NONE (set ulimits.nproc by hand)', best: 'NONE' },
  group: { target: 'NONE (label io.supctl.group only)', best: 'NONE' },
  eventlistener: { target: 'NONE (no service)', best: 'NONE' },
} satisfies Record<SectionKey, SectionRule>;
