import type { Process } from '../../model/process.ts';

import type { Outcome } from '../outcome.ts';

export type { Outcome };

interface RestartMapping {
  /** Compose `restart:` value. */
  restart: 'always' | 'no' | 'on-failure';
  /** Swarm `deploy.restart_policy.condition`. */
  condition: 'any' | 'none' | 'on-failure';
  autorestart: Outcome;
  /** Only when exitcodes is not just [0] and autorestart=unexpected decides on them. */
  exitcodes?: Outcome;
}

const BACKOFF =
  'Docker waits 100 ms before a restart and doubles that on each consecutive one (reset after 10 s up); supervisor restarts an exit from RUNNING at once';

/**
 * autorestart (+ exitcodes) → restart. Docker's restart count is never reset
 * while the container keeps being restarted, so `on-failure:N` would stop
 * restarting a program after N exits however long each run lasted, where
 * supervisor restarts exits from RUNNING without limit: N is never emitted.
 */
export function mapRestart(p: Process): RestartMapping {
  const onlyZero = p.exitcodes.length > 0 && p.exitcodes.every((c) => c === 0);
  switch (p.autorestart) {
    case 'true':
      return {
        restart: 'always',
        condition: 'any',
        autorestart: {
          fidelity: 'APPROX',
          message: `autorestart=true → restart: always (restarted on every exit); ${BACKOFF}`,
        },
      };
    case 'false':
      return {
        restart: 'no',
        condition: 'none',
        autorestart: {
          fidelity: p.startsecs === 0 ? 'EXACT' : 'APPROX',
          message:
            p.startsecs === 0
              ? 'autorestart=false → restart: "no" (never restarted)'
              : `autorestart=false → restart: "no"; supervisor still retries an exit within startsecs=${p.startsecs} up to startretries=${p.startretries} times, Docker does not`,
        },
      };
    case 'unexpected': {
      if (onlyZero) {
        return {
          restart: 'on-failure',
          condition: 'on-failure',
          autorestart: {
            fidelity: 'APPROX',
            message: `autorestart=unexpected, exitcodes=0 → restart: on-failure (restarted on any non-zero exit or death by signal, as supervisor does); ${BACKOFF}`,
          },
        };
      }
      const zeroExpected = p.exitcodes.includes(0);
      const others = p.exitcodes.filter((c) => c !== 0).join(',');
      return {
        restart: zeroExpected ? 'on-failure' : 'always',
        condition: zeroExpected ? 'on-failure' : 'any',
        autorestart: {
          fidelity: 'APPROX',
          message: `autorestart=unexpected → restart: ${zeroExpected ? 'on-failure' : 'always'}; see exitcodes`,
        },
        exitcodes: {
          fidelity: 'NONE',
          message: zeroExpected
            ? `exitcodes=${p.exitcodes.join(',')}: Docker cannot treat ${others} as expected; restart: on-failure also restarts on ${others}`
            : `exitcodes=${p.exitcodes.join(',')}: Docker cannot treat ${others} as expected nor 0 as unexpected; restart: always also restarts on ${others}`,
        },
      };
    }
  }
}
