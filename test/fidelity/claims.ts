/**
 * What each target's key table claims for one key of one process: the
 * finding its emitter reports for that config (the row's `apply` decided
 * it), else the row's own `best` and `target` (a row reports nothing for
 * an unwritten key it translates exactly). Read, never restated here.
 */
import { composeModel } from '../../src/emit/compose/index.ts';
import { PROGRAM_KEYS as COMPOSE_ROWS } from '../../src/emit/compose/keys.ts';
import { planSystemd } from '../../src/emit/systemd/plan.ts';
import { PROGRAM_RULES as SYSTEMD_ROWS } from '../../src/emit/systemd/keys.ts';
import type { Deployment } from '../../src/model/deployment.ts';
import type { Fidelity, Finding } from '../../src/model/finding.ts';

export interface Claim {
  fidelity: Fidelity;
  text: string;
}

type Table = Record<string, { best: Fidelity; target: string } | undefined>;

const RANK: Record<Fidelity, number> = { NONE: 0, APPROX: 1, EXACT: 2, ADVICE: 3 };

const groupOf = (namespec: string): string => namespec.split(':')[0]!;

function pick(findings: Finding[], rows: Table, key: string, proc: string | undefined): Claim {
  const mine = findings.filter(
    (f) =>
      f.fidelity !== 'ADVICE' && // advice is not a claim about behaviour
      f.key === key &&
      (proc === undefined ||
        f.program === undefined ||
        f.program === proc ||
        groupOf(f.program) === groupOf(proc)),
  );
  // several processes (or none named): the weakest claim speaks for the row
  const f = mine.sort((a, b) => RANK[a.fidelity] - RANK[b.fidelity])[0];
  if (f !== undefined) return { fidelity: f.fidelity, text: f.message };
  const row = rows[key];
  if (row === undefined) throw new Error(`no key table row for ${key}`);
  return { fidelity: row.best, text: row.target };
}

export function systemdClaim(d: Deployment, key: string, proc: string | undefined): Claim {
  const plan = planSystemd(d, {
    project: 'fidelity',
    scope: 'user',
    inlineEnv: false,
    logrotate: false,
    autoLogDir: '/fidelity-logs',
  });
  return pick(plan.findings, SYSTEMD_ROWS, key, proc);
}

export function dockerClaim(d: Deployment, key: string, proc: string | undefined): Claim {
  // the docker backend's own options (src/control/docker/create.ts)
  const model = composeModel(d, {
    project: 'fidelity',
    image: 'busybox',
    images: {},
    envFile: false,
    swarm: false,
    shellWrap: false,
  });
  return pick(model.findings, COMPOSE_ROWS, key, proc);
}
