/** The declared checks of a Deployment, by supervisorctl's process name. */
import type { Deployment } from '../model/deployment.ts';
import type { HealthCheck } from '../model/health.ts';
import { namespec } from '../model/names.ts';

export interface Watched {
  namespec: string;
  check: HealthCheck;
}

export function declaredChecks(d: Deployment): Watched[] {
  return d.groups.flatMap((g) =>
    g.processes.flatMap((p) =>
      p.health === undefined ? [] : [{ namespec: namespec(g.name, p.name), check: p.health }],
    ),
  );
}
