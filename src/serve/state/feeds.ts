/**
 * Which change feed keeps the state store current for a backend. A backend
 * without one (supervisord: it is its own server) is served without a store.
 */
import { defaultScope } from '../../control/systemd/open.ts';
import { composeProjectName } from '../../emit/project-name.ts';
import type { OpenFeed } from './store.ts';

export async function feedFor(
  backend: string,
  o: {
    project: string | undefined;
    scope: unknown;
    env: Readonly<Record<string, string | undefined>>;
  },
): Promise<OpenFeed | null> {
  if (backend === 'systemd') {
    const { systemdFeed } = await import('./systemd-feed.ts');
    const scope = o.scope === 'user' || o.scope === 'system' ? o.scope : defaultScope(o.env);
    return systemdFeed({ scope });
  }
  if (backend === 'docker') {
    const { dockerFeed } = await import('./docker-feed.ts');
    return dockerFeed({
      project: o.project === undefined ? undefined : composeProjectName(o.project),
      dockerHost: o.env['DOCKER_HOST'],
    });
  }
  return null;
}
