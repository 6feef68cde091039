/**
 * loadConfig: a supervisord config → the Deployment supervisord 4.2.5 would
 * run, following ServerOptions.read_config step by step.
 */
import { hostname } from 'node:os';
import type { Deployment } from '../model/deployment.ts';
import { ConfigError } from './errors.ts';
import { environExpansions } from './expansions.ts';
import { processGroupsFromParser } from './group-sections.ts';
import { readConfigFiles } from './include.ts';
import { readRpcInterfaces, readSupervisorctl, serverConfigsFromParser } from './servers.ts';
import { readSupervisordSection } from './supervisord-section.ts';

interface LoadOptions {
  /**
   * Values for template placeholders ({{.name}}, {{ .name }}, __NAME__). When
   * absent or empty, files are read verbatim, exactly as supervisord reads
   * them (a `{{.name}}` left in a file is then reported as a warning).
   */
  values?: Record<string, string>;
  /** supervisord's os.environ (ENV_X expansions); default process.env. */
  env?: Record<string, string | undefined>;
  /** platform.node() (%(host_node_name)s); default os.hostname(). */
  hostNodeName?: string;
}

/** Reads `file` as supervisord does. Throws ConfigError for a config supervisord rejects. */
export function loadConfig(file: string, opts: LoadOptions = {}): Deployment {
  const env = opts.env ?? process.env;
  const src = readConfigFiles(file, {
    values:
      opts.values !== undefined && Object.keys(opts.values).length > 0 ? opts.values : undefined,
    env,
    hostNodeName: opts.hostNodeName ?? hostname(),
    environ: environExpansions(env),
  });
  const supervisordSection = src.sections.get('supervisord');
  if (supervisordSection === undefined) {
    throw new ConfigError('E_MISSING', '.ini file does not include supervisord section', {
      file: src.mainFile,
    });
  }
  const supervisord = readSupervisordSection(src, supervisordSection);
  const rpcinterfaces = readRpcInterfaces(src);
  const groups = processGroupsFromParser({
    src,
    supervisordEnv: supervisord.environment,
    supervisordEnvOrigin: supervisord.settings.origins['environment'],
  });
  const servers = serverConfigsFromParser(src);
  return {
    configFile: src.mainFile,
    fragment: src.fragment,
    files: src.files,
    supervisord: supervisord.settings,
    unixHttpServer: servers.unix[0] ?? null,
    inetHttpServer: servers.inet[0] ?? null,
    supervisorctl: readSupervisorctl(src),
    groups,
    rpcinterfaces,
    warnings: src.warnings,
  };
}
