/**
 * The compose key table's rows for what runs and when it starts: command,
 * the process names and counts, priority, autostart.
 */
import { effectiveUmask } from '../../model/effective.ts';
import { DOCKER_UMASK, planEntrypoint } from './entrypoint.ts';
import { approx, exact } from './rule.ts';
import type { ProgramKey } from './keys.ts';
import type { Rule } from './rule.ts';

export const START_RULES = {
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
} satisfies Partial<Record<ProgramKey, Rule>>;
