/**
 * supervisord's fault codes (supervisor/xmlrpc.py Faults) and how supctl's
 * facade names them, plus the one place XML-RPC failures become
 * BackendErrors with supervisorctl's own wording.
 */
import { XmlRpcError, XmlRpcFault } from '../../xmlrpc/types.ts';
import { BackendError, type ActionResult, type FaultCode } from '../types.ts';

import { FAULTS } from '../../xmlrpc/supervisor-faults.ts';

export { FAULTS };

const TO_FACADE: Partial<Record<number, FaultCode>> = {
  [FAULTS.BAD_ARGUMENTS]: 'BAD_ARGUMENTS',
  [FAULTS.BAD_NAME]: 'BAD_NAME',
  [FAULTS.BAD_SIGNAL]: 'BAD_SIGNAL',
  [FAULTS.NO_FILE]: 'NO_FILE',
  [FAULTS.NOT_EXECUTABLE]: 'NOT_EXECUTABLE',
  [FAULTS.FAILED]: 'FAILED',
  [FAULTS.ABNORMAL_TERMINATION]: 'ABNORMAL_TERMINATION',
  [FAULTS.SPAWN_ERROR]: 'SPAWN_ERROR',
  [FAULTS.ALREADY_STARTED]: 'ALREADY_STARTED',
  [FAULTS.NOT_RUNNING]: 'NOT_RUNNING',
};

/**
 * One process's outcome from a fault code and text (a raised fault, or a
 * group call's {status, description}). Codes the facade has no name for
 * become FAILED carrying supervisord's text, which supervisorctl prints.
 */
export function actionResult(namespec: string, code: number, text: string): ActionResult {
  if (code === FAULTS.SUCCESS) return { namespec, ok: true };
  const fault = TO_FACADE[code] ?? 'FAILED';
  return { namespec, ok: false, fault, message: text, faultString: text };
}

/**
 * A transport failure or an unexpected fault as one BackendError line;
 * connection failures in supervisorctl's words (`URL refused connection`,
 * `URL no such file`, `Server requires authentication`).
 */
export function backendError(e: unknown, url: string, what: string): BackendError {
  if (e instanceof BackendError) return e;
  if (e instanceof XmlRpcFault) {
    if (e.faultCode === FAULTS.SHUTDOWN_STATE) {
      return new BackendError('FAILED', 'ERROR: supervisor shutting down', { cause: e });
    }
    return new BackendError('FAILED', `${what}: ${e.faultString}`, { cause: e });
  }
  if (e instanceof XmlRpcError) {
    if (e.code === 'HTTP' && e.status === 401) {
      return new BackendError('DENIED', 'Server requires authentication', { cause: e });
    }
    if (e.code === 'TIMEOUT') return new BackendError('TIMEOUT', e.message, { cause: e });
    if (e.code === 'UNREACHABLE') {
      const errno = (e.cause as NodeJS.ErrnoException | undefined)?.code;
      const why =
        errno === 'ECONNREFUSED'
          ? 'refused connection'
          : errno === 'ENOENT'
            ? 'no such file'
            : errno === 'EACCES'
              ? 'permission denied'
              : `cannot be reached (${errno ?? e.message})`;
      return new BackendError('UNREACHABLE', `${url} ${why}`, { cause: e });
    }
    return new BackendError('FAILED', `${what}: ${e.message}`, { cause: e });
  }
  return new BackendError('FAILED', `${what}: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}
