/**
 * What integration tests need from the real-runtime harness
 * (test/harness/up.sh writes .tmp/harness/env; scripts/test.sh sources it):
 *
 * - `harness()` — the systemd user manager's bus and unit dir, the docker
 *   socket and test image, the supervisord/python paths. Throws a
 *   HarnessMissingError when the env is absent or stale.
 * - `describeWithHarness(name, fn)` — a suite that FAILS with a clear message
 *   when the harness is missing, or is skipped (visibly) when
 *   SUPCTL_ALLOW_NO_HARNESS=1. Never set that in CI.
 * - `startSupervisord(opts)` — a real supervisord (foreground, own dir, own
 *   unix socket) for one test, stopped by pid with `stop()`.
 * - `xmlrpc(socketPath, method, params)` — a raw XML-RPC call over a unix
 *   socket, enough for tests (the product's client lives in src/control).
 * - `withTimeout(promise, ms, what)` — every D-Bus / Docker call in a test
 *   gets one: a dead bus otherwise hangs the test forever.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

export interface Harness {
  /** .tmp/harness of the checkout that started the harness. */
  dir: string;
  systemd: {
    /** D-Bus address of the manager's session bus, e.g. unix:path=/run/…/bus. */
    busAddress: string;
    /** The manager's XDG_RUNTIME_DIR (also exported to the test process). */
    runtimeDir: string;
    /** Where tests write unit files: the manager's $XDG_CONFIG_HOME/systemd/user. */
    unitDir: string;
    /** pid of the private `systemd --user`. */
    managerPid: number;
  };
  docker: {
    /** DOCKER_HOST as written by up.sh (unix://…). */
    host: string;
    /** The socket path, for `new Docker({ socketPath })`. */
    socketPath: string;
    /** The local busybox test image, e.g. supctl-test/busybox:latest. */
    image: string;
  };
  supervisor: {
    /** Debian's supervisord 4.2.5. */
    supervisord: string;
    /** Debian's python3, which imports the `supervisor` package. */
    python: string;
  };
}

export class HarnessMissingError extends Error {
  override name = 'HarnessMissingError';
}

const HOW_TO =
  'Run the integration tests through `make test` or `bash scripts/test.sh integration` ' +
  '(they start the harness and source .tmp/harness/env), or start it by hand: ' +
  '`bash test/harness/up.sh && set -a && source .tmp/harness/env && set +a`. ' +
  'To skip integration tests on a machine without the runtimes, set SUPCTL_ALLOW_NO_HARNESS=1 (never in CI).';

function need(env: NodeJS.ProcessEnv, key: string): string {
  const v = env[key];
  if (v === undefined || v === '') {
    throw new HarnessMissingError(
      `SUPCTL_HARNESS=1 but ${key} is not set: .tmp/harness/env is incomplete. ${HOW_TO}`,
    );
  }
  return v;
}

/** Reads and checks the harness env. Throws HarnessMissingError with a how-to. */
export function harness(env: NodeJS.ProcessEnv = process.env): Harness {
  if (env['SUPCTL_HARNESS'] !== '1') {
    throw new HarnessMissingError(
      `the real-runtime harness is not set up (SUPCTL_HARNESS is not 1). ${HOW_TO}`,
    );
  }
  const busAddress = need(env, 'DBUS_SESSION_BUS_ADDRESS');
  const busPath = /^unix:path=([^,;]+)/.exec(busAddress)?.[1];
  if (busPath === undefined) {
    throw new HarnessMissingError(
      `DBUS_SESSION_BUS_ADDRESS=${busAddress} is not a unix:path= address`,
    );
  }
  const dockerHost = need(env, 'DOCKER_HOST');
  if (!dockerHost.startsWith('unix://')) {
    throw new HarnessMissingError(`DOCKER_HOST=${dockerHost} is not a unix:// socket`);
  }
  const h: Harness = {
    dir: need(env, 'SUPCTL_HARNESS_DIR'),
    systemd: {
      busAddress,
      runtimeDir: need(env, 'XDG_RUNTIME_DIR'),
      unitDir: need(env, 'SUPCTL_SYSTEMD_UNIT_DIR'),
      managerPid: Number(need(env, 'SUPCTL_SYSTEMD_MANAGER_PID')),
    },
    docker: {
      host: dockerHost,
      socketPath: dockerHost.slice('unix://'.length),
      image: need(env, 'SUPCTL_TEST_IMAGE'),
    },
    supervisor: {
      supervisord: env['SUPCTL_SUPERVISORD'] ?? '/usr/bin/supervisord',
      python: env['SUPCTL_PYTHON'] ?? '/usr/bin/python3',
    },
  };
  for (const [what, p] of [
    ['the session bus socket', busPath],
    ['the docker socket', h.docker.socketPath],
    ['the systemd unit dir', h.systemd.unitDir],
  ] as const) {
    if (!existsSync(p)) {
      throw new HarnessMissingError(
        `${what} ${p} does not exist: the harness is down or stale. ${HOW_TO}`,
      );
    }
  }
  return h;
}

