/**
 * `supctl convert --to systemd`: a Deployment → unit files + findings.
 *
 * Output layout (install by copying --out into /etc/systemd/system for
 * --scope system or ~/.config/systemd/user for --scope user):
 *   PROJECT.target                         the whole config (WantedBy default/multi-user)
 *   PROJECT-GROUP.target                   one per [group:x]
 *   PROJECT-PROGRAM.service                one per program
 *   PROJECT-PROGRAM@.service               numprocs > 1 (instances PROJECT-PROGRAM@N.service)
 *   PROJECT-PROGRAM.socket                 [fcgi-program:x]
 *   <unit>.d/supctl.env                    environment, mode 0600 (see environment.ts)
 *   PROJECT.logrotate                      with --logrotate, when a log needs rotation
 *
 * planSystemd (plan.ts) decides all of it; renderSystemd (unit-files.ts) writes it.
 */
import { adviceFindings } from '../advice/index.ts';
import type { Deployment } from '../../model/deployment.ts';
import type { EmitResult } from '../types.ts';
import type { SystemdOptions } from './plan.ts';
import { planSystemd } from './plan.ts';
import { makeRenderer } from './render.ts';
import { renderSystemd } from './unit-files.ts';

export function emitSystemd(d: Deployment, o: SystemdOptions): EmitResult {
  const plan = planSystemd(d, o);
  return {
    files: renderSystemd(plan, makeRenderer(o.templatesDir)),
    findings: [...plan.findings, ...adviceFindings(d, 'systemd')],
  };
}
