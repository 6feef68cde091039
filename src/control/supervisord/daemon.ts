/**
 * What supervisorctl 4.2.5 asks of supervisord itself: clear
 * (clearProcessLogs / clearAllProcessLogs), maintail (readLog, GET
 * /mainlogtail), shutdown, reload (restart) and fg's sendProcessStdin.
 * Faults become the outcomes supervisorctl prints for them.
 */
import { XmlRpcFault, isStruct } from '../../xmlrpc/types.ts';
import { BackendError, type ClearResult, type MainLogRequest } from '../types.ts';
import { backendError, FAULTS } from './faults.ts';
import { followStream } from './logs.ts';
import type { Session } from './session.ts';
import { str } from './info.ts';
import { splitNamespec } from '../names.ts';

/** supervisorctl's _clearresult: SUCCESS, BAD_NAME, FAILED (anything else is an error). */
function clearOutcome(namespec: string, code: number, text: string): ClearResult {
  if (code === FAULTS.SUCCESS) return { namespec, outcome: 'cleared' };
  if (code === FAULTS.BAD_NAME) return { namespec, outcome: 'no such process' };
  if (code === FAULTS.FAILED) return { namespec, outcome: 'failed' };
  throw new BackendError('FAILED', `${namespec}: clear: ${text}`);
}

/** supervisor's make_namespec: `name` when group and name are one. */
const namespecOf = (group: string, name: string): string =>
  group === name ? name : `${group}:${name}`;

/** supervisorctl's split_namespec then make_namespec: `web` is `web:web`, shown `web`; `g:*` is `g:None`. */
export function typedNamespec(name: string): string {
  const n = splitNamespec(name);
  return namespecOf(n.group, n.process ?? 'None');
}

export async function clearLogs(s: Session, names: readonly string[]): Promise<ClearResult[]> {
  if (names.includes('all')) {
    const rs = await s.call('supervisor.clearAllProcessLogs');
    return (Array.isArray(rs) ? rs : [])
      .filter(isStruct)
      .map((r) =>
        clearOutcome(
          namespecOf(str(r['group']), str(r['name'])),
          Number(r['status']),
          str(r['description']),
        ),
      );
  }
  const out: ClearResult[] = [];
  for (const name of names) {
    try {
      await s.callRaw('supervisor.clearProcessLogs', [name]);
      out.push({ namespec: typedNamespec(name), outcome: 'cleared' });
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      out.push(clearOutcome(typedNamespec(name), e.faultCode, e.faultString));
    }
  }
  return out;
}

/** supervisorctl's maintail: readLog(-bytes, 0), or with follow GET /mainlogtail. */
export async function mainLog(
  s: Session,
  req: MainLogRequest,
  sink: (chunk: Buffer) => void,
): Promise<void> {
  if (req.follow) return followStream(s, '/mainlogtail', req.signal, sink, 'supervisord');
  let text;
  try {
    text = await s.callRaw('supervisor.readLog', [-req.bytes, 0]);
  } catch (e) {
    if (e instanceof XmlRpcFault && e.faultCode === FAULTS.NO_FILE) {
      throw new BackendError('NOT_FOUND', 'supervisord: ERROR (no log file)', { cause: e });
    }
    if (e instanceof XmlRpcFault && e.faultCode === FAULTS.FAILED) {
      throw new BackendError('FAILED', 'supervisord: ERROR (unknown error reading log)', {
        cause: e,
      });
    }
    throw backendError(e, s.url, 'supervisor.readLog');
  }
  if (typeof text === 'string') sink(Buffer.from(text, 'utf8'));
}

/**
 * shutdown / restart of supervisord. A daemon already shutting down
 * answers SHUTDOWN_STATE: supervisorctl's `ERROR: already shutting down`.
 */
export async function daemonCall(
  s: Session,
  method: 'supervisor.shutdown' | 'supervisor.restart',
): Promise<'done' | 'shutting down'> {
  try {
    await s.callRaw(method);
    return 'done';
  } catch (e) {
    if (e instanceof XmlRpcFault && e.faultCode === FAULTS.SHUTDOWN_STATE) return 'shutting down';
    throw backendError(e, s.url, method);
  }
}

/** fg's input: one line to the process's stdin; false when it no longer runs (NOT_RUNNING). */
export async function sendStdin(s: Session, namespec: string, text: string): Promise<boolean> {
  try {
    await s.callRaw('supervisor.sendProcessStdin', [namespec, text]);
    return true;
  } catch (e) {
    if (e instanceof XmlRpcFault && e.faultCode === FAULTS.NOT_RUNNING) return false;
    throw backendError(e, s.url, 'supervisor.sendProcessStdin');
  }
}
