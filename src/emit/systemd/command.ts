/**
 * argv[0] resolution, as supervisor does it at spawn time
 * (process.py:120-141, options.py:1549): a name holding `/` is used as it
 * is; a bare name is searched in the program's `environment` PATH, else in
 * supervisord's PATH, else `/bin:/usr/bin:/usr/local/bin`. The file must be
 * a regular file with an x bit.
 *
 * systemd needs an absolute path in ExecStart=, so supctl resolves at
 * translation time, on the machine that runs `supctl convert`:
 * - the program's own `environment` PATH when it sets one, else
 *   DEFAULT_SEARCH_PATH (what supervisord started by an init system sees);
 * - a relative name with `/` is joined to the program's `directory` (the
 *   child exec's it after chdir), else to supervisord's `directory`, else to
 *   the config file's directory.
 * Translation host ≠ target host is why a resolved name is APPROX.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Fidelity } from '../../model/finding.ts';

const DEFAULT_SEARCH_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface ResolvedCommand {
  /** Absolute path systemd executes (or the bare name when nothing was found). */
  path: string;
  fidelity: Fidelity;
  message: string;
}

/** Is `p` a regular file with an x bit for us (what supervisor's spawn checks)? */
export type ExecutableCheck = (p: string) => boolean;

/** The real check, on this machine's disk (the CLI's default). */
export function isExecutableOnDisk(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface ResolveContext {
  environment: Record<string, string> | null;
  directory: string | null;
  supervisordDirectory: string | null;
  configFile: string;
  /** Where the PATH search looks (injected so goldens do not depend on this machine). */
  isExecutable: ExecutableCheck;
}

export function resolveArgv0(argv0: string, ctx: ResolveContext): ResolvedCommand {
  if (isAbsolute(argv0)) {
    return { path: argv0, fidelity: 'EXACT', message: `runs ${argv0} (absolute, as written)` };
  }
  if (argv0.includes('/')) {
    const base = ctx.directory ?? ctx.supervisordDirectory ?? dirname(ctx.configFile);
    const path = join(base, argv0);
    return {
      path,
      fidelity: 'APPROX',
      message: `relative path ${argv0} resolved against ${base}; supervisor checks it in supervisord's working directory and exec's it after chdir`,
    };
  }
  const envPath = ctx.environment?.['PATH'];
  const searchPath = envPath ?? DEFAULT_SEARCH_PATH;
  for (const dir of searchPath.split(':')) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, argv0);
    if (ctx.isExecutable(candidate)) {
      return {
        path: candidate,
        fidelity: 'APPROX',
        message: `${argv0} resolved to ${candidate} on this machine via ${envPath !== undefined ? "the program's PATH" : `the default PATH ${DEFAULT_SEARCH_PATH}`}; supervisor searches at every start on the target`,
      };
    }
  }
  return {
    path: argv0,
    fidelity: 'APPROX',
    message: `${argv0} was not found in ${searchPath} on this machine; left for systemd's own search path, which may differ from supervisord's PATH`,
  };
}
