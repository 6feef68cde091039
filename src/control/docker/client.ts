/**
 * The one place that talks to dockerode: a client on DOCKER_HOST (or the
 * given host), every call bounded by its own timeout (a stop waits for its
 * stop timeout, a list does not), every failure turned into a one-line
 * BackendError. A call that times out is aborted (its request closed);
 * the daemon may still have done it, which the caller must undo where that
 * matters (create). dockerode (+115 ms of imports) is loaded lazily.
 */
import type Dockerode from 'dockerode';
import { BackendError } from '../types.ts';

const DEFAULT_TIMEOUT_MS = 15_000;

export interface DockerClient {
  readonly docker: Dockerode;
  /** Human form of the daemon address, for messages. */
  readonly host: string;
  readonly timeoutMs: number;
  /**
   * Runs one Engine API call with a timeout (default timeoutMs); failures
   * become BackendError. `signal` aborts the request at the timeout: pass
   * it as dockerode's `abortSignal` option.
   */
  call<T>(
    what: string,
    fn: (docker: Dockerode, signal: AbortSignal) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T>;
}

interface HostOptions {
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

/** DOCKER_HOST forms: unix:///path, tcp://host:port, http(s)://host:port, or a socket path. */
function parseDockerHost(host: string): HostOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('/')) return { socketPath: host };
  const m = /^(tcp|http|https):\/\/([^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (!m) throw new BackendError('FAILED', `unsupported Docker host ${JSON.stringify(host)}`);
  const protocol = m[1] === 'https' ? 'https' : 'http';
  return { host: m[2]!, port: m[3] ? Number(m[3]) : 2375, protocol };
}

/** A daemon on a unix socket runs on this machine: its containers' pids are in our /proc. */
export function isLocalDaemon(host: string): boolean {
  try {
    return parseDockerHost(host).socketPath !== undefined;
  } catch {
    return false;
  }
}

interface DockerErrorLike {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

/** The daemon's own message for an HTTP error, else Node's. */
function dockerMessage(e: unknown): string {
  const x = (e ?? {}) as DockerErrorLike;
  const fromJson = x.json && typeof x.json === 'object' ? x.json.message : undefined;
  const raw = fromJson ?? x.message ?? String(e);
  return raw.replace(/^\(HTTP code \d+\) [a-z ]+ - /, '').trim();
}

export function statusCode(e: unknown): number | undefined {
  const x = e as DockerErrorLike | null;
  return x && typeof x === 'object' ? x.statusCode : undefined;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function toBackendError(e: unknown, what: string, host: string): BackendError {
  if (e instanceof BackendError) return e;
  const x = (e ?? {}) as DockerErrorLike;
  if (x.code && UNREACHABLE_CODES.has(x.code)) {
    return new BackendError(
      'UNREACHABLE',
      `cannot reach the Docker daemon at ${host} (${x.code}): is dockerd running and DOCKER_HOST right?`,
      { cause: e },
    );
  }
  if (x.code === 'EACCES' || x.code === 'EPERM') {
    return new BackendError(
      'DENIED',
      `permission denied on the Docker socket ${host}: join the docker group or use the rootless daemon's socket`,
      { cause: e },
    );
  }
  const msg = dockerMessage(e);
  if (/timeout|timed out/i.test(msg) && x.statusCode === undefined) {
    return new BackendError('TIMEOUT', `${what}: no answer from the Docker daemon at ${host}`, {
      cause: e,
    });
  }
  switch (x.statusCode) {
    case 404:
      return new BackendError('NOT_FOUND', `${what}: ${msg}`, { cause: e });
    case 409:
      return new BackendError('CONFLICT', `${what}: ${msg}`, { cause: e });
    case 401:
    case 403:
      return new BackendError('DENIED', `${what}: ${msg}`, { cause: e });
    default:
      return new BackendError('FAILED', `${what}: ${msg}`, { cause: e });
  }
}

export async function createClient(opts: {
  dockerHost?: string | undefined;
  timeoutMs?: number | undefined;
}): Promise<DockerClient> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hostText = opts.dockerHost ?? process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
  const { default: Docker } = await import('dockerode');
  // no client-wide `timeout`: it is a socket idle timeout, which cuts a stop
  // that legitimately waits stopwaitsecs; each call has its own bound instead
  const docker = new Docker(parseDockerHost(hostText));
  const call = async <T>(
    what: string,
    fn: (d: Dockerode, signal: AbortSignal) => Promise<T>,
    ms = timeoutMs,
  ): Promise<T> => {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new BackendError(
            'TIMEOUT',
            `${what}: no answer from the Docker daemon at ${hostText} within ${ms} ms`,
          ),
        );
        abort.abort();
      }, ms);
    });
    try {
      return await Promise.race([fn(docker, abort.signal), timeout]);
    } catch (e) {
      throw toBackendError(e, what, hostText);
    } finally {
      clearTimeout(timer);
    }
  };
  return { docker, host: hostText, timeoutMs, call };
}
