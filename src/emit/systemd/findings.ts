import type { Fidelity, Finding } from '../../model/finding.ts';
import type { Origin } from '../../model/origin.ts';
import type { Deployment } from '../../model/deployment.ts';
import type { ProgramInfo } from '../../model/group.ts';
import type { Process } from '../../model/process.ts';

/** One `key=value` line of a unit section. */
export interface Directive {
  key: string;
  value: string;
}

import { keyOrigin } from '../health-probe.ts';
import type { Outcome } from '../outcome.ts';

export { approx, exact, none, type Outcome } from '../outcome.ts';

/**
 * Collects one program's findings. A key gets a finding when it was written
 * in the config, or when its default does not translate exactly; every
 * finding carries the origin of the value (or of the section for defaults).
 */
export class ProgramFindings {
  readonly list: Finding[] = [];
  constructor(
    readonly info: ProgramInfo,
    readonly proc: Process,
    readonly namespec: string,
  ) {}

  written(key: string): boolean {
    return this.info.written.includes(key);
  }

  origin(key: string): Origin {
    return keyOrigin(this.proc, key) ?? { ...this.info.origin, key };
  }

  /** Records the finding if the key was written or is not EXACT. */
  add(key: string, fidelity: Fidelity, message: string): void {
    if (fidelity === 'EXACT' && !this.written(key)) return;
    if (this.list.some((x) => x.key === key && x.fidelity === fidelity && x.message === message))
      return;
    this.list.push({ fidelity, key, message, origin: this.origin(key), program: this.namespec });
  }

  /** Records what a key-table row returned. */
  record(key: string, outcome: Outcome | Outcome[] | undefined): void {
    if (outcome === undefined) return;
    for (const o of Array.isArray(outcome) ? outcome : [outcome])
      this.add(key, o.fidelity, o.message);
  }
}

/** A finding about a [supervisord] key. */
export function supervisordFinding(d: Deployment, key: string, outcome: Outcome): Finding {
  const origin: Origin = d.supervisord.origins[key] ?? {
    file: d.configFile,
    line: 0,
    section: 'supervisord',
    key,
  };
  return { fidelity: outcome.fidelity, key, message: outcome.message, origin };
}
