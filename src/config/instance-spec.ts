const PROCESS_NUM_SPEC = /%\(process_num\)[#0\- +]*\d*(?:\.\d+)?[diouxXsr]/;

/**
 * The `%(process_num)…` conversion that names a numprocs instance: the first
 * one in process_name, else in command (supctl's rule for instance strings;
 * `%d` when neither has one).
 */
export function instanceSpec(candidates: (string | undefined)[]): string | null {
  for (const raw of candidates) {
    const m = raw === undefined ? null : PROCESS_NUM_SPEC.exec(raw);
    if (m) return m[0];
  }
  return null;
}
