/**
 * Which projects each backend holds for one config file: systemd by the
 * manifests' configFile, Docker by the io.supctl.config-file label. Both
 * compare real paths (src/control/config-path.ts).
 */
import { realConfigPath } from '../config-path.ts';
import { allManifests, readManifest } from '../systemd/manifest.ts';
import { defaultUnitDir } from '../systemd/paths.ts';
import { LABEL } from '../docker/labels.ts';
import { BackendError } from '../types.ts';

/** systemd projects whose manifest records `realFile` (none when the unit dir has no manifests). */
export function systemdProjects(
  realFile: string,
  scope: 'user' | 'system',
  unitDir: string | undefined,
): string[] {
  const dir = unitDir ?? defaultUnitDir(scope);
  return allManifests(dir)
    .filter((m) => realConfigPath(m.configFile) === realFile)
    .map((m) => m.project);
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
 * Docker projects whose containers carry `realFile`; none when no daemon
 * answers (Docker is optional for a stack, unlike for `--backend docker`).
 */
export async function dockerProjects(
  realFile: string,
  dockerHost: string | undefined,
  timeoutMs: number,
): Promise<string[]> {
  const { createClient } = await import('../docker/client.ts');
  try {
    const client = await createClient({ dockerHost, timeoutMs });
    const cs = await client.call('list containers', (dk) =>
      dk.listContainers({ all: true, filters: { label: [`${LABEL.configFile}=${realFile}`] } }),
    );
    return [...new Set(cs.flatMap((c) => c.Labels[LABEL.supctlProject] ?? []))].sort();
  } catch (e) {
    if (e instanceof BackendError) return [];
    throw e;
  }
}
