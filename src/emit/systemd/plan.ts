/**
 * The systemd plan: which unit files a Deployment becomes, which process
 * each unit runs, where its logs go, and each file's directives (from the
 * key table). emitSystemd renders it; the control backend's manifest reads
 * it, so unit names and log routing are decided here once.
 */
import { basename } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import type { Finding } from '../../model/finding.ts';
import type { Group, ProgramInfo } from '../../model/group.ts';
import { groupSpec, isGroupSection, namespec } from '../../model/names.ts';
import type { Process } from '../../model/process.ts';
import { formatOrigin } from '../../model/origin.ts';
import type { ExecutableCheck } from './command.ts';
import { isExecutableOnDisk } from './command.ts';
import type { Layout, ServiceContext } from './context.ts';
import { ENV_FILE_NAME, processEnvironment } from './environment.ts';
import {
  projectComponent,
  unitBase,
  unitName,
  unitNameComponent,
  UnitSyntaxError,
} from './escape.ts';
import { socketAddress } from './fcgi.ts';
import type { Directive } from './findings.ts';
import { ProgramFindings, supervisordFinding } from './findings.ts';
import { templated } from './instance.ts';
import { GROUP_KEYS, GROUP_RULES, SUPERVISORD_KEYS, SUPERVISORD_RULES } from './section-keys.ts';
import type { RotateEntry } from './logs.ts';
import { logRoute, rotateEntries, routeTarget } from './logs.ts';
import { afterLists } from './ordering.ts';
import { applyKeyTable } from './service-directives.ts';

export interface SystemdOptions {
  project: string;
  scope: 'system' | 'user';
  templatesDir?: string | undefined;
  inlineEnv: boolean;
  logrotate: boolean;
  /**
   * Where AUTO logs go: `append:DIR/<unit>.out` and `.err` (the control
   * backend's log dir). Unset: AUTO goes to the journal.
   */
  autoLogDir?: string | undefined;
  /** How a bare command name is looked up in PATH; default: this machine's disk. */
  isExecutable?: ExecutableCheck | undefined;
}

/** One process and the unit that runs it. */
export interface PlannedProcess {
  group: string;
  name: string;
  namespec: string;
  unit: string;
  startsecs: number;
  autostart: boolean;
  priority: number;
  /** An absolute log file, `journal`, or null (discarded). */
  stdout: string | null;
  stderr: string | null;
}

/** One service unit file: a plain unit, a template, or one instance file. */
interface ServicePlan {
  file: string;
  group: string;
  /** What the unit's Description names: the process, or `group:*` for a template. */
  namespec: string;
  partOf: string;
  autostart: boolean;
  /** The processes this file runs (a template's instances). */
  processes: PlannedProcess[];
  /** Units this one starts after (priority). */
  after: string[];
  /** [Unit] directives from the key table. */
  unit: Directive[];
  service: Directive[];
  /** `<unit>.d/supctl.env` files (none with --inline-env). */
  envFiles: { path: string; env: Map<string, string> }[];
  /** The socket unit whose listening fd this service takes (Requires=/After= it). */
  takesSocket: string | null;
  /** The socket unit to write, on the first file of an [fcgi-program:x]. */
  socket: { file: string; directives: Directive[] } | null;
}

export interface TargetPlan {
  file: string;
  /** The group, or null for the project target. */
  group: string | null;
  wants: string[];
}

export interface SystemdPlan {
  scope: 'system' | 'user';
  /** The config file's name, for descriptions and headers. */
  configName: string;
  projectTarget: TargetPlan;
  groupTargets: TargetPlan[];
  services: ServicePlan[];
  /** `PROJECT.logrotate` with --logrotate, when a log needs rotation. */
  logrotate: { file: string; entries: RotateEntry[] } | null;
  findings: Finding[];
}

/** A service file before the key table runs: enough to order it. */
interface Skeleton {
  g: Group;
  f: ProgramFindings;
  layout: Layout;
  file: string;
  /** The process the rows see (a template's has INSTANCE markers). */
  p: Process;
  /** Concrete processes of this file. */
  procs: Process[];
  /** Every process and unit of the program. */
  programUnits: string[];
  programProcs: Process[];
  namespec: string;
  partOf: string;
  socketFile: string | null;
  writesSocket: boolean;
  units: string[];
  groupPriority: number;
  priority: number;
}

