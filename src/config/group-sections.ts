/**
 * supervisor's `process_groups_from_parser`: [group:x] sections first (their
 * member programs leave their own groups), then [program:x],
 * [eventlistener:x] and [fcgi-program:x] sections, each in file order. The
 * group-level keys (priority, events, socket, ...) are read before the
 * processes and see only `here` and ENV_X, as in supervisor.
 */
import type { Group } from '../model/group.ts';
import {
  boolean,
  integer,
  listOfStrings,
  octalType,
  processOrGroupName,
} from './memoized-datatypes.ts';
import { DatatypeError, fcgiSocket, type SocketSpec } from './datatypes.ts';
import {
  convert,
  sectionOrigin,
  SectionReader,
  valueError,
  type ConfigSource,
} from './config-source.ts';
import { entryPointSyntaxError } from './entry-point.ts';
import { ConfigError } from './errors.ts';
import { EVENT_TYPES } from './event-types.ts';
import type { IniSection } from './ini.ts';
import { nameAfterPrefix, processesFromSection, type ProgramContext } from './program-section.ts';
import { pyCompare } from './pystr.ts';

function groupLevel(src: ConfigSource, section: IniSection) {
  const r = new SectionReader(src, section);
  const local = { here: src.here };
  const get = (key: string): string | undefined => r.get(key, local);
  const int = (key: string, dflt: number): number => {
    const v = get(key);
    return v === undefined ? dflt : convert(integer, v, () => r.origin(key));
  };
  return { r, get, int };
}

/** [group:x]: heterogeneous groups. Returns the sections they consume. */
function heterogeneousGroups(ctx: ProgramContext, groups: Group[]): Set<string> {
  const { src } = ctx;
  const exclude = new Set<string>();
  for (const section of src.sections.values()) {
    if (!section.name.startsWith('group:')) continue;
    const groupName = convert(processOrGroupName, nameAfterPrefix(section), () =>
      sectionOrigin(section),
    );
    const { r, get, int } = groupLevel(src, section);
    const programsRaw = get('programs');
    const programs =
      programsRaw === undefined ? [] : convert(listOfStrings, programsRaw, r.origin('programs'));
    const priority = int('priority', 999);
    const group: Group = {
      name: groupName,
      kind: 'program',
      priority,
      processes: [],
      programs: [],
      origin: sectionOrigin(section),
    };
    // supervisor reuses its loop variable: later messages name the previous member's section.
    let shown = section.name;
    for (const program of programs) {
      const programSection = src.sections.get(`program:${program}`);
      const fcgiSection = src.sections.get(`fcgi-program:${program}`);
      if (programSection === undefined && fcgiSection === undefined) {
        throw valueError(
          `[${shown}] names unknown program or fcgi-program ${program}`,
          r.origin('programs'),
        );
      }
      if (programSection !== undefined && fcgiSection !== undefined) {
        throw valueError(
          `[${shown}] name ${program} is ambiguous (exists as program and fcgi-program)`,
          r.origin('programs'),
        );
      }
      const member = (programSection ?? fcgiSection) as IniSection;
      shown = member.name;
      exclude.add(member.name);
      // A listed fcgi-program is built as a plain ProcessConfig: no socket.
      const built = processesFromSection(ctx, member, groupName, 'program');
      group.processes.push(...built.processes);
      group.programs.push(built.info);
    }
    groups.push(group);
  }
  return exclude;
}

function programGroups(ctx: ProgramContext, exclude: Set<string>, groups: Group[]): void {
  for (const section of ctx.src.sections.values()) {
    if (!section.name.startsWith('program:') || exclude.has(section.name)) continue;
    const name = convert(processOrGroupName, nameAfterPrefix(section), () =>
      sectionOrigin(section),
    );
    const { int } = groupLevel(ctx.src, section);
    const priority = int('priority', 999);
    const built = processesFromSection(ctx, section, name, 'program');
    groups.push({
      name,
      kind: 'program',
      priority,
      processes: built.processes,
      programs: [built.info],
      origin: sectionOrigin(section),
    });
  }
}

const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';

