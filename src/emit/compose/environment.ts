/**
 * `environment` → `environment:` (inline) or, with --env-file, a
 * `<service>.env` file (mode 0600) named in `env_file:`.
 *
 * Env files are read differently by docker-compose 1.29.2 (python-dotenv,
 * which interpolates `${X}` even in single quotes and unescapes `\\`, `\'`)
 * and by Compose v2; a value is written there only in the form both read
 * literally: single-quoted, without `'`, `\`, `$`, CR, LF or another line break. Other values
 * stay inline (and compose.yaml is then written 0600).
 */
interface EnvironmentPlan {
  inline: Record<string, string>;
  file: Record<string, string>;
}

const SAFE_FILE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// U+0085, U+2028, U+2029: line breaks to some readers
const UNSAFE_FILE_VALUE = /['\\$\r\n\0\u0085\u2028\u2029]/;

export function planEnvironment(
  env: Record<string, string> | null,
  toFile: boolean,
): EnvironmentPlan {
  const inline: Record<string, string> = {};
  const file: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) {
    if (toFile && SAFE_FILE_KEY.test(k) && !UNSAFE_FILE_VALUE.test(v)) file[k] = v;
    else inline[k] = v;
  }
  return { inline, file };
}

export function envFileText(file: Record<string, string>, header: string): string {
  const lines = [`# ${header}`];
  for (const [k, v] of Object.entries(file)) lines.push(`${k}='${v}'`);
  return lines.join('\n') + '\n';
}
