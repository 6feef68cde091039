/**
 * supervisor's `processes_from_section`: one [program:x] / [fcgi-program:x] /
 * [eventlistener:x] section → its processes, with exactly the expansions
 * each key gets (keys read before the per-process loop see here,
 * program_name, group_name, host_node_name and ENV_X; keys inside the loop
 * also process_num, numprocs and ENV_X of the program's own environment).
 */
import type { ProgramKind, ProgramInfo } from '../model/group.ts';
import type { Origin } from '../model/origin.ts';
import type { AutoRestart, Process } from '../model/process.ts';
import {
  autoRestart,
  boolean,
  byteSize,
  integer,
  listOfExitcodes,
  octalType,
  processOrGroupName,
  signalNumber,
} from './memoized-datatypes.ts';
import {
  convert,
  convertError,
  optionNames,
  sectionOrigin,
  SectionReader,
  valueError,
  type ConfigSource,
} from './config-source.ts';
import { expandError, expandRaw, type Layers, type Mapping } from './expansions.ts';
import { fieldOrigins } from './field-origins.ts';
import { readHealth } from './health-keys.ts';
import type { IniSection } from './ini.ts';
import { instanceSpec } from './instance-spec.ts';
import { readLogChannel, type LoopLayers } from './log-channel.ts';
import { setOwn } from './own-property.ts';
import { pyFormat } from './pyformat.ts';
import { pyStrip } from './pyprim.ts';
import { pyCompare } from './pystr.ts';
import { parseKeyValuePairEntries, shlexSplit, ShlexError } from './shlex.ts';

/**
 * supctl's own bound: supervisor accepts any numprocs, but every process is
 * built here and becomes a unit or container; a typo like 100000 would
 * exhaust memory instead of failing.
 */
const NUMPROCS_LIMIT = 1000;

/** The section name after its `type:` prefix. */
export function nameAfterPrefix(section: IniSection): string {
  return section.name.slice(section.name.indexOf(':') + 1);
}

interface ProgramBuild {
  processes: Process[];
  info: ProgramInfo;
}

export interface ProgramContext {
  src: ConfigSource;
  /** [supervisord] environment entries: every process's environment is merged over them. */
  supervisordEnv: ReadonlyArray<[string, string]>;
  /** Origin of [supervisord] environment, when written (merged into every process). */
  supervisordEnvOrigin?: Origin | undefined;
}

