import type { Process } from '../../model/process.ts';
import type { Outcome } from './restart.ts';

interface LoggingSpec {
  driver: 'json-file' | 'none';
  options?: Record<string, string>;
}

interface LoggingMapping {
  logging: LoggingSpec;
  /** Per source key: what became of it. */
  outcomes: Partial<
    Record<
      | 'stdout_logfile'
      | 'stderr_logfile'
      | 'stdout_logfile_maxbytes'
      | 'stdout_logfile_backups'
      | 'stderr_logfile_maxbytes'
      | 'stderr_logfile_backups',
      Outcome
    >
  >;
}

function discarded(path: string | null): boolean {
  return path === null || path === '/dev/null';
}

/**
 * A container has one log for both streams. The logs are dropped
 * (`driver: none`) only when supervisor drops both; otherwise json-file
 * with max-size / max-file from stdout's rotation settings.
 */
export function mapLogging(p: Process): LoggingMapping {
  const outcomes: LoggingMapping['outcomes'] = {};
  const stderrGoesToStdout = p.redirect_stderr;
  const outDropped = discarded(p.stdout_logfile);
  const errDropped = stderrGoesToStdout ? outDropped : discarded(p.stderr_logfile);

  const describe = (path: string | null): string =>
    path === null ? 'NONE' : path === '/dev/null' ? '/dev/null' : path;

  if (outDropped && errDropped) {
    outcomes.stdout_logfile = {
      fidelity: 'EXACT',
      message: `stdout_logfile=${describe(p.stdout_logfile)} → logging.driver: none (output discarded)`,
    };
    if (!stderrGoesToStdout) {
      outcomes.stderr_logfile = {
        fidelity: 'EXACT',
        message: `stderr_logfile=${describe(p.stderr_logfile)} → logging.driver: none (output discarded)`,
      };
    }
    return { logging: { driver: 'none' }, outcomes };
  }

  for (const stream of ['stdout', 'stderr'] as const) {
    if (stream === 'stderr' && stderrGoesToStdout) continue;
    const path = stream === 'stdout' ? p.stdout_logfile : p.stderr_logfile;
    const key = `${stream}_logfile` as const;
    if (discarded(path)) {
      outcomes[key] = {
        fidelity: 'NONE',
        message: `${key}=${describe(path)}: a container has one log for both streams; ${stream} is kept in the container log, not discarded`,
      };
    } else if (path === 'AUTO') {
      outcomes[key] = {
        fidelity: 'APPROX',
        message: `${key}=AUTO → the container log (json-file driver, read with docker logs)`,
      };
    } else {
      outcomes[key] = {
        fidelity: 'NONE',
        message: `${key}=${path}: Compose has logging drivers only; ${stream} goes to the container log (json-file), not to the file`,
      };
    }
  }

  const options: Record<string, string> = {};
  const maxbytes = p.stdout_logfile_maxbytes;
  const backups = p.stdout_logfile_backups;
  if (maxbytes > 0) {
    options['max-size'] = String(maxbytes);
    options['max-file'] = String(backups + 1);
  }
  outcomes.stdout_logfile_maxbytes = {
    fidelity: 'APPROX',
    message:
      maxbytes > 0
        ? `stdout_logfile_maxbytes=${maxbytes} → logging.options.max-size (one log for both streams)`
        : 'stdout_logfile_maxbytes=0 → no max-size (no rotation)',
  };
  outcomes.stdout_logfile_backups = {
    fidelity: 'APPROX',
    message:
      maxbytes > 0
        ? `stdout_logfile_backups=${backups} → logging.options.max-file=${backups + 1} (the current file counts)`
        : 'stdout_logfile_backups: no rotation (maxbytes=0)',
  };
  if (!stderrGoesToStdout) {
    const same = p.stderr_logfile_maxbytes === maxbytes && p.stderr_logfile_backups === backups;
    for (const key of ['stderr_logfile_maxbytes', 'stderr_logfile_backups'] as const) {
      outcomes[key] = same
        ? { fidelity: 'APPROX', message: `${key}: shares the container log's rotation` }
        : {
            fidelity: 'NONE',
            message: `${key}: a container has one log; stdout's rotation (maxbytes=${maxbytes}, backups=${backups}) applies to stderr too`,
          };
    }
  }
  return {
    logging:
      Object.keys(options).length > 0 ? { driver: 'json-file', options } : { driver: 'json-file' },
    outcomes,
  };
}