/**
 * A describe() whose body gets the harness. Without a harness the suite fails
 * with HarnessMissingError's message, or, with SUPCTL_ALLOW_NO_HARNESS=1, is
 * reported as skipped.
 */
export function describeWithHarness(name: string, fn: (h: Harness) => void): void {
  let h: Harness;
  try {
    h = harness();
  } catch (e) {
    if (!(e instanceof HarnessMissingError)) throw e;
    const message = e.message;
    if (process.env['SUPCTL_ALLOW_NO_HARNESS'] === '1') {
      void test(name, { skip: `SUPCTL_ALLOW_NO_HARNESS=1: ${message}` }, () => {});
    } else {
      void test(`${name}: real-runtime harness`, () => {
        throw new HarnessMissingError(message);
      });
    }
    return;
  }
  void describe(name, () => fn(h));
}

/** Rejects after `ms` with a message naming `what`; clears its timer either way. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ------------------------------------------------------------- XML-RPC --

export type XmlRpcValue =
  string | number | boolean | null | XmlRpcValue[] | { [k: string]: XmlRpcValue };

export class XmlRpcFault extends Error {
  override name = 'XmlRpcFault';
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
  }
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlUnescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');

function encodeValue(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>';
  if (typeof v === 'string') return `<value><string>${xmlEscape(v)}</string></value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') {
    return Number.isInteger(v)
      ? `<value><int>${v}</int></value>`
      : `<value><double>${v}</double></value>`;
  }
  if (Array.isArray(v))
    return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(v)
    .map(([k, x]) => `<member><name>${xmlEscape(k)}</name>${encodeValue(x)}</member>`)
    .join('');
  return `<value><struct>${members}</struct></value>`;
}

/** A tiny parser for XML-RPC <value> trees (what supervisord sends). */
class ValueParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  private skip(): void {
    while (this.pos < this.s.length && /\s/.test(this.s.charAt(this.pos))) this.pos++;
  }
  private tag(): string {
    this.skip();
    const m = /^<(\/?[a-zA-Z0-9.]+)\s*(\/?)>/.exec(this.s.slice(this.pos));
    if (m === null)
      throw new Error(`XML-RPC: expected a tag at ${this.s.slice(this.pos, this.pos + 40)}`);
    this.pos += m[0].length;
    return `${m[1] ?? ''}${m[2] ?? ''}`;
  }
  private expect(t: string): void {
    const got = this.tag();
    if (got !== t) throw new Error(`XML-RPC: expected <${t}>, got <${got}>`);
  }
  private text(): string {
    const end = this.s.indexOf('<', this.pos);
    const t = this.s.slice(this.pos, end);
    this.pos = end;
    return xmlUnescape(t);
  }
  private peekTag(): string {
    const save = this.pos;
    const t = this.tag();
    this.pos = save;
    return t;
  }
  value(): XmlRpcValue {
    this.expect('value');
    this.skip();
    let v: XmlRpcValue;
    if (this.s.startsWith('</value>', this.pos)) {
      v = '';
    } else if (!this.s.startsWith('<', this.pos)) {
      v = this.text(); // bare text is a string
    } else {
      const t = this.tag();
      switch (t) {
        case 'nil/':
          v = null;
          break;
        case 'string/':
          v = '';
          break;
        case 'string':
        case 'base64':
        case 'dateTime.iso8601':
          v = this.text();
          this.expect(`/${t}`);
          break;
        case 'int':
        case 'i4':
        case 'i8':
        case 'double':
          v = Number(this.text());
          this.expect(`/${t}`);
          break;
        case 'boolean':
          v = this.text().trim() === '1';
          this.expect('/boolean');
          break;
        case 'array': {
          const items: XmlRpcValue[] = [];
          const d = this.tag();
          if (d === 'data') {
            while (this.peekTag() === 'value') items.push(this.value());
            this.expect('/data');
          } else if (d !== 'data/') throw new Error(`XML-RPC: expected <data>, got <${d}>`);
          this.expect('/array');
          v = items;
          break;
        }
        case 'struct': {
          const o: { [k: string]: XmlRpcValue } = {};
          while (this.peekTag() === 'member') {
            this.expect('member');
            this.expect('name');
            const k = this.text();
            this.expect('/name');
            o[k] = this.value();
            this.expect('/member');
          }
          this.expect('/struct');
          v = o;
          break;
        }
        default:
          throw new Error(`XML-RPC: unknown type <${t}>`);
      }
    }
    this.expect('/value');
    return v;
  }
  response(): XmlRpcValue {
    const start = this.s.indexOf('<methodResponse>');
    if (start < 0) throw new Error(`XML-RPC: not a methodResponse: ${this.s.slice(0, 200)}`);
    this.pos = start + '<methodResponse>'.length;
    const t = this.tag();
    if (t === 'fault') {
      const f = this.value();
      const code =
        typeof f === 'object' && f !== null && !Array.isArray(f) ? f['faultCode'] : undefined;
      const str =
        typeof f === 'object' && f !== null && !Array.isArray(f) ? f['faultString'] : undefined;
      throw new XmlRpcFault(
        typeof code === 'number' ? code : -1,
        typeof str === 'string' ? str : JSON.stringify(f),
      );
    }
    if (t !== 'params') throw new Error(`XML-RPC: expected <params>, got <${t}>`);
    this.expect('param');
    return this.value();
  }
}