/** Builds the processes of one program section, in supervisor's order (priority, then name). */
export function processesFromSection(
  ctx: ProgramContext,
  section: IniSection,
  groupName: string,
  kind: ProgramKind,
): ProgramBuild {
  const { src } = ctx;
  const r = new SectionReader(src, section);
  const programName = convert(processOrGroupName, nameAfterPrefix(section), () =>
    sectionOrigin(section),
  );
  // supervisor mutates this one dict inside the loop; so do we.
  const common: Mapping = {
    here: src.here,
    program_name: programName,
    host_node_name: src.hostNodeName,
    group_name: groupName,
  };
  const pre: Layers = [src.environ, common];
  const conv = <T>(key: string, fn: (s: string) => T, dflt: T): T => {
    const v = r.getWith(key, pre);
    if (v === undefined) return dflt;
    try {
      return fn(v);
    } catch (err) {
      throw convertError(err, r.origin(key));
    }
  };

  const priority = conv('priority', integer, 999);
  const autostart = conv('autostart', boolean, true);
  const autorestart: AutoRestart = conv('autorestart', autoRestart, 'unexpected');
  const startsecs = conv('startsecs', integer, 1);
  const startretries = conv('startretries', integer, 3);
  const stopsignal = conv('stopsignal', signalNumber, { num: 15, name: 'TERM' }).name;
  const stopwaitsecs = conv('stopwaitsecs', integer, 10);
  const stopasgroup = conv('stopasgroup', boolean, false);
  const killasgroup = conv('killasgroup', boolean, stopasgroup);
  const exitcodes = conv('exitcodes', listOfExitcodes, [0]);
  const redirectStderr = conv('redirect_stderr', boolean, false);
  const numprocs = conv('numprocs', integer, 1);
  if (numprocs > NUMPROCS_LIMIT) {
    throw valueError(
      `numprocs=${numprocs} is more than supctl's limit of ${NUMPROCS_LIMIT} processes per program (supervisor itself sets none)`,
      r.origin('numprocs'),
    );
  }
  const numprocsStart = conv('numprocs_start', integer, 0);
  const environmentStr = r.raw('environment') ?? '';
  const stdoutCapture = conv('stdout_capture_maxbytes', byteSize, 0);
  const stdoutEvents = conv('stdout_events_enabled', boolean, false);
  const stderrCapture = conv('stderr_capture_maxbytes', byteSize, 0);
  const stderrEvents = conv('stderr_events_enabled', boolean, false);
  let serverurl = r.getWith('serverurl', pre) ?? null;
  if (serverurl && pyStrip(serverurl).toUpperCase() === 'AUTO') serverurl = null;
  const user = r.getWith('user', pre) ?? null;
  const umaskRaw = r.getWith('umask', pre);
  const umask =
    umaskRaw === undefined ? null : convert(octalType, umaskRaw, () => r.origin('umask'));
  const processName = convert(processOrGroupName, r.raw('process_name') ?? '%(program_name)s', () =>
    r.origin('process_name'),
  );
  if (numprocs > 1 && !processName.includes('%(process_num)')) {
    throw valueError(
      '%(process_num) must be present within process_name when numprocs > 1',
      r.has('process_name') ? r.origin('process_name') : r.origin('numprocs'),
    );
  }
  if (stopasgroup && !killasgroup) {
    throw valueError(
      'Cannot set stopasgroup=true and killasgroup=false',
      r.has('killasgroup') ? r.origin('killasgroup') : r.origin('stopasgroup'),
    );
  }

  const keys = optionNames(src, section);
  const origins = fieldOrigins(r, keys, ctx.supervisordEnvOrigin);
  const processes: Process[] = [];
  // supervisor's loop dict holds, in this order: the names above, process_num and
  // numprocs, os.environ's ENV_X, then ENV_X of the program's environment (of this
  // process, and of earlier ones where os.environ has no such name). saneget puts
  // os.environ's ENV_X first. Layers are in dict order; a later layer wins.
  const earlierEnv: Mapping = {};
  let ownEnv: Mapping = {};
  const envLayers: Layers = [common, src.environ, earlierEnv];
  // supervisor's dict order (for expand()) and saneget's (os.environ's ENV_X first).
  const dict: LoopLayers = {
    dict: [common, src.environ, earlierEnv, ownEnv],
    sane: [src.environ, common, earlierEnv, ownEnv],
  };
  let prevEnvText: string | undefined;
  let prevEnv: ReadonlyArray<[string, string]> = [];
  let prevCommand: string | undefined;
  let prevArgv: string[] = [];
  for (let processNum = numprocsStart; processNum < numprocs + numprocsStart; processNum++) {
    common['process_num'] = processNum;
    common['numprocs'] = numprocs;

    let environment: ReadonlyArray<[string, string]>;
    try {
      // Every process of a numprocs program usually has the same text: parse it once.
      r.noteEnvironment('environment', environmentStr);
      const text = expandRaw(environmentStr, envLayers);
      if (text !== prevEnvText) {
        prevEnv = parseKeyValuePairEntries(text);
        prevEnvText = text;
      }
      environment = prevEnv;
    } catch (err) {
      const where = r.origin('environment');
      throw convertError(expandError(err, environmentStr, envLayers, 'environment', where), where);
    }
    ownEnv = {};
    for (const [k, v] of environment) ownEnv[`ENV_${k}`] = v;
    dict.dict[3] = ownEnv;
    dict.sane[3] = ownEnv;

    const directory = r.getWith('directory', dict.sane) ?? null;
    const logs = {
      stdout: readLogChannel(ctx.src, r, dict, 'stdout'),
      stderr: readLogChannel(ctx.src, r, dict, 'stderr'),
    };
    if (redirectStderr) {
      if (logs.stderr.logfile !== 'AUTO' && logs.stderr.logfile !== null) {
        src.warnings.push({
          message:
            `For [${section.name}], redirect_stderr=true but stderr_logfile has also been set ` +
            'to a filename, the filename has been ignored',
          origin: r.origin('stderr_logfile'),
        });
      }
      logs.stderr.logfile = null;
    }
    const command = r.getWith('command', dict.sane);
    if (command === undefined) {
      throw valueError(
        `program section ${section.name} does not specify a command`,
        sectionOrigin(section),
      );
    }
    let name: string;
    try {
      name = expandRaw(processName, dict.dict);
    } catch (err) {
      throw expandError(err, processName, dict.dict, 'process_name', r.origin('process_name'));
    }

    let argv: string[] = [];
    let argvError: string | undefined;
    try {
      if (command !== prevCommand) {
        prevArgv = shlexSplit(command);
        prevCommand = command;
      }
      argv = prevArgv.slice();
    } catch (err) {
      if (!(err instanceof ShlexError)) throw err;
      argvError = err.message;
    }

    const process: Process = {
      name,
      command,
      argv,
      directory,
      umask,
      priority,
      autostart,
      autorestart,
      exitcodes,
      startsecs,
      startretries,
      stopwaitsecs,
      stopsignal,
      stopasgroup,
      killasgroup,
      user,
      redirect_stderr: redirectStderr,
      stdout_logfile: logs.stdout.logfile,
      stderr_logfile: logs.stderr.logfile,
      stdout_logfile_maxbytes: logs.stdout.maxbytes,
      stderr_logfile_maxbytes: logs.stderr.maxbytes,
      stdout_logfile_backups: logs.stdout.backups,
      stderr_logfile_backups: logs.stderr.backups,
      stdout_capture_maxbytes: stdoutCapture,
      stderr_capture_maxbytes: stderrCapture,
      stdout_events_enabled: stdoutEvents,
      stderr_events_enabled: stderrEvents,
      stdout_syslog: logs.stdout.syslog,
      stderr_syslog: logs.stderr.syslog,
      environment: envObject(ctx.supervisordEnv, environment),
      serverurl,
      program: programName,
      processNum,
      instance: processNum.toString(),
      origins,
    };
    if (argvError !== undefined) process.argvError = argvError;
    const health = readHealth(r, dict.sane);
    if (health !== undefined) process.health = health;
    if (r.environUsed.size > 0) {
      process.environExpanded = Object.fromEntries(
        [...r.environUsed].map(([k, xs]) => [k, [...xs].sort()]),
      );
    }
    processes.push(process);
    if (processNum + 1 < numprocs + numprocsStart) {
      for (const k of Object.keys(ownEnv)) {
        if (!Object.hasOwn(src.environ, k)) earlierEnv[k] = ownEnv[k] as string;
      }
    }
  }
  // ProcessConfig sorts by (priority, name); every process of a section has the same priority.
  processes.sort((a, b) => pyCompare(a.name, b.name));

  const spec = instanceSpec([r.raw('process_name'), r.raw('command')]);
  if (spec !== null) {
    for (const p of processes) p.instance = pyFormat(spec, { process_num: p.processNum });
  }
  const info: ProgramInfo = {
    name: programName,
    kind,
    numprocs,
    numprocs_start: numprocsStart,
    written: [...keys],
    origin: sectionOrigin(section),
  };
  return { processes, info };
}

/** supervisor's `env = supervisord_env.copy(); env.update(program_env)` (read_config). */
function envObject(
  base: ReadonlyArray<[string, string]>,
  own: ReadonlyArray<[string, string]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of base) setOwn(out, k, v);
  for (const [k, v] of own) setOwn(out, k, v);
  return out;
}
