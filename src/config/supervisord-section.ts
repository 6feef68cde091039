/**
 * [supervisord]: every key ServerOptions.read_config converts, in its order,
 * so a config is accepted or rejected exactly as supervisor does. Checks that
 * depend on this machine (directories exist, the user exists) are not made.
 */
import type { SupervisordSettings } from '../model/deployment.ts';
import type { Origin } from '../model/origin.ts';
import { boolean, byteSize, integer, loggingLevel, octalType } from './datatypes.ts';
import { convert, SectionReader, type ConfigSource } from './config-source.ts';
import { expand } from './expansions.ts';
import type { IniSection } from './ini.ts';
import { pyExpanduser } from './pypath.ts';
import { parseKeyValuePairEntries } from './shlex.ts';

interface SupervisordResult {
  settings: SupervisordSettings;
  /** The parsed `environment=` as ordered entries (merged under every program's). */
  environment: Array<[string, string]>;
}

/** Reads [supervisord]; extends `src.environ` with ENV_X for its `environment` entries. */
export function readSupervisordSection(src: ConfigSource, section: IniSection): SupervisordResult {
  const r = new SectionReader(src, section);
  const local = { here: src.here };
  const origins: Partial<Record<string, Origin>> = {};
  const get = (key: string): string | undefined => {
    const v = r.get(key, local);
    if (v !== undefined) origins[key] = r.origin(key);
    return v;
  };
  const conv = <T>(key: string, fn: (s: string) => T, dflt: T): T => {
    const v = get(key);
    return v === undefined ? dflt : convert(fn, v, r.origin(key));
  };
  const path = (key: string, dflt: string | null): string | null => {
    const v = get(key);
    return v === undefined ? dflt : pyExpanduser(v, src.env);
  };

  const minfds = conv('minfds', integer, 1024);
  const minprocs = conv('minprocs', integer, 200);
  const directory = path('directory', null);
  const user = get('user') ?? null;
  const umask = conv('umask', octalType, 0o22);
  const logfile = path('logfile', 'supervisord.log') ?? 'supervisord.log';
  const logfileMaxbytes = conv('logfile_maxbytes', byteSize, 50 * 1024 * 1024);
  const logfileBackups = conv('logfile_backups', integer, 10);
  const loglevelRaw = get('loglevel');
  if (loglevelRaw !== undefined) convert(loggingLevel, loglevelRaw, r.origin('loglevel'));
  const loglevel = loglevelRaw === undefined ? 'info' : loglevelRaw.toLowerCase();
  const pidfile = path('pidfile', 'supervisord.pid') ?? 'supervisord.pid';
  const identifier = get('identifier') ?? 'supervisor';
  const nodaemon = conv('nodaemon', boolean, false);
  const silent = conv('silent', boolean, false);
  const childlogdir = path('childlogdir', null);
  const nocleanup = conv('nocleanup', boolean, false);
  const stripAnsi = conv('strip_ansi', boolean, false);

  // 4.2.5 expands `environment` twice: saneget, then expand() with host_node_name.
  const once = get('environment') ?? '';
  const twice = [{ here: src.here, host_node_name: src.hostNodeName }, src.environ];
  const where = r.origin('environment');
  const environStr = expand(once, twice, 'environment', where);
  const environment = convert(parseKeyValuePairEntries, environStr, where);
  for (const [k, v] of environment) src.environ[`ENV_${k}`] = v;

  const settings: SupervisordSettings = {
    environment: r.has('environment') ? Object.fromEntries(environment) : null,
    umask,
    minfds,
    minprocs,
    identifier,
    directory,
    user,
    nodaemon,
    logfile,
    logfile_maxbytes: logfileMaxbytes,
    logfile_backups: logfileBackups,
    loglevel,
    pidfile,
    childlogdir,
    nocleanup,
    strip_ansi: stripAnsi,
    silent,
    origins,
  };
  return { settings, environment };
}
