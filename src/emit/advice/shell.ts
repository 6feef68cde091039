/**
 * The shell script a command runs, and its top-level commands, for the
 * advice rules. A heuristic, not a shell parser: advice may miss a case,
 * it never changes what is written.
 */
import { basename } from 'node:path';

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** The script of `sh -c SCRIPT` / `bash -c SCRIPT` (after -e/-x style flags); null for any other argv. */
export function shellScript(argv: readonly string[]): string | null {
  if (argv.length < 3 || !SHELLS.has(basename(argv[0]!))) return null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c') return argv[i + 1] ?? null;
    // -c may be bundled with other flags (-ec, -xc)
    if (/^-[a-z]*c[a-z]*$/.test(a)) return argv[i + 1] ?? null;
    if (!a.startsWith('-')) return null;
  }
  return null;
}

/**
 * The script's commands in order, split on `&&`, `||`, `;` and line breaks
 * outside quotes; each trimmed, empty ones dropped.
 */
export function topLevelCommands(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') cur += script[i++] ?? '';
      cur += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      out.push(cur);
      cur = '';
      i++;
      continue;
    }
    if (c === ';' || c === '\n') {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}
