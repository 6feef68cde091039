import type { Origin } from './origin.ts';

export type Fidelity = 'EXACT' | 'APPROX' | 'NONE';

/** One source key's translation outcome. Warnings are values. */
export interface Finding {
  fidelity: Fidelity;
  key: string;
  message: string;
  origin?: Origin;
  /** namespec of the program concerned, when there is one. */
  program?: string;
}
