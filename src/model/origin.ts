/** Where a value came from: every value in the model remembers it. */
export interface Origin {
  /** Absolute path of the file that holds the value. */
  file: string;
  /** 1-based line of the key (or of the section header for defaults). 0 when unknown. */
  line: number;
  /** Section name as written, e.g. `program:web`. */
  section: string;
  /** Lower-cased key, or '' for a section-level origin. */
  key: string;
}

export function formatOrigin(o: Origin): string {
  const where = o.line > 0 ? `${o.file}:${o.line}` : o.file;
  const key = o.key ? ` ${o.key}` : '';
  return `${where}: [${o.section}]${key}`;
}