function layoutProgram(
  g: Group,
  info: ProgramInfo,
  procs: Process[],
  o: SystemdOptions,
  partOf: string,
): { f: ProgramFindings; files: Skeleton[] } {
  const first = procs[0]!;
  const f = new ProgramFindings(
    info,
    first,
    procs.length === 1 ? namespec(g.name, first.name) : groupSpec(g.name),
  );
  if (procs.some((p) => p.argv.length === 0)) {
    f.add(
      'command',
      'NONE',
      'supervisor cannot split this command (shlex: no closing quotation; note that " ;" starts a comment even inside quotes), so it never starts; no unit is written',
    );
    return { f, files: [] };
  }
  refuseNul(f, procs);
  const base = unitBase(o.project, info.name);
  const socketFile = socketAddress(g) !== null ? `${base}.socket` : null;
  const common = { g, f, partOf, socketFile, groupPriority: g.priority };
  const skeleton = (
    layout: Layout,
    file: string,
    p: Process,
    mine: Process[],
    units: string[],
    programUnits: string[],
    writesSocket: boolean,
  ): Skeleton => ({
    ...common,
    layout,
    file,
    p,
    procs: mine,
    units,
    programUnits,
    programProcs: procs,
    namespec: layout === 'template' ? groupSpec(g.name) : namespec(g.name, p.name),
    writesSocket,
    priority: first.priority,
  });
  if (procs.length === 1) {
    const file = `${base}.service`;
    return { f, files: [skeleton('single', file, first, procs, [file], [file], true)] };
  }
  const inst = procs.map((p) => p.instance);
  const safe =
    new Set(inst).size === inst.length && inst.every((s) => s !== '' && unitNameComponent(s) === s);
  const tpl = safe ? templated(procs, o.inlineEnv) : null;
  // escaped: an instance string that is not a valid name still names a valid unit
  const units = inst.map((s) => `${base}@${unitNameComponent(s)}.service`);
  if (tpl !== null) {
    return { f, files: [skeleton('template', `${base}@.service`, tpl, procs, units, units, true)] };
  }
  const files = procs.map((p, i) =>
    skeleton('instances', units[i]!, p, [p], [units[i]!], units, i === 0),
  );
  return { f, files };
}

/**
 * A NUL in a value: no process can be given one (supervisor fails at spawn,
 * "embedded null byte"), and inside supctl NUL marks a template's instance
 * (escape.ts INSTANCE), so it is refused here, naming the key.
 */
function refuseNul(f: ProgramFindings, procs: Process[]): void {
  const has = (v: string | null | undefined) => v != null && v.includes('\u0000');
  for (const p of procs) {
    const bad: [string, boolean][] = [
      ['command', p.argv.some(has)],
      ['process_name', has(p.name)],
      ['directory', has(p.directory)],
      ['user', has(p.user)],
      ['stdout_logfile', has(p.stdout_logfile)],
      ['stderr_logfile', has(p.stderr_logfile)],
      ['environment', Object.entries(p.environment ?? {}).some(([k, v]) => has(k) || has(v))],
    ];
    for (const [key, yes] of bad) {
      if (yes) {
        throw new UnitSyntaxError(
          `${formatOrigin(f.origin(key))}: holds a NUL character, which no process can be given (supervisor fails at spawn)`,
        );
      }
    }
  }
}

/**
 * systemd.special(7) targets a project name could become (names with `-`
 * cannot: the project part escapes it). The manager-side check in
 * control/systemd/ownership.ts also refuses any other unit that exists.
 */
const SPECIAL_TARGETS = new Set(
  'basic bluetooth cryptsetup default emergency exit final getty graphical halt hibernate initrd kexec machines network paths poweroff printer reboot rescue shutdown sigpwr sleep slices smartcard sockets sound suspend swap sysinit timers tpm2 umount'
    .split(' ')
    .map((n) => `${n}.target`),
);

