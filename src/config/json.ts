/**
 * The `supctl parse --json` shape (shared/reference/parse-json.md): the
 * groups and processes supervisor's ProcessConfig/ProcessGroupConfig hold,
 * normalized. Groups sorted by name, processes in supervisor's order.
 */
import type { Deployment } from '../model/deployment.ts';
import type { Group, ProgramKind } from '../model/group.ts';
import { healthAddress } from '../model/health.ts';
import type { Process, ProcessFields } from '../model/process.ts';
import { pyCompare } from './pystr.ts';

/** A process as parse-json.md prints it: the model's fields, with argv null when unsplittable. */
export type ParseJsonProcess = Omit<ProcessFields, 'argv'> & {
  /** shlex.split(command); null when supervisor could not split it (it would fail at spawn). */
  argv: string[] | null;
  /** supctl's own: only when the section declares a check (health_tcp / health_http). */
  health?: ParseJsonHealth;
};

interface ParseJsonHealth {
  type: 'tcp' | 'http';
  /** tcp: HOST:PORT; http: the URL. */
  target: string;
  interval: number;
  timeout: number;
  retries: number;
  start_period: number;
}

export interface ParseJsonGroup {
  name: string;
  type: ProgramKind;
  priority: number;
  /** fcgi-program only. */
  socket?: string;
  /** eventlistener only: upper-case, sorted. */
  events?: string[];
  buffer_size?: number;
  result_handler?: string;
  processes: ParseJsonProcess[];
}

export interface ParseJson {
  groups: ParseJsonGroup[];
}

function processJson(p: Process): ParseJsonProcess {
  const out: ParseJsonProcess = {
    name: p.name,
    command: p.command,
    argv: p.argvError === undefined ? p.argv : null,
    directory: p.directory,
    umask: p.umask,
    priority: p.priority,
    autostart: p.autostart,
    autorestart: p.autorestart,
    exitcodes: p.exitcodes,
    startsecs: p.startsecs,
    startretries: p.startretries,
    stopwaitsecs: p.stopwaitsecs,
    stopsignal: p.stopsignal,
    stopasgroup: p.stopasgroup,
    killasgroup: p.killasgroup,
    user: p.user,
    redirect_stderr: p.redirect_stderr,
    stdout_logfile: p.stdout_logfile,
    stderr_logfile: p.stderr_logfile,
    stdout_logfile_maxbytes: p.stdout_logfile_maxbytes,
    stderr_logfile_maxbytes: p.stderr_logfile_maxbytes,
    stdout_logfile_backups: p.stdout_logfile_backups,
    stderr_logfile_backups: p.stderr_logfile_backups,
    stdout_capture_maxbytes: p.stdout_capture_maxbytes,
    stderr_capture_maxbytes: p.stderr_capture_maxbytes,
    stdout_events_enabled: p.stdout_events_enabled,
    stderr_events_enabled: p.stderr_events_enabled,
    stdout_syslog: p.stdout_syslog,
    stderr_syslog: p.stderr_syslog,
    environment: p.environment,
    // supervisor holds None for both AUTO and an unset serverurl.
    serverurl: p.serverurl ?? 'AUTO',
  };
  const h = p.health;
  if (h !== undefined) {
    out.health = {
      type: h.type,
      target: h.url ?? healthAddress(h),
      interval: h.interval,
      timeout: h.timeout,
      retries: h.retries,
      start_period: h.start_period,
    };
  }
  return out;
}

function groupJson(g: Group): ParseJsonGroup {
  const out: ParseJsonGroup = { name: g.name, type: g.kind, priority: g.priority, processes: [] };
  if (g.kind === 'fcgi-program' && g.socket !== undefined) out.socket = g.socket;
  if (g.kind === 'eventlistener') {
    out.events = [...(g.events ?? [])].sort(pyCompare);
    out.buffer_size = g.buffer_size ?? 10;
    out.result_handler = g.result_handler ?? 'supervisor.dispatchers:default_handler';
  }
  out.processes = g.processes.map(processJson);
  return out;
}

/** Deployment → the normalized model of parse-json.md. */
export function toParseJson(d: Deployment): ParseJson {
  const groups = [...d.groups].sort((a, b) => pyCompare(a.name, b.name));
  return { groups: groups.map(groupJson) };
}
