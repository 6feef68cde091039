/**
 * environment → EnvironmentFile= (mode 0600) or, with --inline-env,
 * Environment= lines.
 *
 * supervisor (process.py:311-322): the child gets supervisord's os.environ,
 * then SUPERVISOR_ENABLED/PROCESS_NAME/GROUP_NAME/SERVER_URL, then the
 * merged `[supervisord] environment` + program `environment` on top. systemd
 * starts from the manager's small clean environment, so supctl writes the
 * SUPERVISOR_* names and the configured variables; the rest of supervisord's
 * inherited environment is not reproduced.
 *
 * Where the file lives: next to the unit, in the unit's drop-in directory,
 * `<unit>.d/supctl.env` (systemd reads only `*.conf` there, so the file is
 * not mistaken for a drop-in). The unit names it with specifiers,
 * `EnvironmentFile=%E/systemd/<scope>/%n.d/supctl.env` (see unitInPath): %E is /etc for the
 * system manager and $XDG_CONFIG_HOME (~/.config) for a user manager, %n the
 * full unit name (for a template: the instance, so each instance has its own
 * file). Installing = copying --out into /etc/systemd/system (system) or
 * ~/.config/systemd/user (user).
 */
import type { Process } from '../../model/process.ts';
import { environmentAssignment, escapeSpecifiers, isValidEnvName } from './escape.ts';
import type { Directive, Outcome } from './findings.ts';
import { approx, none } from './findings.ts';

export const ENV_FILE_NAME = 'supctl.env';

/**
 * The variables a supervisor child would get from its config, in order, and
 * the configured names systemd cannot pass.
 */
export function processEnvironment(
  p: Process,
  groupName: string,
): { env: Map<string, string>; dropped: string[] } {
  const env = new Map<string, string>([
    ['SUPERVISOR_ENABLED', '1'],
    ['SUPERVISOR_PROCESS_NAME', p.name],
    ['SUPERVISOR_GROUP_NAME', groupName],
  ]);
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(p.environment ?? {})) {
    if (isValidEnvName(k)) env.set(k, v);
    else dropped.push(k);
  }
  return { env, dropped };
}

export function environmentOutcomes(dropped: string[]): Outcome[] {
  const out: Outcome[] = [];
  if (dropped.length > 0) {
    out.push(
      none(
        `variable name${dropped.length > 1 ? 's' : ''} ${dropped.map((k) => JSON.stringify(k)).join(', ')} cannot be passed by systemd ([A-Za-z_][A-Za-z0-9_]* only) and ${dropped.length > 1 ? 'are' : 'is'} dropped`,
      ),
    );
  }
  out.push(
    approx(
      "the configured variables and SUPERVISOR_ENABLED/PROCESS_NAME/GROUP_NAME are set; supervisord's own inherited environment and SUPERVISOR_SERVER_URL are not",
    ),
  );
  return out;
}

export function envDirectives(
  env: Map<string, string>,
  inline: boolean,
  scope: 'system' | 'user',
  unitFile: string,
): Directive[] {
  if (inline) {
    return [...env].map(([k, v]) => ({ key: 'Environment', value: environmentAssignment(k, v) }));
  }
  return [
    {
      key: 'EnvironmentFile',
      value: `%E/systemd/${scope}/${unitInPath(unitFile)}.d/${ENV_FILE_NAME}`,
    },
  ];
}

/**
 * The unit's own name inside the EnvironmentFile= path: `%n`, unless the
 * name holds a backslash (an escaped `-` of the project, `\x2d`): systemd
 * C-unescapes EnvironmentFile= paths after expanding specifiers, so `%n`
 * would name a directory that does not exist (measured on systemd 252).
 * Then the name is written out, backslashes doubled, `%i` for a template's
 * instance (a template's instances never hold a backslash).
 */
function unitInPath(unitFile: string): string {
  if (!unitFile.includes('\\')) return '%n';
  const literal = (s: string) => escapeSpecifiers(s).replace(/\\/g, '\\\\');
  const at = unitFile.indexOf('@.');
  return at < 0
    ? literal(unitFile)
    : `${literal(unitFile.slice(0, at))}@%i${literal(unitFile.slice(at + 1))}`;
}
