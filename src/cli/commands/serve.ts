/**
 * `supctl serve`: opens the backend as the control verbs do, listens where
 * --listen or the config file say, logs one line per request on stderr,
 * and runs until SIGINT/SIGTERM.
 */
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { declaredChecks } from '../../health/checks.ts';
import { HealthRunner } from '../../health/runner.ts';
import { createServeServer } from '../../serve/server.ts';
import {
  DEFAULT_LISTEN,
  listenFromConfig,
  parseListen,
  type ListenAt,
} from '../../serve/listen.ts';
import type { Deployment } from '../../model/deployment.ts';
import type { Backend } from '../../control/types.ts';
import {
  advertPaths,
  removeAdvert,
  stackKey,
  writeAdvert,
  type Advert,
  type StackKey,
} from '../../control/serve-client/advert.ts';
import { str, type Args } from '../options.ts';
import { UsageError } from '../errors.ts';
import { openFor } from './control.ts';
import { loadForCli } from './load.ts';

function listenOn(server: Server, at: ListenAt): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = (): void => {
      server.off('error', reject);
      if (at.kind === 'unix') {
        chmodSync(at.path, at.chmod);
        if (at.chown !== null) chownTo(at.path, at.chown);
        resolve(`unix://${at.path}`);
      } else {
        const a = server.address() as AddressInfo;
        resolve(`http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
      }
    };
    if (at.kind === 'unix') {
      // supervisord removes a stale socket file before it binds
      rmSync(at.path, { force: true });
      server.listen(at.path, ready);
    } else {
      server.listen(at.port, at.host, ready);
    }
  });
}

/** chown USER[:GROUP], with ids resolved by id(1) as the names are the machine's. */
function chownTo(path: string, spec: string): void {
  const [user, group] = spec.split(':');
  const uid = Number(execFileSync('id', ['-u', user!], { encoding: 'utf8' }).trim());
  const gid = Number(
    group === undefined
      ? execFileSync('id', ['-g', user!], { encoding: 'utf8' }).trim()
      : execFileSync('getent', ['group', group], { encoding: 'utf8' }).split(':')[2],
  );
  chownSync(path, uid, gid);
}

/**
 * systemd and Docker are served from the in-memory state store, kept
 * current by their feeds; another backend is asked on every request.
 */
async function servedBackend(
  a: Args,
  open: () => ReturnType<typeof openFor>,
): Promise<{
  backend: Backend;
  unreachable: () => string | null;
  key: StackKey | null;
  name: string;
}> {
  const first = await open();
  const { feedFor } = await import('../../serve/state/feeds.ts');
  const { StateStore } = await import('../../serve/state/store.ts');
  const { storeBackend } = await import('../../serve/state/view.ts');
  const feed = await feedFor(first.r.backend.name, {
    project: first.r.project,
    scope: a.scope,
    env: process.env,
  });
  const name = first.r.backend.name;
  if (feed === null) return { backend: first.backend, unreachable: () => null, key: null, name };
  let opened: Backend | null = first.backend;
  const store = new StateStore({
    // the first open is the one just done; later ones follow a lost bus/daemon
    open: async () => {
      const b = opened ?? (await open()).backend;
      opened = null;
      return b;
    },
    feed,
  });
  await store.start();
  return {
    backend: storeBackend(store),
    unreachable: () => store.unreachable,
    key: stackKey(first.r.backend.name, a.scope, first.r.project),
    name,
  };
}

/** The private socket and its advert, so `supctl status` of this stack asks serve. */
async function advertise(
  key: StackKey,
  backend: Backend,
  unreachable: () => string | null,
  servers: Server[],
): Promise<{ file: string; a: Advert }> {
  const { createPrivateServer } = await import('../../serve/private.ts');
  const { file, socket } = advertPaths(key);
  mkdirSync(dirname(socket), { recursive: true, mode: 0o700 });
  const server = createPrivateServer(backend, unreachable);
  servers.push(server);
  await listenOn(server, {
    kind: 'unix',
    path: socket,
    chmod: 0o600,
    chown: null,
    credentials: null,
  });
  const a = { pid: process.pid, socket };
  writeAdvert(file, a);
  return { file, a };
}

export async function runServe(a: Args): Promise<number> {
  if (a.install === true) return (await import('./serve-install.ts')).runServeInstall(a);
  if (a.remove === true) throw new UsageError('serve --remove needs --install');
  const file = str(a.c) ?? str(a.configuration);
  const load = file === undefined ? undefined : (): Deployment => loadForCli(file, [], undefined);
  const d = load?.();
  const listen = str(a.listen);
  const targets: ListenAt[] = [];
  if (listen !== undefined) targets.push(parseListen(listen, null));
  else if (d !== undefined) targets.push(...listenFromConfig(d));
  if (targets.length === 0) targets.push(parseListen(DEFAULT_LISTEN, null));
  // --listen keeps the file's credentials: the first server's that has them
  const fileCreds =
    d === undefined
      ? null
      : (listenFromConfig(d).find((t) => t.credentials !== null)?.credentials ?? null);
  // serve's -c is where to listen, not a stack: it serves the one backend named
  const open = (): ReturnType<typeof openFor> =>
    openFor(
      { ...a, c: undefined, configuration: undefined },
      d === undefined || file === undefined ? undefined : { file, deployment: d },
    );
  const { backend, unreachable, key, name } = await servedBackend(a, open);
  let advert: { file: string; a: Advert } | null = null;
  const servers: Server[] = [];
  // the checks declared in -c's file, run while their processes are RUNNING
  const checks = d === undefined ? [] : declaredChecks(d);
  const runner = checks.length === 0 ? undefined : new HealthRunner(checks, () => backend.list());
  runner?.start();
  try {
    for (const t of targets) {
      const credentials = t.credentials ?? fileCreds;
      const server = createServeServer({
        backend,
        credentials,
        reload: load,
        backendName: name,
        unreachable,
        log: (line) => void process.stderr.write(`${line}\n`),
        health: runner && ((ns) => runner.state(ns)),
      });
      servers.push(server);
      const where = await listenOn(server, t);
      process.stderr.write(
        `supctl serve: listening on ${where}${credentials !== null ? ' (basic auth)' : ''}\n`,
      );
    }
    if (key !== null) advert = await advertise(key, backend, unreachable, servers);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  } finally {
    runner?.stop();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    for (const t of targets) if (t.kind === 'unix') rmSync(t.path, { force: true });
    if (advert !== null) {
      removeAdvert(advert.file, advert.a);
      rmSync(advert.a.socket, { force: true });
    }
    await backend.close().catch(() => undefined);
  }
}
