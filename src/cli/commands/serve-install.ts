/**
 * `supctl serve --install [--remove]`: runs this serve as a systemd unit of
 * the scope's manager (`PROJECT-supctl-serve.service`), with the same serve
 * options; and the removal `uninstall --name P` does too. With the Docker
 * backend the unit runs serve against dockerd (there is no image with node
 * in it to run serve as a container).
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { backendEntry } from '../../control/backends.ts';
import type { Manager } from '../../control/systemd/manager.ts';
import { str, strs, type Args } from '../options.ts';
import { UsageError } from '../errors.ts';
import { requireProject, resolveGlobals } from './control.ts';
import { loadForCli } from './load.ts';

/** Variables serve reads besides its backend's own: where the buses and its advert are. */
const CARRIED_ENV = [
  'DBUS_SESSION_BUS_ADDRESS',
  'DBUS_SYSTEM_BUS_ADDRESS',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_STATE_HOME',
];

interface Where {
  scope: 'user' | 'system';
  unitDir: string;
}

async function where(a: Args): Promise<Where> {
  const { defaultScope } = await import('../../control/systemd/open.ts');
  const { defaultUnitDir } = await import('../../control/systemd/paths.ts');
  const s = str(a.scope);
  const scope = s === 'user' || s === 'system' ? s : defaultScope(process.env);
  const dir = process.env.SUPCTL_SYSTEMD_UNIT_DIR;
  return { scope, unitDir: dir === undefined || dir === '' ? defaultUnitDir(scope) : dir };
}

async function withManager<T>(w: Where, a: Args, f: (mgr: Manager) => Promise<T>): Promise<T> {
  const { connectBus } = await import('../../control/systemd/bus.ts');
  const { Manager: Mgr } = await import('../../control/systemd/manager.ts');
  const timeoutMs = typeof a.timeout === 'number' ? a.timeout : 10_000;
  const bus = await connectBus({ scope: w.scope, timeoutMs });
  try {
    return await f(new Mgr(bus, timeoutMs * 10));
  } finally {
    bus.close();
  }
}

/**
 * The command line of the installed serve: this node with its flags, the
 * entry script actually running (symlinks resolved: a `supervisorctl` shim
 * would change the dialect), `serve` and the options given, minus --install.
 * `--opt=value` so that a value starting with `-` stays a value.
 */
function serveArgv(a: Args, backend: string, project: string, w: Where): string[] {
  const entry = process.argv[1];
  if (entry === undefined) throw new UsageError('serve --install: cannot tell which supctl runs');
  const argv = [process.execPath, ...process.execArgv, realpathSync(entry), 'serve'];
  const opt = (k: string, v: string): void => void argv.push(`--${k}=${v}`);
  opt('backend', backend);
  opt('name', project);
  if (backend === 'systemd') opt('scope', w.scope);
  const file = str(a.c) ?? str(a.configuration);
  if (file !== undefined) opt('configuration', resolve(file));
  const listen = str(a.listen);
  if (listen !== undefined) opt('listen', listen);
  for (const i of strs(a.image)) opt('image', i);
  if (typeof a.timeout === 'number') opt('timeout', String(a.timeout));
  // the backend's own options (one place declares them: src/control/backends.ts)
  const done = new Set(['scope', 'image']);
  for (const [k, o] of Object.entries(backendEntry(backend)?.options ?? {})) {
    if (done.has(k) || o.fileVerbsOnly === true) continue;
    const v = a[k];
    if (typeof v === 'string' || typeof v === 'number') opt(k, String(v));
    if (v === true) argv.push(`--${k}`);
  }
  return argv;
}

function serveEnv(backend: string): Record<string, string> {
  const names = [...Object.keys(backendEntry(backend)?.env ?? {}), ...CARRIED_ENV];
  const env: Record<string, string> = {};
  for (const n of names) {
    const v = process.env[n];
    if (v !== undefined && v !== '') env[n] = v;
  }
  return env;
}

export async function runServeInstall(a: Args): Promise<number> {
  const file = str(a.c) ?? str(a.configuration);
  const r = resolveGlobals(a, file);
  if (r.backend.name === 'supervisord') {
    throw new UsageError(
      'serve --install: supervisord serves its own XML-RPC ([inet_http_server]/[unix_http_server]); there is no serve to install for --backend supervisord',
    );
  }
  const project = requireProject(r, 'serve --install');
  const w = await where(a);
  const units = await import('../../control/systemd/serve-unit.ts');
  if (a.remove === true) {
    const gone = await withManager(w, a, (mgr) => units.removeServeUnit(mgr, w.unitDir, project));
    process.stderr.write(
      gone === null
        ? `supctl serve: no serve unit installed for project ${project} in ${w.unitDir}\n`
        : `supctl serve: removed ${gone}\n`,
    );
    return 0;
  }
  // a config serve would reject is refused now, not in a restart loop of the unit
  if (file !== undefined) loadForCli(file, [], undefined);
  const spec = {
    project,
    scope: w.scope,
    argv: serveArgv(a, r.backend.name, project, w),
    env: serveEnv(r.backend.name),
  };
  const unit = await withManager(w, a, (mgr) => units.installServeUnit(mgr, w.unitDir, spec));
  process.stderr.write(
    `supctl serve: installed and started ${unit} (${w.scope} manager, ${w.unitDir})\n`,
  );
  return 0;
}

/** `uninstall --name P`: its serve unit goes first (no bus is asked when none is recorded). */
export async function uninstallServeUnit(a: Args, project: string): Promise<void> {
  const w = await where(a);
  const { hasServeUnit, removeServeUnit } = await import('../../control/systemd/serve-unit.ts');
  if (!hasServeUnit(w.unitDir, project)) return;
  const gone = await withManager(w, a, (mgr) => removeServeUnit(mgr, w.unitDir, project));
  if (gone !== null) process.stderr.write(`supctl: removed ${gone}\n`);
}