export function planSystemd(d: Deployment, o: SystemdOptions): SystemdPlan {
  const projectTarget = unitName(o.project, null, '.target');
  if (SPECIAL_TARGETS.has(projectTarget)) {
    throw new UnitSyntaxError(
      `project ${o.project} would write ${projectTarget}, one of systemd's own units (systemd.special(7)): choose another --name`,
    );
  }
  const findings: Finding[] = [];
  const programFindings: ProgramFindings[] = [];
  const skeletons: Skeleton[] = [];
  const groupTargets: TargetPlan[] = [];
  for (const g of d.groups) {
    const target = isGroupSection(g) ? unitName(o.project, g.name, '.target') : null;
    for (const info of g.programs) {
      const procs = g.processes.filter((p) => p.program === info.name);
      if (procs.length === 0) continue;
      const laid = layoutProgram(g, info, procs, o, target ?? projectTarget);
      programFindings.push(laid.f);
      skeletons.push(...laid.files);
    }
    if (target === null) continue;
    groupTargets.push({ file: target, group: g.name, wants: [] });
    for (const key of GROUP_KEYS) {
      const out = GROUP_RULES[key].apply({ g, target });
      if (out === undefined) continue;
      findings.push({
        fidelity: out.fidelity,
        key,
        message: out.message,
        origin: { ...g.origin, key },
        program: groupSpec(g.name),
      });
    }
  }

  const after = afterLists(skeletons);
  const isExecutable = o.isExecutable ?? isExecutableOnDisk;
  const services = skeletons.map((s, i): ServicePlan => {
    const ordered = after[i]!.length > 0 || after.some((a) => s.units.some((u) => a.includes(u)));
    const c: ServiceContext = {
      d,
      g: s.g,
      p: s.p,
      scope: o.scope,
      inlineEnv: o.inlineEnv,
      autoLogDir: o.autoLogDir,
      isExecutable,
      written: (key) => s.f.written(key),
      layout: s.layout,
      file: s.file,
      units: s.programUnits,
      instances: s.programProcs.map((p) => p.instance),
      partOf: s.partOf,
      ordered,
      socketFile: s.socketFile,
      unit: [],
      service: [],
      socket: s.socketFile !== null && s.writesSocket ? [] : null,
    };
    applyKeyTable(c, s.f);
    const processes = s.procs.map((p, k) => plannedProcess(d, s.g, p, s.units[k]!, o));
    return {
      file: s.file,
      group: s.g.name,
      namespec: s.namespec,
      partOf: s.partOf,
      autostart: s.programProcs[0]!.autostart,
      processes,
      after: after[i]!,
      unit: c.unit,
      service: c.service,
      envFiles: o.inlineEnv
        ? []
        : s.procs.map((p, k) => ({
            path: `${s.units[k]!}.d/${ENV_FILE_NAME}`,
            env: processEnvironment(p, s.g.name).env,
          })),
      takesSocket: s.socketFile,
      socket:
        c.socket !== null && s.socketFile !== null
          ? { file: s.socketFile, directives: c.socket }
          : null,
    };
  });

  for (const t of groupTargets) {
    t.wants = services.filter((s) => s.group === t.group && s.autostart).flatMap(members);
  }
  const projectWants = [
    ...groupTargets.map((t) => t.file),
    ...services.filter((s) => s.partOf === projectTarget && s.autostart).flatMap(members),
  ];

  distinctUnits(projectTarget, groupTargets, services);
  for (const f of programFindings) findings.push(...f.list);
  for (const key of SUPERVISORD_KEYS) {
    const out = SUPERVISORD_RULES[key].apply(d);
    if (out !== undefined) findings.push(supervisordFinding(d, key, out));
  }
  const rotate = skeletons.flatMap((s) => s.procs.flatMap((p) => rotateEntries(d, p)));
  return {
    scope: o.scope,
    configName: basename(d.configFile),
    projectTarget: { file: projectTarget, group: null, wants: projectWants },
    groupTargets,
    services,
    logrotate:
      o.logrotate && rotate.length > 0
        ? { file: `${projectComponent(o.project)}.logrotate`, entries: rotate }
        : null,
    findings,
  };
}

/**
 * Refuses a plan in which two things would share one unit name (two
 * instance strings that escape alike, a cut name meeting its hash): one
 * would overwrite the other.
 */
function distinctUnits(projectTarget: string, targets: TargetPlan[], services: ServicePlan[]) {
  const owner = new Map<string, string>([[projectTarget, 'the project']]);
  const claim = (unit: string, who: string) => {
    const had = owner.get(unit);
    if (had !== undefined && had !== who) {
      throw new UnitSyntaxError(`${had} and ${who} would both be the unit ${unit}`);
    }
    owner.set(unit, who);
  };
  for (const t of targets) claim(t.file, `[group:${t.group ?? ''}]`);
  for (const s of services) {
    for (const p of s.processes) claim(p.unit, p.namespec);
    if (s.socket) claim(s.socket.file, `${s.namespec} (socket)`);
  }
}

/** The units a target pulls in for one service file: its units, then its socket. */
function members(s: ServicePlan): string[] {
  return [...s.processes.map((p) => p.unit), ...(s.socket ? [s.socket.file] : [])];
}

function plannedProcess(
  d: Deployment,
  g: Group,
  p: Process,
  unit: string,
  o: SystemdOptions,
): PlannedProcess {
  const target = (s: 'stdout' | 'stderr') => routeTarget(logRoute(d, p, s, o.autoLogDir), s, unit);
  return {
    group: g.name,
    name: p.name,
    namespec: namespec(g.name, p.name),
    unit,
    startsecs: p.startsecs,
    autostart: p.autostart,
    priority: p.priority,
    stdout: target('stdout'),
    stderr: target('stderr'),
  };
}
