/**
 * The compose key table's rows for restarting and stopping: startsecs,
 * startretries, autorestart, exitcodes and the stop keys.
 */
import { mapRestart } from './restart.ts';
import { approx, exact, none } from './rule.ts';
import type { ServiceContext } from './types.ts';
import type { ProgramKey } from './keys.ts';
import type { Rule } from './rule.ts';

function restartPolicy(c: ServiceContext) {
  c.svc.deploy ??= {};
  c.svc.deploy.restart_policy ??= { condition: 'any' };
  return c.svc.deploy.restart_policy;
}

export const RESTART_RULES = {
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
    // FIDELITY.md (kill-group): a child still handling the signal dies with the container
    best: 'APPROX',
    always: true,
    apply(c) {
      c.svc.init = true;
      if (c.p.stopasgroup) {
        c.svc.environment = { ...(c.svc.environment ?? {}), TINI_KILL_PROCESS_GROUP: '1' };
        return approx(
          "stopasgroup=true → init: true + TINI_KILL_PROCESS_GROUP=1: Docker's init (tini) sends the stop signal to the whole process group (the variable is visible to the program); but once the main process exits the container ends, and a child still handling the signal is SIGKILLed with it (supervisor lets it finish)",
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
} satisfies Partial<Record<ProgramKey, Rule>>;
