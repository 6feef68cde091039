/**
 * The seed's other /healthz formats, over the same checks as the
 * Kubernetes text: `json` (per check: namespace, name, status, value,
 * message, suggestion) and `console` (one coloured line per check).
 * The HTTP status is the same as the k8s answer's: 200, or 500 on a failure.
 */
import type { ProcessStatus } from '../control/types.ts';
import { healthWords, type HealthState } from '../health/state.ts';
import type { Check } from './health.ts';

export const HEALTH_FORMATS = ['k8s', 'json', 'console'] as const;
export type HealthFormat = (typeof HEALTH_FORMATS)[number];

interface CheckDetail {
  /** The process's group, or `serve` for serve's own checks. */
  namespace: string;
  name: string;
  status: 'ok' | 'failed' | 'excluded';
  /** The process's state name, or ok/failed. */
  value: string;
  message: string;
  suggestion: string;
}

/** What an operator would do next about a process in `state`. */
function suggestionFor(p: ProcessStatus): string {
  switch (p.state) {
    case 'RUNNING':
      return '';
    case 'STARTING':
      return 'wait for startsecs to pass';
    case 'STOPPED':
    case 'EXITED':
      return `supervisorctl start ${p.namespec}`;
    case 'BACKOFF':
    case 'FATAL':
      return `read its output (supervisorctl tail ${p.namespec} stderr), fix, then start it`;
    case 'STOPPING':
      return 'wait for it to stop, then start it';
    default:
      return 'check that the backend answers for this program';
  }
}

/** What to do about a RUNNING process whose health check does not pass. */
function healthSuggestion(h: HealthState, p: ProcessStatus): string {
  if (h.status === 'starting') return 'wait for its health check to pass';
  return `check what answers its health check, then supervisorctl restart ${p.namespec}`;
}

export function checkDetails(
  checks: readonly Check[],
  ps: readonly ProcessStatus[],
  exclude: readonly string[],
): CheckDetail[] {
  const byName = new Map(ps.map((p) => [p.namespec, p]));
  return checks.map((c) => {
    const status = exclude.includes(c.name) ? 'excluded' : c.ok ? 'ok' : 'failed';
    const p = byName.get(c.name);
    if (p === undefined) {
      return {
        namespace: 'serve',
        name: c.name,
        status,
        value: c.ok ? 'ok' : 'failed',
        message: c.ok ? '' : `${c.name} does not answer`,
        suggestion: c.ok ? '' : `check the ${c.name}`,
      };
    }
    const checked = c.health !== undefined && p.state === 'RUNNING' ? c.health : undefined;
    return {
      namespace: p.group,
      name: p.name,
      status,
      value: p.state,
      message: checked === undefined ? p.description : `${p.description}, ${healthWords(checked)}`,
      suggestion: c.ok ? '' : checked ? healthSuggestion(checked, p) : suggestionFor(p),
    };
  });
}

const failed = (ds: readonly CheckDetail[]): boolean => ds.some((d) => d.status === 'failed');

export function renderHealthJson(ds: readonly CheckDetail[]): { status: 200 | 500; body: string } {
  const bad = failed(ds);
  return {
    status: bad ? 500 : 200,
    body: `${JSON.stringify({ status: bad ? 'failed' : 'ok', checks: ds }, null, 2)}\n`,
  };
}

const PAINT = { ok: '\x1b[32m', failed: '\x1b[31m', excluded: '\x1b[33m', reset: '\x1b[0m' };
const MARK = { ok: '[+]', failed: '[-]', excluded: '[~]' };

export function renderHealthConsole(
  ds: readonly CheckDetail[],
  color: boolean,
): { status: 200 | 500; body: string } {
  const lines = ds.map((d) => {
    const head = `${MARK[d.status]} ${d.namespace}/${d.name} ${d.value}`;
    const tail = [d.message, d.suggestion === '' ? '' : `→ ${d.suggestion}`]
      .filter((x) => x !== '')
      .join(' ');
    const line = tail === '' ? head : `${head}: ${tail}`;
    return color ? `${PAINT[d.status]}${line}${PAINT.reset}` : line;
  });
  const bad = failed(ds);
  lines.push(bad ? 'healthz check failed' : 'healthz check passed');
  return { status: bad ? 500 : 200, body: `${lines.join('\n')}\n` };
}
