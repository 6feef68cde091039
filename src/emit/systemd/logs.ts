/**
 * stdout/stderr logging → StandardOutput=/StandardError=, SyslogIdentifier=,
 * and an optional logrotate snippet for maxbytes/backups.
 *
 * supervisor's child writes into pipes; supervisord appends what it reads to
 * the log file (opened in append mode). systemd hands the child the file
 * itself, opened O_APPEND: the bytes in the file are the same.
 */
import { isAbsolute, join } from 'node:path';
import type { Process } from '../../model/process.ts';
import { escapePathValue } from './escape.ts';
import type { Directive, ProgramFindings } from './findings.ts';

type Stream = 'stdout' | 'stderr';

export interface RotateEntry {
  path: string;
  maxbytes: number;
  backups: number;
}

function target(
  p: Process,
  s: Stream,
  f: ProgramFindings,
  base: string,
  rotate: RotateEntry[],
  autoLogDir: string | undefined,
): string {
  const file = s === 'stdout' ? p.stdout_logfile : p.stderr_logfile;
  const syslog = s === 'stdout' ? p.stdout_syslog : p.stderr_syslog;
  const maxbytes = s === 'stdout' ? p.stdout_logfile_maxbytes : p.stderr_logfile_maxbytes;
  const backups = s === 'stdout' ? p.stdout_logfile_backups : p.stderr_logfile_backups;
  const key = `${s}_logfile`;
  let value: string;
  let toFile = false;
  if (file === null) {
    value = syslog ? 'journal' : 'null';
    f.add(key, 'EXACT', syslog ? `${s} goes to syslog only` : `${s} is discarded (null)`);
  } else if (file === 'AUTO' && autoLogDir !== undefined) {
    value = `append:${escapePathValue(autoLogDir)}/%n.${s === 'stdout' ? 'out' : 'err'}`;
    f.add(
      key,
      'APPROX',
      `AUTO: ${s} appended to ${autoLogDir}/<unit>.${s === 'stdout' ? 'out' : 'err'} instead of a file in childlogdir; never rotated`,
    );
  } else if (file === 'AUTO') {
    value = 'journal';
    f.add(
      key,
      'APPROX',
      `AUTO: ${s} goes to the journal (journalctl -u) instead of a file in childlogdir`,
    );
  } else if (file === '/dev/null') {
    value = 'null';
    f.add(key, 'EXACT', `${s} is discarded (null)`);
  } else {
    let path = file;
    if (!isAbsolute(path)) {
      path = join(base, path);
      f.add(
        key,
        'APPROX',
        `relative log file resolved against ${base}; supervisord opens it in its own working directory`,
      );
    } else {
      f.add(key, 'EXACT', `${s} appended to ${path}`);
    }
    value = `append:${escapePathValue(path)}`;
    toFile = true;
    if (maxbytes > 0) rotate.push({ path, maxbytes, backups });
  }

  if (syslog) {
    f.add(
      `${s}_syslog`,
      'APPROX',
      toFile
        ? `supervisor copies ${s} to syslog as well as the file; systemd writes only the file`
        : `${s} reaches syslog through the journal, without supervisor's "name " prefix`,
    );
  }
  if (toFile && maxbytes > 0) {
    const m = `supervisor rotates at ${maxbytes} bytes keeping ${backups} backups; systemd never rotates (use --logrotate for a logrotate snippet)`;
    f.add(`${s}_logfile_maxbytes`, 'NONE', m);
    f.add(`${s}_logfile_backups`, 'NONE', m);
  } else {
    f.add(`${s}_logfile_maxbytes`, 'EXACT', 'no rotation needed');
    f.add(`${s}_logfile_backups`, 'EXACT', 'no rotation needed');
  }
  const cap = s === 'stdout' ? p.stdout_capture_maxbytes : p.stderr_capture_maxbytes;
  f.add(
    `${s}_capture_maxbytes`,
    cap > 0 ? 'NONE' : 'EXACT',
    cap > 0 ? 'capture mode (PROCESS_COMMUNICATION events) has no systemd counterpart' : 'off',
  );
  const ev = s === 'stdout' ? p.stdout_events_enabled : p.stderr_events_enabled;
  f.add(
    `${s}_events_enabled`,
    ev ? 'NONE' : 'EXACT',
    ev ? 'PROCESS_LOG events have no systemd counterpart' : 'off',
  );
  return value;
}

/**
 * `base` is where relative log paths are resolved (supervisord's cwd as far
 * as it is known). Appends rotation entries to `rotate`.
 */
export function logDirectives(
  p: Process,
  f: ProgramFindings,
  base: string,
  rotate: RotateEntry[],
  autoLogDir?: string,
): Directive[] {
  const out: Directive[] = [];
  out.push({ key: 'StandardOutput', value: target(p, 'stdout', f, base, rotate, autoLogDir) });
  if (p.redirect_stderr) {
    out.push({ key: 'StandardError', value: 'inherit' });
    f.add('redirect_stderr', 'EXACT', 'StandardError=inherit: fd 2 is the same file as stdout');
    if (f.written('stderr_logfile')) {
      f.add('stderr_logfile', 'EXACT', 'ignored with redirect_stderr=true, as supervisor does');
    }
  } else {
    out.push({ key: 'StandardError', value: target(p, 'stderr', f, base, rotate, autoLogDir) });
    f.add('redirect_stderr', 'EXACT', 'stderr kept separate');
  }
  out.push({ key: 'SyslogIdentifier', value: escapePathValue(p.name) });
  return out;
}

/** A logrotate(8) snippet for the log files supervisor would have rotated. */
export function logrotateText(entries: RotateEntry[]): string {
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const e of entries) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    blocks.push(
      [
        `${JSON.stringify(e.path)} {`,
        `    size ${e.maxbytes}`,
        `    rotate ${e.backups}`,
        '    copytruncate',
        '    missingok',
        '    notifempty',
        '}',
      ].join('\n'),
    );
  }
  return blocks.join('\n\n') + '\n';
}
