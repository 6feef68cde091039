import type { Deployment } from '../../model/deployment.ts';
import type { Finding } from '../../model/finding.ts';
import { groupSpec, isGroupSection } from '../../model/names.ts';
import type { Origin } from '../../model/origin.ts';
import type { ComposeOptions } from './types.ts';
import { DOCKER_UMASK, umaskText } from './entrypoint.ts';
import { SECTION_KEYS, type SectionKey } from './section-keys.ts';

/** Findings for section-level keys: [supervisord] settings, [group:x], eventlisteners. */
export function sectionFindings(d: Deployment, o: ComposeOptions): Finding[] {
  const out: Finding[] = [];
  const s = d.supervisord;
  const add = (key: SectionKey, fidelity: Finding['fidelity'], message: string, origin?: Origin) =>
    out.push(origin ? { fidelity, key, message, origin } : { fidelity, key, message });
  const at = (k: string): Origin | undefined => s.origins[k];
  // keys whose outcome never varies take it from the table
  const best = (key: SectionKey) => SECTION_KEYS[key].best;

  if (s.environment !== null && at('environment')) {
    add(
      'supervisord.environment',
      best('supervisord.environment'),
      "[supervisord] environment → merged into every service's environment",
      at('environment'),
    );
  }
  if (at('directory') && s.directory !== null) {
    if (s.nodaemon) {
      add(
        'supervisord.directory',
        'EXACT',
        'directory: supervisord applies it only when it daemonizes (nodaemon=true): nothing to translate',
        at('directory'),
      );
    } else {
      add(
        'supervisord.directory',
        'EXACT',
        `directory=${s.directory} → working_dir of every program without its own directory (children inherit it)`,
        at('directory'),
      );
    }
  }
  if (at('user') && s.user !== null) {
    add(
      'supervisord.user',
      best('supervisord.user'),
      `user=${s.user} → user of every program without its own user`,
      at('user'),
    );
  }
  if (at('umask')) {
    const u = umaskText(s.umask);
    if (s.nodaemon || s.umask === DOCKER_UMASK) {
      add(
        'supervisord.umask',
        'EXACT',
        s.nodaemon ? 'umask: not applied with nodaemon=true' : `umask=${u}: the container default`,
        at('umask'),
      );
    } else {
      add(
        'supervisord.umask',
        o.shellWrap ? 'APPROX' : 'NONE',
        o.shellWrap
          ? `umask=${u} → set by the --shell-wrap wrapper of programs without their own umask`
          : `umask=${u}: Compose cannot set a umask (containers get 0022); --shell-wrap emulates it`,
        at('umask'),
      );
    }
  }
  for (const k of ['minfds', 'minprocs'] as const) {
    if (at(k)) {
      add(
        `supervisord.${k}`,
        best(`supervisord.${k}`),
        `${k}=${s[k]}: not translated; set ulimits.${k === 'minfds' ? 'nofile' : 'nproc'} by hand if the program needs it`,
        at(k),
      );
    }
  }
  for (const g of d.groups) {
    if (g.kind === 'eventlistener') {
      out.push({
        fidelity: best('eventlistener'),
        key: 'eventlistener',
        message: `[eventlistener:${g.name}]: Docker has no supervisor events; no service is emitted`,
        origin: g.origin,
        program: g.name,
      });
    } else if (isGroupSection(g)) {
      out.push({
        fidelity: best('group'),
        key: 'group',
        message: `[group:${g.name}]: Compose has no groups; its services carry the label io.supctl.group=${g.name}`,
        origin: g.origin,
        program: groupSpec(g.name),
      });
    }
  }
  return out;
}
