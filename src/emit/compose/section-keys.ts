/**
 * Section-level rows of the compose key table ([supervisord], [group:x],
 * [eventlistener:x]; keys.ts has the program rows), reported once per
 * deployment or group by sections.ts.
 */
import type { Fidelity } from '../../model/finding.ts';

export type SectionKey =
  | 'supervisord.environment'
  | 'supervisord.directory'
  | 'supervisord.user'
  | 'supervisord.umask'
  | 'supervisord.minfds'
  | 'supervisord.minprocs'
  | 'group'
  | 'eventlistener';

interface SectionRule {
  target: string;
  best: Fidelity;
}

export const SECTION_KEYS = {
  'supervisord.environment': { target: "merged into each service's environment", best: 'APPROX' },
  'supervisord.directory': {
    target: 'working_dir of programs without directory (when supervisord daemonizes)',
    best: 'EXACT',
  },
  'supervisord.user': { target: 'user of programs without user', best: 'APPROX' },
  'supervisord.umask': { target: 'as umask (when supervisord daemonizes)', best: 'APPROX' },
  'supervisord.minfds': { target: 'NONE (set ulimits.nofile by hand)', best: 'NONE' },
  'supervisord.minprocs': { target: 'NONE (set ulimits.nproc by hand)', best: 'NONE' },
  group: { target: 'NONE (label io.supctl.group only)', best: 'NONE' },
  eventlistener: { target: 'NONE (no service)', best: 'NONE' },
} satisfies Record<SectionKey, SectionRule>;
