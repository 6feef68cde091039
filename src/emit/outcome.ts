/** What became of one key in a target: how faithful, and a sentence saying so. */
import type { Fidelity } from '../model/finding.ts';

export interface Outcome {
  fidelity: Fidelity;
  message: string;
}

export const exact = (message: string): Outcome => ({ fidelity: 'EXACT', message });
export const approx = (message: string): Outcome => ({ fidelity: 'APPROX', message });
export const none = (message: string): Outcome => ({ fidelity: 'NONE', message });