function eventListenerGroups(ctx: ProgramContext, groups: Group[]): void {
  for (const section of ctx.src.sections.values()) {
    if (!section.name.startsWith('eventlistener:')) continue;
    // The pool name is not validated nor stripped (the process names are).
    const poolName = nameAfterPrefix(section);
    const { r, get, int } = groupLevel(ctx.src, section);
    const priority = int('priority', -1);
    const bufferSize = int('buffer_size', 10);
    if (bufferSize < 1) {
      throw valueError(
        `[${section.name}] section sets invalid buffer_size (${bufferSize})`,
        r.origin('buffer_size'),
      );
    }
    // Importing the handler depends on the machine's Python; its syntax is checked.
    const resultHandler = get('result_handler') ?? DEFAULT_RESULT_HANDLER;
    const syntax = entryPointSyntaxError(resultHandler);
    if (syntax !== null) throw valueError(syntax, r.origin('result_handler'));
    const eventsRaw = get('events') ?? '';
    const names = new Set(
      convert(listOfStrings, eventsRaw, r.origin('events')).map((x) => x.toUpperCase()),
    );
    if (names.size === 0) {
      throw new ConfigError(
        'E_MISSING',
        `[${section.name}] section requires an "events" line`,
        r.origin('events'),
      );
    }
    for (const name of names) {
      if (!EVENT_TYPES.has(name)) {
        throw valueError(
          `Unknown event type ${name} in [${section.name}] events`,
          r.origin('events'),
        );
      }
    }
    const redirectRaw = get('redirect_stderr');
    if (redirectRaw !== undefined && convert(boolean, redirectRaw, r.origin('redirect_stderr'))) {
      throw valueError(
        `[${section.name}] section sets redirect_stderr=true but this is not allowed because it ` +
          'will interfere with the eventlistener protocol',
        r.origin('redirect_stderr'),
      );
    }
    const built = processesFromSection(ctx, section, poolName, 'eventlistener');
    groups.push({
      name: poolName,
      kind: 'eventlistener',
      priority,
      processes: built.processes,
      programs: [built.info],
      events: [...names].sort(pyCompare),
      buffer_size: bufferSize,
      result_handler: resultHandler,
      origin: sectionOrigin(section),
    });
  }
}

function fcgiGroups(ctx: ProgramContext, exclude: Set<string>, groups: Group[]): void {
  const { src } = ctx;
  for (const section of src.sections.values()) {
    if (!section.name.startsWith('fcgi-program:') || exclude.has(section.name)) continue;
    const programName = convert(
      processOrGroupName,
      nameAfterPrefix(section),
      sectionOrigin(section),
    );
    const { r, get, int } = groupLevel(src, section);
    const priority = int('priority', 999);
    get('user'); // expanded here too (its uid lookup depends on the machine)
    const backlogRaw = get('socket_backlog');
    let backlog: number | null = null;
    if (backlogRaw !== undefined) {
      backlog = convert(integer, backlogRaw, r.origin('socket_backlog'));
      if (backlog < 1 || backlog > 65535) {
        throw valueError(`Invalid socket_backlog value ${backlog}`, r.origin('socket_backlog'));
      }
    }
    // socket_owner names a user[:group]; whether they exist depends on the machine.
    const owner = get('socket_owner') ?? null;
    const modeRaw = get('socket_mode');
    let mode: number | null = null;
    if (modeRaw !== undefined) {
      try {
        mode = octalType(modeRaw);
      } catch (err) {
        if (!(err instanceof DatatypeError)) throw err;
        throw valueError(`Invalid socket_mode value ${modeRaw}`, r.origin('socket_mode'));
      }
    }
    const sock = r.get('socket', { program_name: programName, here: src.here });
    if (!sock) {
      throw new ConfigError(
        'E_MISSING',
        `[${section.name}] section requires a "socket" line`,
        r.origin('socket'),
      );
    }
    let socket: SocketSpec;
    try {
      socket = fcgiSocket(sock, { ownerSet: owner !== null, modeSet: mode !== null });
    } catch (err) {
      if (!(err instanceof DatatypeError)) throw err;
      throw valueError(`${err.message} in [${section.name}] socket`, r.origin('socket'));
    }
    const built = processesFromSection(ctx, section, programName, 'fcgi-program');
    groups.push({
      name: programName,
      kind: 'fcgi-program',
      priority,
      processes: built.processes,
      programs: [built.info],
      socket: socket.url,
      // unix only; null = supervisor's default (the process user when it differs from supervisord's).
      socket_owner: socket.kind === 'unix' ? owner : null,
      socket_mode: socket.kind === 'unix' ? (mode ?? 0o700) : null,
      // null = socket.SOMAXCONN (4096 on Linux).
      socket_backlog: backlog,
      origin: sectionOrigin(section),
    });
  }
}

/** All process groups, sorted by name (ties: supervisor's order, priority then creation). */
export function processGroupsFromParser(ctx: ProgramContext): Group[] {
  const groups: Group[] = [];
  const exclude = heterogeneousGroups(ctx, groups);
  programGroups(ctx, exclude, groups);
  eventListenerGroups(ctx, groups);
  fcgiGroups(ctx, exclude, groups);
  groups.sort((a, b) => a.priority - b.priority || pyCompare(a.name, b.name));
  groups.sort((a, b) => pyCompare(a.name, b.name));
  return groups;
}
