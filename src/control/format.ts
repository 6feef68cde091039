/**
 * supervisorctl's output, as pure functions returning lines (no printing).
 * Sources: supervisor 4.2.5 supervisorctl.py (_show_statuses, _startresult,
 * _signalresult, _formatChanges, _formatConfigInfo) and rpcinterface.py
 * (_interpretProcessInfo).
 */
import { namespec } from '../model/names.ts';
import type {
  ActionResult,
  AvailEntry,
  ChangeSet,
  FaultCode,
  ProcessState,
  ProcessStatus,
} from './types.ts';

// ------------------------------------------------------------ descriptions --

/** supervisor's spawn error for a process that exited before startsecs (process.py). */
export const SPAWN_ERROR_TEXT = 'Exited too quickly (process log may have details)';

/** Python's str(datetime.timedelta(seconds=s)) for whole seconds: `1 day, 2:03:04`. */
export function formatTimedelta(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const sec = rest % 60;
  const hms = `${h}:${pad2(m)}:${pad2(sec)}`;
  if (days === 0) return hms;
  return `${days} ${days === 1 ? 'day' : 'days'}, ${hms}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time, as supervisor prints a stop time. */
export function formatStopTime(ms: number): string {
  const d = new Date(ms);
  const h12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const ampm = d.getHours() < 12 ? 'AM' : 'PM';
  return `${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${pad2(h12)}:${pad2(d.getMinutes())} ${ampm}`;
}

/**
 * supervisor's description column (rpcinterface._interpretProcessInfo), for
 * backends that know the facts but not the wording.
 */
export function describeProcess(
  p: {
    state: ProcessState;
    name: string;
    pid: number | null;
    startedAt: number | null;
    stoppedAt: number | null;
    spawnError?: string | null;
  },
  now: number = Date.now(),
): string {
  switch (p.state) {
    case 'RUNNING': {
      // supervisor truncates both times to whole seconds before subtracting
      const up = p.startedAt === null ? 0 : Math.floor(now / 1000) - Math.floor(p.startedAt / 1000);
      return `pid ${p.pid ?? 0}, uptime ${formatTimedelta(up)}`;
    }
    case 'FATAL':
    case 'BACKOFF':
      return p.spawnError || `unknown error (try "tail ${p.name}")`;
    case 'STOPPED':
    case 'EXITED':
      if (p.startedAt === null || p.startedAt === 0) return 'Not started';
      return formatStopTime(p.stoppedAt ?? p.startedAt);
    default:
      return '';
  }
}

// ------------------------------------------------------------------ status --

/** `'%-{max(30,len)+3}s%-10s%s'`, in the order given (callers sort or keep the user's order). */
export function formatStatusLines(
  rows: ProcessStatus[],
  opts: { wide?: boolean; paint?: (state: ProcessState) => (text: string) => string } = {},
): string[] {
  // a painted state keeps its column: the padding goes outside the colour
  const state = (s: ProcessState) =>
    opts.paint ? opts.paint(s)(s) + ' '.repeat(Math.max(0, 10 - s.length)) : s.padEnd(10);
  let width = 30;
  for (const r of rows) width = Math.max(width, displayName(r).length);
  width += 3;
  if (!opts.wide) {
    return rows.map((r) => `${displayName(r).padEnd(width)}${state(r.state)}${r.description}`);
  }
  const head =
    `${'NAME'.padEnd(width)}${'STATE'.padEnd(10)}${'RESTARTS'.padStart(8)}  ` +
    `${'CPU'.padStart(10)}  ${'MEM'.padStart(8)}  DESCRIPTION`;
  return [
    head,
    ...rows.map(
      (r) =>
        `${displayName(r).padEnd(width)}${state(r.state)}` +
        `${(r.restarts === null ? '-' : String(r.restarts)).padStart(8)}  ` +
        `${formatCpu(r.cpuNsec).padStart(10)}  ${formatBytes(r.memoryBytes).padStart(8)}  ${r.description}`,
    ),
  ];
}

function displayName(r: ProcessStatus): string {
  return r.namespec || namespec(r.group, r.name);
}

/** CPU time as H:MM:SS.ss (like ps TIME, with hundredths). */
export function formatCpu(nsec: number | null): string {
  if (nsec === null || !Number.isFinite(nsec) || nsec < 0) return '-';
  const cs = Math.floor(nsec / 1e7);
  const s = Math.floor(cs / 100);
  return `${Math.floor(s / 3600)}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}.${pad2(cs % 100)}`;
}

/** Memory in binary units: `512B`, `12.3K`, `4.0M`, `1.2G`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '-';
  if (bytes < 1024) return `${bytes}B`;
  const units = ['K', 'M', 'G', 'T'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)}${units[i]}`;
}

// ----------------------------------------------------------------- actions --

type ActionVerb = 'start' | 'stop' | 'signal';

