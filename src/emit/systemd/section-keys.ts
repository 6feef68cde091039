/**
 * The key table's [group:x] and [supervisord] rows (keys.ts has the
 * program rows and the design). A [supervisord] row's outcome is reported
 * once per config; `service` is what every unit gets from it.
 */
import type { Deployment } from '../../model/deployment.ts';
import type { Group } from '../../model/group.ts';
import type { Directive } from './findings.ts';
import { approx, exact } from './findings.ts';
import type { Row } from './keys.ts';

export const GROUP_KEYS = ['programs', 'priority'] as const;
type GroupKey = (typeof GROUP_KEYS)[number];

/** [supervisord] keys whose effect reaches the children. */
export const SUPERVISORD_KEYS = [
  'environment',
  'umask',
  'directory',
  'user',
  'minfds',
  'minprocs',
  'nodaemon',
] as const;
type SupervisordKey = (typeof SUPERVISORD_KEYS)[number];

/** A [group:x] section and the target it becomes. */
interface GroupContext {
  g: Group;
  target: string;
}

export const GROUP_RULES = {
  programs: {
    target: 'PROJECT-GROUP.target: Wants= its autostart members, members PartOf= it',
    best: 'APPROX',
    apply: (c) =>
      approx(
        `[group:${c.g.name}] becomes ${c.target}: it Wants= its autostart members, which are PartOf= it; process names are not prefixed with the group`,
      ),
  },
  // the members' own priority rows order them (ordering.ts sorts by group priority first)
  priority: {
    target: 'After= between members of different groups',
    best: 'APPROX',
    apply: () => undefined,
  },
} as const satisfies Record<GroupKey, Row<GroupContext>>;

export interface SupervisordRule extends Row<Deployment> {
  /** Directives every service gets from this key. */
  service?: (d: Deployment) => Directive[];
}

const writtenIn = (d: Deployment, key: string) => d.supervisord.origins[key] !== undefined;

/** supervisord applies its umask and directory only when it daemonizes (nodaemon=false). */
const whenDaemonized = (d: Deployment, key: string, ifNodaemon: string, ifDaemon: () => string) =>
  !writtenIn(d, key)
    ? undefined
    : d.supervisord.nodaemon
      ? approx(`nodaemon=true: ${ifNodaemon}`)
      : exact(ifDaemon());

export const SUPERVISORD_RULES = {
  environment: {
    target: "merged into every program's environment",
    best: 'APPROX',
    apply: (d) =>
      writtenIn(d, 'environment')
        ? approx("merged into every program's environment, as supervisord does")
        : undefined,
  },
  umask: {
    target: 'UMask= on every program without its own umask',
    best: 'EXACT',
    apply: (d) =>
      whenDaemonized(
        d,
        'umask',
        'supervisord does not apply its umask; programs get UMask=0022',
        () => `UMask=${d.supervisord.umask.toString(8)} on every program without its own umask`,
      ),
  },
  directory: {
    target: 'WorkingDirectory= on every program without its own directory',
    best: 'EXACT',
    apply: (d) =>
      whenDaemonized(
        d,
        'directory',
        'supervisord does not chdir; programs get WorkingDirectory=/',
        () =>
          `WorkingDirectory=${d.supervisord.directory ?? ''} on every program without its own directory`,
      ),
  },
  user: {
    target: 'User= on every program without its own user',
    best: 'APPROX',
    apply: (d) =>
      writtenIn(d, 'user')
        ? approx(`every program without its own user runs as ${d.supervisord.user ?? ''} (User=)`)
        : undefined,
  },
  minfds: {
    target: "LimitNOFILE= (only above systemd's default soft limit 1024)",
    best: 'APPROX',
    service: (d) =>
      d.supervisord.minfds > 1024
        ? [{ key: 'LimitNOFILE', value: String(d.supervisord.minfds) }]
        : [],
    apply(d) {
      const n = d.supervisord.minfds;
      if (!writtenIn(d, 'minfds') && n <= 1024) return undefined;
      return approx(
        n > 1024
          ? `LimitNOFILE=${n}: systemd sets the soft and hard limit to exactly that, supervisor only raises the soft limit to at least that`
          : `minfds=${n} is within systemd's default soft limit 1024; children get 1024 where supervisor's inherited supervisord's (possibly higher) limit`,
      );
    },
  },
  minprocs: {
    target: 'LimitNPROC= (not written)',
    best: 'APPROX',
    apply: (d) =>
      writtenIn(d, 'minprocs')
        ? approx(
            `minprocs=${d.supervisord.minprocs}: no LimitNPROC= is written; systemd's default is the kernel's, normally far higher`,
          )
        : undefined,
  },
  nodaemon: {
    target: '(decides the umask and directory rows)',
    best: 'EXACT',
    apply: () => undefined,
  },
} as const satisfies Record<SupervisordKey, SupervisordRule>;
