/**
 * [inet_http_server], [unix_http_server] (server_configs_from_parser),
 * [rpcinterface:x] (get_plugins, without importing the factory) and
 * [supervisorctl] (which supervisord never reads: kept, never rejected).
 */
import type {
  InetHttpServer,
  RpcInterface,
  SupervisorctlSettings,
  UnixHttpServer,
} from '../model/deployment.ts';
import { DatatypeError, inetAddress, octalType } from './datatypes.ts';
import {
  convert,
  optionNames,
  sectionOrigin,
  SectionReader,
  valueError,
  type ConfigSource,
} from './config-source.ts';
import { entryPointSyntaxError } from './entry-point.ts';
import { ConfigError } from './errors.ts';
import type { IniSection } from './ini.ts';
import { pyStrip } from './pyprim.ts';
import { pyNormalizePath } from './pypath.ts';

const FACTORY_KEY = 'supervisor.rpcinterface_factory';

/** get_plugins(parser, 'supervisor.rpcinterface_factory', 'rpcinterface:'). */
export function readRpcInterfaces(src: ConfigSource): RpcInterface[] {
  const out: RpcInterface[] = [];
  for (const section of src.sections.values()) {
    if (!section.name.startsWith('rpcinterface:')) continue;
    const r = new SectionReader(src, section);
    const factory = r.get(FACTORY_KEY);
    if (factory === undefined) {
      throw new ConfigError(
        'E_MISSING',
        `section [${section.name}] does not specify a ${FACTORY_KEY}`,
        sectionOrigin(section),
      );
    }
    // The factory is not imported (that depends on the machine), but its syntax is checked.
    const syntax = entryPointSyntaxError(factory);
    if (syntax !== null) throw valueError(syntax, r.origin(FACTORY_KEY));
    // Every other key is expanded too (and can fail).
    for (const key of optionNames(src, section)) if (key !== FACTORY_KEY) r.get(key);
    out.push({
      name: section.name.slice(section.name.indexOf(':') + 1),
      factory,
      origin: r.origin(FACTORY_KEY),
    });
  }
  return out;
}

function usernameAndPassword(r: SectionReader): {
  username: string | null;
  password: string | null;
} {
  const username = r.get('username') ?? null;
  const password = r.get('password') ?? null;
  if ((username === null) !== (password === null)) {
    throw valueError(
      `Section [${r.name}] contains incomplete authentication: If a username or a password is ` +
        'specified, both the username and password must be specified',
      r.origin(username !== null ? 'username' : 'password'),
    );
  }
  return { username, password };
}

interface ServerConfigs {
  inet: InetHttpServer[];
  unix: UnixHttpServer[];
}

/** server_configs_from_parser: every section whose name starts with inet_http_server / unix_http_server. */
export function serverConfigsFromParser(src: ConfigSource): ServerConfigs {
  const inet: InetHttpServer[] = [];
  const unix: UnixHttpServer[] = [];
  const sections = [...src.sections.values()];
  for (const section of sections) {
    if (section.name.startsWith('inet_http_server')) inet.push(readInet(src, section));
  }
  for (const section of sections) {
    if (section.name.startsWith('unix_http_server')) unix.push(readUnix(src, section));
  }
  return { inet, unix };
}

function readInet(src: ConfigSource, section: IniSection): InetHttpServer {
  const r = new SectionReader(src, section);
  const auth = usernameAndPassword(r);
  const port = r.get('port');
  if (port === undefined) {
    throw new ConfigError(
      'E_MISSING',
      `section [${section.name}] has no port value`,
      sectionOrigin(section),
    );
  }
  convert(inetAddress, port, r.origin('port'));
  return { port, ...auth };
}

function readUnix(src: ConfigSource, section: IniSection): UnixHttpServer {
  const r = new SectionReader(src, section);
  const file = r.get('file', { here: src.here });
  if (file === undefined) {
    throw new ConfigError(
      'E_MISSING',
      `section [${section.name}] has no file value`,
      sectionOrigin(section),
    );
  }
  const path = pyNormalizePath(pyStrip(file), src.env);
  const auth = usernameAndPassword(r);
  // chown names a user[:group]; whether they exist depends on the machine.
  const chown = r.get('chown') ?? null;
  const chmodRaw = r.get('chmod');
  let chmod = 0o700;
  if (chmodRaw !== undefined) {
    try {
      chmod = octalType(chmodRaw);
    } catch (err) {
      if (!(err instanceof DatatypeError)) throw err;
      throw valueError(`Invalid chmod value ${chmodRaw}`, r.origin('chmod'));
    }
  }
  return { file: path, chmod, chown, ...auth };
}

/**
 * [supervisorctl] as supervisorctl reads it from the main file (it processes
 * no [include]). supervisord ignores the section, so nothing here rejects
 * the config: a value that cannot be expanded is kept as written.
 */
export function readSupervisorctl(src: ConfigSource): SupervisorctlSettings | null {
  const section = src.sections.get('supervisorctl');
  if (section === undefined) return null;
  const r = new SectionReader(src, section);
  const value = (key: string, local: Record<string, string> = {}): string | null => {
    const v = section.options.get(key);
    if (v === undefined || v.file !== src.mainFile) return null;
    try {
      return r.get(key, local) ?? null;
    } catch (err) {
      if (err instanceof ConfigError) return v.value;
      throw err;
    }
  };
  let serverurl = value('serverurl', { here: src.here });
  if (serverurl !== null && serverurl.startsWith('unix://')) {
    serverurl = `unix://${pyNormalizePath(serverurl.slice(7), src.env)}`;
  }
  return { serverurl, username: value('username'), password: value('password') };
}
