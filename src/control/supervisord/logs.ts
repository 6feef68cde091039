/**
 * `tail`: readProcessStdoutLog/readProcessStderrLog(name, -N, 0) as
 * supervisorctl; `tail -f`: supervisord's chunked GET /logtail/NAME/CHANNEL
 * (maintail -f: /mainlogtail)
 * (it sends the last 1 KiB, then what is appended) until the AbortSignal.
 */
import { XmlRpcFault } from '../../xmlrpc/types.ts';
import { BackendError, type LogRequest, type ProcessStatus } from '../types.ts';
import { FAULTS } from './faults.ts';
import type { Session } from './session.ts';

/** supervisorctl do_tail's messages for the faults it knows. */
function tailError(namespec: string, e: XmlRpcFault): BackendError {
  const why =
    e.faultCode === FAULTS.NO_FILE
      ? 'no log file'
      : e.faultCode === FAULTS.FAILED
        ? 'unknown error reading log'
        : e.faultCode === FAULTS.BAD_NAME
          ? 'no such process name'
          : e.faultString;
  const code = e.faultCode === FAULTS.FAILED ? 'FAILED' : 'NOT_FOUND';
  return new BackendError(code, `${namespec}: ERROR (${why})`, { cause: e });
}

export async function readLog(
  s: Session,
  p: ProcessStatus,
  req: LogRequest,
  sink: (chunk: Buffer) => void,
): Promise<void> {
  if (req.follow) return follow(s, p, req, sink);
  const method =
    req.channel === 'stderr'
      ? 'supervisor.readProcessStderrLog'
      : 'supervisor.readProcessStdoutLog';
  let text;
  try {
    text = await s.callRaw(method, [p.namespec, -(req.bytes ?? 1600), 0]);
  } catch (e) {
    if (e instanceof XmlRpcFault) throw tailError(p.namespec, e);
    throw e;
  }
  if (typeof text === 'string' && text !== '') sink(Buffer.from(text, 'utf8'));
}

function follow(
  s: Session,
  p: ProcessStatus,
  req: LogRequest,
  sink: (chunk: Buffer) => void,
): Promise<void> {
  const path = `/logtail/${encodeURIComponent(p.namespec).replace(/%3A/g, ':')}/${req.channel}`;
  return followStream(s, path, req.signal, sink, p.namespec);
}

/** A chunked GET (/logtail/..., /mainlogtail) streamed to `sink` until `signal` aborts. */
export async function followStream(
  s: Session,
  path: string,
  signal: AbortSignal | undefined,
  sink: (chunk: Buffer) => void,
  who: string,
): Promise<void> {
  if (signal?.aborted) return;
  let opened;
  try {
    opened = await s.get(path, signal);
  } catch (e) {
    if (signal?.aborted) return;
    if (e instanceof BackendError && e.cause instanceof Error && /HTTP 404/.test(e.cause.message)) {
      // supervisord answers 404 for an unknown process and for a log file not written yet
      throw new BackendError('NOT_FOUND', `${who}: ERROR (no log file)`, { cause: e });
    }
    throw e;
  }
  const { res, done } = opened;
  done(); // a follow has no deadline once the stream is open
  await new Promise<void>((resolve, reject) => {
    const stop = (): void => {
      res.destroy();
      resolve();
    };
    signal?.addEventListener('abort', stop, { once: true });
    res.on('data', (c: Buffer) => sink(c));
    res.on('end', () => resolve());
    res.on('error', (e) => {
      if (signal?.aborted) resolve();
      else
        reject(
          new BackendError('UNREACHABLE', `${s.url}: log stream lost: ${e.message}`, { cause: e }),
        );
    });
    res.on('close', () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    });
  });
}
