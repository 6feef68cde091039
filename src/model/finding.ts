import type { Origin } from './origin.ts';

/** ADVICE: not a loss of fidelity but what the new runtime does better (src/emit/advice/). */
export type Fidelity = 'EXACT' | 'APPROX' | 'NONE' | 'ADVICE';

/** One source key's translation outcome. Warnings are values. */
export interface Finding {
  fidelity: Fidelity;
  key: string;
  message: string;
  origin?: Origin;
  /** namespec of the program concerned, when there is one. */
  program?: string;
}