/** One XML-RPC call over a unix socket (supervisord's [unix_http_server]). */
export function xmlrpc(
  socketPath: string,
  method: string,
  params: readonly XmlRpcValue[] = [],
  timeoutMs = 5_000,
): Promise<XmlRpcValue> {
  const body =
    `<?xml version="1.0"?><methodCall><methodName>${xmlEscape(method)}</methodName><params>` +
    params.map((p) => `<param>${encodeValue(p)}</param>`).join('') +
    '</params></methodCall>';
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        path: '/RPC2',
        method: 'POST',
        headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(
              new Error(`XML-RPC ${method}: HTTP ${res.statusCode ?? '?'}: ${text.slice(0, 200)}`),
            );
            return;
          }
          try {
            resolve(new ValueParser(text).response());
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`XML-RPC ${method}: no answer within ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------- supervisord --

export interface SupervisordOptions {
  /** INI text appended to the generated config: [program:x], [group:g], … */
  sections: string;
  /** Extra keys for the [supervisord] section (e.g. { loglevel: 'debug' }). */
  supervisord?: Record<string, string>;
  /** How long to wait for the daemon to answer getState RUNNING (default 15 s). */
  startTimeoutMs?: number;
}

export interface Supervisord {
  /** Temp dir holding the config, socket, pidfile and logs (removed by stop()). */
  dir: string;
  configPath: string;
  socketPath: string;
  /** supervisord's own log (its stdout/stderr, since it runs with -n). */
  logPath: string;
  pid: number;
  /** An XML-RPC call on this daemon's socket. */
  call(method: string, params?: readonly XmlRpcValue[]): Promise<XmlRpcValue>;
  /** SIGTERM (supervisord stops its programs), bounded wait, then SIGKILL; removes `dir`. */
  stop(timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Direct children of `pid` (by the ppid field of /proc/<n>/stat). */
function childPids(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return kids;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a real supervisord (-n) on a generated config in a fresh temp dir. */
export async function startSupervisord(opts: SupervisordOptions): Promise<Supervisord> {
  const binary = process.env['SUPCTL_SUPERVISORD'] ?? '/usr/bin/supervisord';
  const dir = mkdtempSync(path.join(tmpdir(), 'supctl-supervisord-'));
  const configPath = path.join(dir, 'supervisord.conf');
  const socketPath = path.join(dir, 'supervisor.sock');
  const logPath = path.join(dir, 'supervisord.out');
  const sup: Record<string, string> = {
    logfile: path.join(dir, 'supervisord.log'),
    pidfile: path.join(dir, 'supervisord.pid'),
    childlogdir: dir,
    user: 'root', // we are root; saying so silences supervisord's CRIT warning
    ...opts.supervisord,
  };
  const config = [
    '[unix_http_server]',
    `file=${socketPath}`,
    'chmod=0700',
    '',
    '[supervisord]',
    ...Object.entries(sup).map(([k, v]) => `${k}=${v}`),
    '',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '',
    '[supervisorctl]',
    `serverurl=unix://${socketPath}`,
    '',
    opts.sections,
    '',
  ].join('\n');
  writeFileSync(configPath, config);

  const out = openSync(logPath, 'a');
  const child = spawn(binary, ['-n', '-c', configPath], {
    cwd: dir,
    stdio: ['ignore', out, out],
    env: {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C.UTF-8',
      HOME: dir,
    },
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start ${binary}`);
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort when a test crashes without stop(): never leave a daemon behind.
    process.once('exit', () => {
      for (const c of running) {
        for (const k of c.pid === undefined ? [] : childPids(c.pid)) {
          try {
            process.kill(k, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        c.kill('SIGKILL');
      }
    });
  }

  const call = (method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> =>
    xmlrpc(socketPath, method, params);

  const stop = async (timeoutMs = 15_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const kids = childPids(pid);
      child.kill('SIGTERM');
      const done = await Promise.race([
        exited(child).then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
      ]);
      if (!done) {
        // Its programs are in their own process groups: kill those we saw too.
        for (const k of [...kids, ...childPids(pid)]) {
          try {
            process.kill(k, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        child.kill('SIGKILL');
        await withTimeout(exited(child), 5_000, `supervisord pid ${pid} to die after SIGKILL`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  try {
    const ready = await waitFor(
      `supervisord (pid ${pid}) to answer on ${socketPath}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return 'exited' as const;
        if (!existsSync(socketPath)) return undefined;
        const state = await call('supervisor.getState');
        return typeof state === 'object' &&
          state !== null &&
          !Array.isArray(state) &&
          state['statename'] === 'RUNNING'
          ? ('running' as const)
          : undefined;
      },
      startTimeoutMs,
    );
    if (ready === 'exited') {
      throw new Error(
        `supervisord (pid ${pid}) exited (${child.exitCode ?? child.signalCode}) during startup`,
      );
    }
  } catch (e) {
    let log = '';
    try {
      log = readFileSync(logPath, 'utf8');
    } catch {
      /* none */
    }
    await stop(5_000);
    throw new Error(
      `${e instanceof Error ? e.message : String(e)}\n--- supervisord output ---\n${log}`,
    );
  }
  return { dir, configPath, socketPath, logPath, pid, call, stop };
}

/**
 * The environment bin/supctl needs to reach the harness's user manager in
 * user scope, with its own state (AUTO logs) under `dir`; `extra` adds or
 * overrides (e.g. SUPCTL_NAME).
 */
export function systemdCliEnv(
  h: Harness,
  dir: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: h.systemd.busAddress,
    XDG_RUNTIME_DIR: h.systemd.runtimeDir,
    SUPCTL_SYSTEMD_UNIT_DIR: h.systemd.unitDir,
    XDG_STATE_HOME: path.join(dir, 'state'),
    SUPCTL_SCOPE: 'user',
    ...extra,
  };
}
