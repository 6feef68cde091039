/**
 * The exhaustive key table for the Kubernetes target: every key a
 * [program:x] / [fcgi-program:x] / [eventlistener:x] section can hold, what
 * it becomes in the manifests and how faithful that is
 * (shared/reference/supervisor-semantics.md, the Kubernetes column). The
 * key union is compose's, so a key added there without a row here fails to
 * compile. Rules run in table order on one workload; a key's finding is
 * reported when the key was written, or always when its default matters.
 */
import { effectiveDirectory, effectiveUmask, effectiveUser } from '../../model/effective.ts';
import type { ProgramKey } from '../compose/keys.ts';
import { HEALTH_KEYS } from './health-keys.ts';
import { LOG_KEYS } from './log-keys.ts';
import { approx, exact, none, type Rule } from './rule.ts';
import { UNSUPPORTED_KEYS } from './unsupported-keys.ts';

const TINI = ['tini', '-g', '--'];
const PROCESS_KEYS = {
  command: {
    target: 'containers[0].command (exec form, `$` written `$$`)',
    best: 'EXACT',
    apply(c) {
      c.draft.container.command = [...c.w.argv];
      const argv0 = c.p.argv[0] ?? '';
      const indexed = c.w.indexed
        ? `; %(process_num) → $(SUPCTL_PROCESS_NUM), the pod's ${c.w.kind === 'Job' ? 'completion index' : 'ordinal'}`
        : '';
      if (!argv0.includes('/')) {
        return approx(
          `command → command (exec form)${indexed}; ${JSON.stringify(argv0)} is looked up in the image's PATH, not supervisord's`,
        );
      }
      return exact(`command → command (exec form, same argv, no shell)${indexed}`);
    },
  },
  process_name: {
    target: 'annotation supctl.io/processes',
    best: 'APPROX',
    apply: (c) =>
      c.w.processes.length === 1
        ? exact(`process_name → annotation supctl.io/processes=${c.p.name}`)
        : approx(
            'pods are named by Kubernetes; process names are kept in the supctl.io/processes annotation',
          ),
  },
  numprocs: {
    target: 'replicas (Job: completions = parallelism), or one workload per process',
    best: 'APPROX',
    apply(c) {
      const n = c.w.program.numprocs;
      if (n === 1) return exact('numprocs=1 → one pod');
      if (c.w.processes.length === 1) {
        return approx(
          `numprocs=${n} → one ${c.w.kind} per process (the instances differ in more than their number)`,
        );
      }
      c.draft.replicas = c.w.processes.length;
      const what = c.w.kind === 'Job' ? 'completions/parallelism' : 'replicas';
      return c.w.indexed
        ? approx(
            `numprocs=${n} → ${c.w.kind} ${what}: ${n}, the process number from the pod's index`,
          )
        : approx(`numprocs=${n} → ${what}: ${n}; replicas are identical and get no process_num`);
    },
  },
  numprocs_start: {
    target: 'StatefulSet ordinals.start / workload name suffix',
    best: 'EXACT',
    apply: (c) => exact(`numprocs_start=${c.w.program.numprocs_start} → the first process number`),
  },
  priority: {
    target: 'NONE (Kubernetes starts every workload at once)',
    best: 'NONE',
    apply: (c) =>
      none(
        `priority=${c.p.priority}: Kubernetes has no start order between workloads (use readiness or init containers)`,
      ),
  },
  autostart: {
    target: 'autostart=false → replicas: 0 (Job: suspend: true)',
    best: 'EXACT',
    apply(c) {
      if (c.p.autostart) return exact('autostart=true → started when applied');
      if (c.w.kind === 'Job') {
        c.draft.suspend = true;
        return exact(
          'autostart=false → suspend: true: created, started by `kubectl patch job ... -p {"spec":{"suspend":false}}`',
        );
      }
      c.draft.replicas = 0;
      return exact(
        'autostart=false → replicas: 0: created, started by `kubectl scale --replicas=N`',
      );
    },
  },
  startsecs: {
    target: 'NONE (no STARTING state)',
    best: 'NONE',
    apply: (c) =>
      none(
        `startsecs=${c.p.startsecs}: a pod is Running as soon as its container starts; add a startupProbe by hand`,
      ),
  },
  startretries: {
    target: 'Job: backoffLimitPerIndex',
    best: 'APPROX',
    apply(c) {
      if (c.w.kind === 'Job' && c.p.autorestart === 'unexpected') {
        c.draft.backoffLimitPerIndex = c.p.startretries;
        return approx(
          `startretries=${c.p.startretries} → backoffLimitPerIndex: counts every failed run, not only those within startsecs`,
        );
      }
      if (c.w.kind === 'Job') return undefined;
      return none(
        `startretries=${c.p.startretries}: a Deployment never gives up (CrashLoopBackOff, retried every 5 minutes at most)`,
      );
    },
  },
  autorestart: {
    target:
      'true → Deployment/StatefulSet (restartPolicy Always); false/unexpected → Indexed Job (restartPolicy Never)',
    best: 'APPROX',
    always: true,
    apply(c) {
      if (c.p.autorestart === 'true') {
        return approx(
          `autorestart=true → ${c.w.kind} (restartPolicy: Always): restarted at every exit, after an exponential back-off (10 s up to 5 min) where supervisor restarts at once`,
        );
      }
      if (c.p.autorestart === 'false') {
        c.draft.backoffLimitPerIndex = 0;
        return approx(
          'autorestart=false → Job (restartPolicy: Never, backoffLimitPerIndex: 0): runs once, as supervisor does; a Deployment would restart it forever. A finished Job stays until deleted',
        );
      }
      return approx(
        'autorestart=unexpected → Job (restartPolicy: Never): a failed run is retried, a successful one completes its index',
      );
    },
  },
  exitcodes: {
    target: 'Job: podFailurePolicy FailIndex on the expected non-zero codes',
    best: 'APPROX',
    always: true,
    apply(c) {
      if (c.p.autorestart !== 'unexpected') {
        return c.p.exitcodes.length === 1 && c.p.exitcodes[0] === 0
          ? undefined
          : exact(`exitcodes: no effect on restarts with autorestart=${c.p.autorestart}`);
      }
      const codes = c.p.exitcodes.filter((x) => x !== 0);
      if (codes.length > 0) {
        c.draft.podFailurePolicy = {
          rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: codes } }],
        };
      }
      if (!c.p.exitcodes.includes(0)) {
        return none(
          'exitcodes without 0: supervisor restarts on exit 0, a Job counts exit 0 as done',
        );
      }
      return codes.length > 0
        ? exact(
            `exitcodes=${c.p.exitcodes.join(',')} → podFailurePolicy: exits ${codes.join(',')} end the index without a retry`,
          )
        : exact('exitcodes=0 → exit 0 completes the index, any other is retried');
    },
  },
  stopsignal: {
    target: 'NONE unless TERM (lifecycle.stopSignal is alpha in 1.33)',
    best: 'EXACT',
    always: true,
    apply(c) {
      if (c.p.stopsignal === 'TERM') return exact('stopsignal=TERM: the kubelet sends SIGTERM');
      return none(
        `stopsignal=${c.p.stopsignal}: the kubelet sends the image's STOPSIGNAL (SIGTERM by default); containers[].lifecycle.stopSignal needs Kubernetes 1.33+ with the alpha ContainerStopSignals gate, so set STOPSIGNAL SIG${c.p.stopsignal} in the image`,
      );
    },
  },
  stopwaitsecs: {
    target: 'terminationGracePeriodSeconds',
    best: 'EXACT',
    always: true,
    apply(c) {
      c.draft.terminationGracePeriodSeconds = c.p.stopwaitsecs;
      return exact(
        `stopwaitsecs=${c.p.stopwaitsecs} → terminationGracePeriodSeconds: ${c.p.stopwaitsecs}`,
      );
    },
  },
  stopasgroup: {
    target: 'true → tini -g as PID 1 (the image must have tini)',
    best: 'APPROX',
    always: true,
    apply(c) {
      if (!c.p.stopasgroup) {
        return approx(
          'stopasgroup=false: the stop signal reaches the main process only, as in supervisor; when it exits every other process of the container dies with it',
        );
      }
      c.draft.container.command = [...TINI, ...c.draft.container.command];
      // shareProcessNamespace makes the pause container PID 1 but still signals only the
      // program's own pid: tini -g forwards the signal to the program's process group, as supervisor does
      return approx(
        "stopasgroup=true → command: tini -g -- ...: tini (PID 1) forwards the stop signal to the program's process group; the image must have tini on its PATH (shareProcessNamespace would still signal the main process only)",
      );
    },
  },
  killasgroup: {
    target: 'SIGKILL at the grace period kills the whole container',
    best: 'APPROX',
    apply: (c) =>
      approx(
        `killasgroup=${String(c.p.killasgroup)}: at terminationGracePeriodSeconds the runtime SIGKILLs every process of the container`,
      ),
  },
  user: {
    target: 'securityContext.runAsUser (numeric only)',
    best: 'APPROX',
    apply(c) {
      const user = effectiveUser(c.d, c.p);
      if (user === null) return undefined;
      if (/^\d+$/.test(user)) {
        c.draft.container.securityContext = { runAsUser: Number(user) };
        return approx(
          `user=${user} → securityContext.runAsUser: ${user}; the group is the image's, not the passwd entry's`,
        );
      }
      return none(
        `user=${user}: runAsUser needs a number; set securityContext.runAsUser to the uid of ${user} in the image (or USER in the image)`,
      );
    },
  },
  directory: {
    target: 'workingDir',
    best: 'EXACT',
    apply(c) {
      const dir = effectiveDirectory(c.d, c.p);
      if (dir === null) return undefined;
      c.draft.container.workingDir = dir;
      return exact(
        `directory=${dir} → workingDir (created if missing, where supervisor fails the spawn)`,
      );
    },
  },
  umask: {
    target: 'NONE',
    best: 'NONE',
    apply(c) {
      const umask = effectiveUmask(c.d, c.p);
      if (umask === null || umask === 0o022)
        return umask === null ? undefined : exact('umask=022: the container default');
      return none(
        `umask=0${umask.toString(8)}: Kubernetes cannot set a umask (containers get 0022)`,
      );
    },
  },
  environment: {
    target: 'envFrom a ConfigMap NAME-env and a Secret NAME-secret (keys that look secret)',
    best: 'APPROX',
    apply(c) {
      if (Object.keys(c.w.env).length + Object.keys(c.w.indexedEnv).length === 0) return undefined;
      const secret = Object.keys(c.secret);
      const where = [
        Object.keys(c.configMap).length > 0 ? `ConfigMap ${c.name}-env` : '',
        secret.length > 0
          ? `Secret ${c.name}-secret (${secret.join(', ')}; secrets.yaml, mode 0600)`
          : '',
      ].filter((s) => s !== '');
      return approx(
        `environment → ${where.join(' + ') || 'env'}; the image's environment replaces supervisord's, and SUPERVISOR_* variables are not set`,
      );
    },
  },
} satisfies Record<string, Rule>;

/** Every row, in the order they run: process keys, logs, what has no counterpart, health checks. */
export const PROGRAM_KEYS = {
  ...PROCESS_KEYS,
  ...LOG_KEYS,
  ...UNSUPPORTED_KEYS,
  ...HEALTH_KEYS,
} satisfies Record<ProgramKey, Rule>;
