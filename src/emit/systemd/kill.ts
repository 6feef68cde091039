/**
 * stopasgroup / killasgroup → KillMode= (supervisor-semantics.md §5).
 *
 * | stopasgroup/killasgroup | supervisor                                | KillMode        |
 * |-------------------------|-------------------------------------------|-----------------|
 * | false/false             | sig→pid, SIGKILL→pid                      | process (EXACT) |
 * | false/true              | sig→pid, SIGKILL→-pgid if main still alive| mixed (APPROX)  |
 * | true/true               | sig→-pgid, SIGKILL→-pgid if main alive    | control-group (APPROX) |
 */
import type { Process } from '../../model/process.ts';
import type { Outcome } from './findings.ts';
import { approx, exact } from './findings.ts';

const ALIASES: Record<string, string> = { IOT: 'ABRT', CLD: 'CHLD', POLL: 'IO' };

/** supervisor's stopsignal (name without SIG, or a number) as systemd writes it. */
export function systemdSignal(sig: string): string {
  const s = sig.toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(s)) return s;
  return `SIG${ALIASES[s] ?? s}`;
}

interface KillMode {
  mode: 'process' | 'mixed' | 'control-group';
  stopasgroup?: Outcome;
  /** With stopasgroup=true: reported only when killasgroup was written. */
  killasgroup?: Outcome;
}

export function killMode(p: Process): KillMode {
  if (!p.stopasgroup && !p.killasgroup) {
    const o = exact(
      'KillMode=process: the stop signal and SIGKILL go to the main process only; its children survive the stop, as under supervisor',
    );
    return { mode: 'process', stopasgroup: o, killasgroup: o };
  }
  if (!p.stopasgroup) {
    return {
      mode: 'mixed',
      killasgroup: approx(
        'KillMode=mixed: the stop signal goes to the main process only, but systemd SIGKILLs the remaining processes as soon as the main process exits; supervisor leaves them running unless it had to SIGKILL the main process',
      ),
    };
  }
  const o = approx(
    'KillMode=control-group: the stop signal goes to every process of the unit (also those that left the process group), and leftovers are SIGKILLed after TimeoutStopSec even when the main process has exited',
  );
  return { mode: 'control-group', stopasgroup: o, killasgroup: o };
}
