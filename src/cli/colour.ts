/**
 * Colour: the one place that decides whether output is coloured and with
 * what. Only on a terminal, never with NO_COLOR (any non-empty value, see
 * no-color.org), never with --json, never when invoked as supervisorctl
 * (its drop-in output stays byte-identical to supervisorctl's).
 */
import type { ProcessState } from '../control/types.ts';
import type { Fidelity } from '../model/finding.ts';

interface ColourContext {
  isTTY: boolean | undefined;
  json: boolean;
  /** The program's name as invoked (argv[1]'s basename, yargs' $0). */
  invokedAs: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

export function useColour(c: ColourContext): boolean {
  if (c.isTTY !== true || c.json) return false;
  if ((c.env.NO_COLOR ?? '') !== '') return false;
  return c.invokedAs !== 'supervisorctl';
}

/** Wraps text in one SGR colour, reset after. */
type Paint = (text: string) => string;

const sgr =
  (code: number): Paint =>
  (text) =>
    `\x1b[${code}m${text}\x1b[0m`;
const plain: Paint = (text) => text;
const GREEN = sgr(32);
const RED = sgr(31);
const YELLOW = sgr(33);

/**
 * supervisor's web page (web.py css_class_for_state, 4.2.5): RUNNING is
 * "statusrunning" (green), FATAL and BACKOFF "statuserror" (red), every
 * other state "statusnominal" (left plain).
 */
export function stateColour(state: ProcessState): Paint {
  if (state === 'RUNNING') return GREEN;
  if (state === 'FATAL' || state === 'BACKOFF') return RED;
  return plain;
}

/** The convert report: EXACT green, APPROX yellow, NONE red, ADVICE cyan. */
export const FIDELITY_COLOUR: Readonly<Record<Fidelity, Paint>> = {
  EXACT: GREEN,
  APPROX: YELLOW,
  NONE: RED,
  ADVICE: sgr(36),
};
