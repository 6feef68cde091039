/**
 * One row of the compose key table (keys.ts has the design) and the
 * outcomes a row returns.
 */
import type { Fidelity } from '../../model/finding.ts';
import type { Outcome } from './restart.ts';
import type { ServiceContext } from './types.ts';

export interface Rule {
  /** What the key becomes, for the table's readers (README, --help). */
  target: string;
  /** The best this row can be; `apply` says what it is for one service. */
  best: Fidelity;
  /** Report even when the key was not written (its default matters). */
  always?: boolean;
  /** Changes the service; returns what became of the key (undefined: nothing to say). */
  apply: (c: ServiceContext) => Outcome | undefined;
}

export { approx, exact, none } from '../outcome.ts';
