/**
 * Which projects each backend holds for one config file: systemd by the
 * manifests' configFile in every scope the caller reaches, Docker by the io.supctl.config-file label. Both
 * compare real paths (src/control/config-path.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { realConfigPath } from '../config-path.ts';
import { allManifests, readManifest } from '../systemd/manifest.ts';
import { defaultUnitDir } from '../systemd/paths.ts';
import { LABEL } from '../docker/labels.ts';
import { BackendError } from '../types.ts';

type Scope = 'user' | 'system';

/** One systemd scope a stack lookup reads, and its unit dir (where the manifests are). */
interface ScopeDir {
  scope: Scope;
  unitDir: string;
}

/**
 * The systemd scopes the caller can reach, the default one first: both
 * when nothing narrows it (the system scope's unit dir, and the user
 * manager's: a non-root caller's own, root's when its user bus answers).
 * `--scope`/SUPCTL_SCOPE picks one; SUPCTL_SYSTEMD_UNIT_DIR names one dir,
 * so one scope (the default).
 */
export function stackScopes(
  explicit: Scope | undefined,
  env: Readonly<Record<string, string | undefined>>,
  uid: number,
  userBusExists: (path: string) => boolean = existsSync,
): ScopeDir[] {
  const dirOf = (scope: Scope): string => env.SUPCTL_SYSTEMD_UNIT_DIR || defaultUnitDir(scope);
  const one =
    explicit ??
    (env.SUPCTL_SCOPE === 'user' || env.SUPCTL_SCOPE === 'system' ? env.SUPCTL_SCOPE : undefined);
  if (one !== undefined) return [{ scope: one, unitDir: dirOf(one) }];
  const first: Scope = uid === 0 ? 'system' : 'user';
  if (env.SUPCTL_SYSTEMD_UNIT_DIR) return [{ scope: first, unitDir: dirOf(first) }];
  const bus = env.DBUS_SESSION_BUS_ADDRESS?.replace(/^unix:path=/, '').split(',')[0];
  const runtime = env.XDG_RUNTIME_DIR;
  const userReachable =
    uid !== 0 ||
    (bus !== undefined && bus !== '' && userBusExists(bus)) ||
    (runtime !== undefined && runtime !== '' && userBusExists(join(runtime, 'bus')));
  const scopes: Scope[] = userReachable
    ? [first, first === 'user' ? 'system' : 'user']
    : ['system'];
  return scopes.map((scope) => ({ scope, unitDir: defaultUnitDir(scope) }));
}

/** systemd projects whose manifest records `realFile`, in each scope given (none where no manifests are). */
export function systemdProjects(
  realFile: string,
  scopes: readonly ScopeDir[],
): { scope: Scope; project: string }[] {
  return scopes.flatMap(({ scope, unitDir }) =>
    allManifests(unitDir)
      .filter((m) => realConfigPath(m.configFile) === realFile)
      .map((m) => ({ scope, project: m.project })),
  );
}

/** The config file a systemd project was applied from (its manifest records it). */
export function recordedConfig(
  project: string,
  scope: 'user' | 'system',
  unitDir: string | undefined,
): string | undefined {
  return readManifest(unitDir ?? defaultUnitDir(scope), project)?.configFile;
}

/**
 * Docker projects whose containers carry `realFile`, each with the images
 * its containers run as `--image` values (the most used one for every
 * program, then PROGRAM=IMAGE), so that `remove`/`add GROUP` re-plan the
 * project as applied without `--image` again; none when no daemon answers
 * (Docker is optional for a stack, unlike for `--backend docker`).
 */
export async function dockerProjects(
  realFile: string,
  dockerHost: string | undefined,
  timeoutMs: number,
): Promise<{ project: string; images: string[] }[]> {
  const { createClient } = await import('../docker/client.ts');
  try {
    const client = await createClient({ dockerHost, timeoutMs });
    const cs = await client.call('list containers', (dk) =>
      dk.listContainers({ all: true, filters: { label: [`${LABEL.configFile}=${realFile}`] } }),
    );
    const projects = [...new Set(cs.flatMap((c) => c.Labels[LABEL.supctlProject] ?? []))].sort();
    return projects.map((project) => {
      const mine = cs.filter((c) => c.Labels[LABEL.supctlProject] === project);
      const count = new Map<string, number>();
      for (const c of mine) count.set(c.Image, (count.get(c.Image) ?? 0) + 1);
      const common = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
      if (count.size <= 1) return { project, images: common === undefined ? [] : [common] };
      const per = new Map(
        mine.flatMap((c) => {
          const prog = c.Labels[LABEL.program];
          return prog === undefined ? [] : [[prog, c.Image] as const];
        }),
      );
      return { project, images: [common!, ...[...per].map(([p, i]) => `${p}=${i}`)] };
    });
  } catch (e) {
    if (e instanceof BackendError) return [];
    throw e;
  }
}