/** supervisorctl's words for each fault (supervisorctl.py _startresult, _signalresult). */
const FAULT_TEXT: Record<FaultCode, string> = {
  BAD_NAME: 'no such process',
  BAD_SIGNAL: 'bad signal name',
  BAD_ARGUMENTS: 'bad arguments',
  NOT_RUNNING: 'not running',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
  FAILED: 'failed',
  NOT_EXECUTABLE: 'file is not executable',
  NO_FILE: 'no such file',
};

/** The faults supervisorctl words itself per verb; any other prints the fault's own text. */
const VERB_FAULTS: Record<ActionVerb, readonly FaultCode[]> = {
  start: [
    'BAD_NAME',
    'NO_FILE',
    'NOT_EXECUTABLE',
    'ALREADY_STARTED',
    'SPAWN_ERROR',
    'ABNORMAL_TERMINATION',
  ],
  stop: ['BAD_NAME', 'BAD_SIGNAL', 'NOT_RUNNING'],
  signal: ['BAD_NAME', 'BAD_SIGNAL', 'NOT_RUNNING'],
};

const SUCCESS: Record<ActionVerb, string> = {
  start: 'started',
  stop: 'stopped',
  signal: 'signalled',
};

/** A backend's successful result for one process. */
export function okResult(namespec: string, verb: ActionVerb): ActionResult {
  return { namespec, ok: true, message: SUCCESS[verb] };
}

/**
 * A backend's failed result for one process: `ERROR (spawn error)`, or with
 * the backend's detail, `ERROR (spawn error: unit not found)`. A FAILED
 * fault with a detail says only the detail (it is the fault's own text).
 */
export function faultResult(namespec: string, fault: FaultCode, detail?: string): ActionResult {
  const text =
    detail === undefined || detail === ''
      ? FAULT_TEXT[fault]
      : fault === 'FAILED'
        ? detail
        : `${FAULT_TEXT[fault]}: ${detail}`;
  return { namespec, ok: false, fault, message: `ERROR (${text})` };
}

/**
 * One result as supervisorctl prints it: `web: started`, `web: stopped`,
 * `web: ERROR (not running)`, `web: ERROR (spawn error)` ...
 * supervisorctl prints a FAILED fault's own text; so does this, when the
 * backend gave one (bare, for stop and signal, as supervisorctl).
 */
export function formatActionResult(verb: ActionVerb, r: ActionResult): string {
  if (r.ok) return `${r.namespec}: ${SUCCESS[verb]}`;
  // supervisorctl's _signalresult (stop's too) returns a FAILED fault's string as the whole line
  if (verb !== 'start' && r.fault === 'FAILED' && r.faultString !== undefined) return r.faultString;
  if (r.fault !== undefined && VERB_FAULTS[verb].includes(r.fault)) {
    return `${r.namespec}: ERROR (${FAULT_TEXT[r.fault]})`;
  }
  if (r.message !== undefined && r.message !== '') {
    return r.message.startsWith(`${r.namespec}:`) ? r.message : `${r.namespec}: ${r.message}`;
  }
  return `${r.namespec}: ERROR (${FAULT_TEXT[r.fault ?? 'FAILED']})`;
}

// ------------------------------------------------------------------- avail --

/** `%-32s %-9s %-9s g:p`, sorted by process name as getAllConfigInfo. */
export function formatAvail(entries: (AvailEntry & { groupPriority?: number })[]): string[] {
  const sorted = [...entries].sort((a, b) => cmpStr(procName(a.namespec), procName(b.namespec)));
  return sorted.map(
    (e) =>
      `${e.namespec.padEnd(32)} ${(e.inUse ? 'in use' : 'avail').padEnd(9)} ` +
      `${(e.autostart ? 'auto' : 'manual').padEnd(9)} ${e.groupPriority ?? e.priority}:${e.priority}`,
  );
}

function procName(namespec: string): string {
  const i = namespec.indexOf(':');
  return i < 0 ? namespec : namespec.slice(i + 1);
}

// ------------------------------------------------------------------ reread --

/** `name: available|changed|disappeared`, sorted; or `No config updates to processes`. */
export function formatChanges(c: ChangeSet): string[] {
  const m = new Map<string, string>();
  for (const [names, what] of [
    [c.added, 'available'],
    [c.changed, 'changed'],
    [c.removed, 'disappeared'],
  ] as const) {
    for (const n of names) m.set(n, what);
  }
  if (m.size === 0) return ['No config updates to processes'];
  return [...m.keys()].sort(cmpStr).map((n) => `${n}: ${m.get(n)}`);
}

/** supervisorctl update's lines for a change set it applied. */
export function formatUpdate(c: ChangeSet): string[] {
  const lines: string[] = [];
  for (const g of c.removed) lines.push(`${g}: stopped`, `${g}: removed process group`);
  for (const g of c.changed) lines.push(`${g}: stopped`, `${g}: updated process group`);
  for (const g of c.added) lines.push(`${g}: added process group`);
  return lines;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
