/** The shape of a Kubernetes key-table row, and what a row returns. */
import type { Fidelity } from '../../model/finding.ts';
import type { KeyContext } from './types.ts';

import type { Outcome } from '../outcome.ts';

export type { Outcome };

export interface Rule {
  /** What the key becomes, for the table's readers. */
  target: string;
  best: Fidelity;
  always?: boolean;
  apply: (c: KeyContext) => Outcome | undefined;
}

export { approx, exact, none } from '../outcome.ts';
