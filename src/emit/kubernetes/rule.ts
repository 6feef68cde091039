/** The shape of a Kubernetes key-table row, and what a row returns. */
import type { Fidelity } from '../../model/finding.ts';
import type { KeyContext } from './types.ts';

export interface Outcome {
  fidelity: Fidelity;
  message: string;
}

export interface Rule {
  /** What the key becomes, for the table's readers. */
  target: string;
  best: Fidelity;
  always?: boolean;
  apply: (c: KeyContext) => Outcome | undefined;
}

export const exact = (message: string): Outcome => ({ fidelity: 'EXACT', message });
export const approx = (message: string): Outcome => ({ fidelity: 'APPROX', message });
export const none = (message: string): Outcome => ({ fidelity: 'NONE', message });
