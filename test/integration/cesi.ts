/**
 * What Cesi does with a supervisord, as a Python xmlrpc.client script:
 * system.listMethods, getAllProcessInfo with all 13 keys as ints where
 * supervisor sends ints, tailProcessStdoutLog(name, 0, 500), stop and start.
 * Run against `supctl serve` (user u, password p) over any backend.
 */
import { spawnSync } from 'node:child_process';

export interface CesiOptions {
  /** Every process name getAllProcessInfo must list, sorted. */
  names?: string[];
  /** Every process must be RUNNING. */
  allRunning?: boolean;
  /** Also tail web's stderr. */
  stderr?: boolean;
}

/** Runs the script against `base` (http://HOST:PORT); its stdout is `ok` when every check held. */
export function cesi(base: string, o: CesiOptions = {}): { stdout: string; stderr: string } {
  const script = [
    'import sys, xmlrpc.client',
    "s = xmlrpc.client.ServerProxy(sys.argv[1].replace('http://', 'http://u:p@') + '/RPC2')",
    "assert 'supervisor.getAllProcessInfo' in s.system.listMethods()",
    "keys = {'name','group','description','start','stop','now','state','statename','spawnerr','exitstatus','logfile','stdout_logfile','stderr_logfile','pid'}",
    'infos = s.supervisor.getAllProcessInfo()',
    ...(o.names
      ? [`assert sorted(p['name'] for p in infos) == ${JSON.stringify(o.names)}, infos`]
      : []),
    'for p in infos:',
    '    assert keys <= set(p), p',
    "    for k in ('start','stop','now','state','exitstatus','pid'): assert type(p[k]) is int, k",
    ...(o.allRunning ? ["    assert p['statename'] == 'RUNNING' and p['state'] == 20, p"] : []),
    "assert 'web-out' in s.supervisor.tailProcessStdoutLog('web', 0, 500)[0]",
    ...(o.stderr
      ? ["assert 'web-err' in s.supervisor.tailProcessStderrLog('web', 0, 500)[0]"]
      : []),
    "assert s.supervisor.stopProcess('web') is True",
    "assert s.supervisor.getProcessInfo('web')['statename'] == 'STOPPED'",
    "assert s.supervisor.startProcess('web') is True",
    "assert s.supervisor.getProcessInfo('web')['statename'] == 'RUNNING'",
    "print('ok')",
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, base], { encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}
