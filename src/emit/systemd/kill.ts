/**
 * stopsignal / stopwaitsecs / stopasgroup / killasgroup → KillSignal=,
 * TimeoutStopSec=, KillMode= (supervisor-semantics.md §5).
 *
 * | stopasgroup/killasgroup | supervisor                                | KillMode        |
 * |-------------------------|-------------------------------------------|-----------------|
 * | false/false             | sig→pid, SIGKILL→pid                      | process (EXACT) |
 * | false/true              | sig→pid, SIGKILL→-pgid if main still alive| mixed (APPROX)  |
 * | true/true               | sig→-pgid, SIGKILL→-pgid if main alive    | control-group (APPROX) |
 */
import type { Process } from '../../model/process.ts';
import type { Directive, ProgramFindings } from './findings.ts';

const ALIASES: Record<string, string> = { IOT: 'ABRT', CLD: 'CHLD', POLL: 'IO' };

/** supervisor's stopsignal (name without SIG, or a number) as systemd writes it. */
export function systemdSignal(sig: string): string {
  const s = sig.toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(s)) return s;
  return `SIG${ALIASES[s] ?? s}`;
}

export function killDirectives(p: Process, f: ProgramFindings): Directive[] {
  const out: Directive[] = [];
  let mode: string;
  if (!p.stopasgroup && !p.killasgroup) {
    mode = 'process';
    const msg =
      'KillMode=process: the stop signal and SIGKILL go to the main process only; its children survive the stop, as under supervisor';
    f.add('stopasgroup', 'EXACT', msg);
    f.add('killasgroup', 'EXACT', msg);
  } else if (!p.stopasgroup) {
    mode = 'mixed';
    f.add(
      'killasgroup',
      'APPROX',
      'KillMode=mixed: the stop signal goes to the main process only, but systemd SIGKILLs the remaining processes as soon as the main process exits; supervisor leaves them running unless it had to SIGKILL the main process',
    );
  } else {
    mode = 'control-group';
    const msg =
      'KillMode=control-group: the stop signal goes to every process of the unit (also those that left the process group), and leftovers are SIGKILLed after TimeoutStopSec even when the main process has exited';
    f.add('stopasgroup', 'APPROX', msg);
    if (f.written('killasgroup')) f.add('killasgroup', 'APPROX', msg);
  }
  out.push({ key: 'KillMode', value: mode });
  out.push({ key: 'KillSignal', value: systemdSignal(p.stopsignal) });
  f.add(
    'stopsignal',
    'EXACT',
    `KillSignal=${systemdSignal(p.stopsignal)} (systemd follows it with SIGCONT)`,
  );
  if (p.stopwaitsecs > 0) {
    out.push({ key: 'TimeoutStopSec', value: `${p.stopwaitsecs}s` });
    f.add('stopwaitsecs', 'EXACT', `TimeoutStopSec=${p.stopwaitsecs}s, then SIGKILL`);
  } else {
    out.push({ key: 'TimeoutStopSec', value: '1s' });
    f.add(
      'stopwaitsecs',
      'APPROX',
      'stopwaitsecs=0: supervisor sends SIGKILL on its next (≤1 s) tick; TimeoutStopSec=0 would mean never, so 1s is written',
    );
  }
  out.push({ key: 'SendSIGKILL', value: 'yes' });
  return out;
}
