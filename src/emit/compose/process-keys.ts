/**
 * The compose key table's rows for the process's surroundings: user,
 * directory, umask, environment, stderr redirection.
 */
import { effectiveDirectory, effectiveUmask, effectiveUser } from '../../model/effective.ts';
import { envFileText, planEnvironment } from './environment.ts';
import { DOCKER_UMASK, umaskText } from './entrypoint.ts';
import { approx, exact, none } from './rule.ts';
import type { ProgramKey } from './keys.ts';
import type { Rule } from './rule.ts';

export const PROCESS_RULES = {
  user: {
    target: 'user',
    best: 'APPROX',
    apply(c) {
      const user = effectiveUser(c.d, c.p);
      if (user === null) return undefined;
      c.svc.user = user;
      return approx(
        `user=${user} → user: resolved in the image's /etc/passwd; Docker also sets HOME, supervisor does not`,
      );
    },
  },
  directory: {
    target: 'working_dir',
    best: 'EXACT',
    always: false,
    apply(c) {
      const dir = effectiveDirectory(c.d, c.p);
      if (dir === null) return undefined;
      c.svc.working_dir = dir;
      return exact(
        `directory=${dir} → working_dir (Docker fails the start if it is missing; supervisor exits 127)`,
      );
    },
  },
  umask: {
    target: 'NONE (APPROX with --shell-wrap: sh -c "umask ...; exec ...")',
    best: 'APPROX',
    apply(c) {
      const umask = effectiveUmask(c.d, c.p);
      if (umask === null || umask === DOCKER_UMASK) {
        return umask === null ? undefined : exact('umask=022: the container default');
      }
      return c.o.shellWrap
        ? approx(
            `umask=${umaskText(umask)} → /bin/sh -c 'umask ${umaskText(umask)}; exec "$@"' (needs /bin/sh in the image)`,
          )
        : none(
            `umask=${umaskText(umask)}: Compose cannot set a umask (containers get 0022); --shell-wrap emulates it`,
          );
    },
  },
  environment: {
    target: 'environment (or env_file with --env-file, mode 0600)',
    best: 'APPROX',
    always: false,
    apply(c) {
      const env = c.p.environment;
      if (env === null || Object.keys(env).length === 0) return undefined;
      const plan = planEnvironment(env, c.o.envFile);
      if (Object.keys(plan.file).length > 0) {
        const path = `${c.plan.name}.env`;
        c.extraFiles.push({
          path,
          content: envFileText(plan.file, `environment of ${c.plan.name} (supctl)`),
          mode: 0o600,
        });
        c.svc.env_file = [path];
      }
      if (Object.keys(plan.inline).length > 0) {
        c.svc.environment = { ...plan.inline, ...(c.svc.environment ?? {}) };
      }
      const kept = Object.keys(plan.inline);
      const where =
        c.o.envFile && kept.length > 0
          ? `env_file ${c.plan.name}.env; kept inline (not portable in an env file): ${kept.join(', ')}`
          : c.o.envFile
            ? `env_file ${c.plan.name}.env (mode 0600)`
            : 'environment';
      return approx(
        `environment → ${where}; the image's environment replaces supervisord's, and SUPERVISOR_* variables are not set`,
      );
    },
  },
  redirect_stderr: {
    target: 'NONE (APPROX with --shell-wrap: exec ... 2>&1)',
    best: 'APPROX',
    apply(c) {
      if (!c.p.redirect_stderr)
        return exact('redirect_stderr=false: stderr stays a separate stream');
      return c.o.shellWrap
        ? approx(
            'redirect_stderr=true → /bin/sh -c \'exec "$@" 2>&1\' (needs /bin/sh in the image)',
          )
        : none(
            'redirect_stderr=true: Compose keeps stderr a separate stream of the container log; --shell-wrap emulates it',
          );
    },
  },
} satisfies Partial<Record<ProgramKey, Rule>>;
