/**
 * `-c FILE` on a control verb: the stack of FILE's programs wherever they
 * run now (src/control/stack/), opened through the backend registry so
 * every member takes its own options and environment as usual.
 */
import { backendEntry, defaultBackend } from '../../control/backends.ts';
import { realConfigPath } from '../../control/config-path.ts';
import { StackBackend, type StackMember } from '../../control/stack/index.ts';
import { dockerProjects, stackScopes, systemdProjects } from '../../control/stack/find.ts';
import { BackendError, type Backend } from '../../control/types.ts';
import type { Deployment } from '../../model/deployment.ts';
import { defaultProjectName } from '../../emit/project-name.ts';
import { str, type Args } from '../options.ts';
import { ownOf } from './own.ts';

/** How long a backend that may not be there gets to answer. */
const PROBE_MS = 3000;

async function openMember(
  a: Args,
  name: string,
  project: string | undefined,
  d: Deployment,
): Promise<Backend> {
  const e = backendEntry(name)!;
  const { open } = await e.load();
  const timeout = a.timeout;
  return open({
    project,
    timeoutMs: typeof timeout === 'number' ? timeout : undefined,
    ...ownOf(e, a),
    deployment: d,
  });
}

/** supervisord is a member only when FILE (or -s) names its server and it answers. */
async function supervisordMember(a: Args, d: Deployment): Promise<Backend | null> {
  const { discoverServer } = await import('../../control/supervisord/discover.ts');
  const s = discoverServer(d, { serverUrl: str(a.serverurl) ?? process.env.SUPCTL_SERVERURL });
  if (s.source === 'default') return null;
  const b = await openMember({ ...a, timeout: a.timeout ?? PROBE_MS }, 'supervisord', undefined, d);
  try {
    await b.list();
    return b;
  } catch (e) {
    await b.close().catch(() => undefined);
    if (e instanceof BackendError) return null;
    throw e;
  }
}

/**
 * The stack of `file`. `--backend` narrows it to one backend. `home` is
 * where reread/update act: the first member, else the default backend
 * under the project name `file` would get.
 */
export async function openStack(a: Args, file: string, d: Deployment): Promise<StackBackend> {
  const real = realConfigPath(file);
  const only = str(a.backend);
  const want = (n: string): boolean => only === undefined || only === n;
  const members: StackMember[] = [];
  try {
    if (want('systemd')) {
      const sc = str(a.scope);
      const explicit = sc === 'user' || sc === 'system' ? sc : undefined;
      const scopes = stackScopes(explicit, process.env, process.getuid?.() ?? 0);
      for (const { scope, project } of systemdProjects(real, scopes)) {
        const backend = await openMember({ ...a, scope }, 'systemd', project, d);
        members.push({ name: 'systemd', backend });
      }
    }
    if (want('docker')) {
      const host = process.env.DOCKER_HOST || undefined;
      for (const { project, images } of await dockerProjects(real, host, PROBE_MS)) {
        // --image as given wins; else the images the containers run
        const withImages = a.image === undefined ? { ...a, image: images } : a;
        members.push({
          name: 'docker',
          backend: await openMember(withImages, 'docker', project, d),
        });
      }
    }
    if (want('supervisord')) {
      const b = await supervisordMember(a, d);
      if (b) members.push({ name: 'supervisord', backend: b });
    }
    const home =
      members[0]?.backend ??
      (await openMember(a, only ?? defaultBackend(), str(a.name) ?? defaultProjectName(file), d));
    const nobody = `nothing runs the programs of ${real}: no ${only ?? 'systemd or Docker'} project was applied from it${want('supervisord') ? ' and no supervisord it names answers' : ''}`;
    return new StackBackend(members, home, nobody, d);
  } catch (e) {
    await Promise.all(members.map((m) => m.backend.close().catch(() => undefined)));
    throw e;
  }
}
