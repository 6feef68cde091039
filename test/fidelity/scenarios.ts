/**
 * The scenario table: what FIDELITY.md measures. Each scenario is a few
 * [program:x] sections running test/fidelity/program.ts in some mode, the
 * steps the observer takes through the control facade, and the
 * measurements, each tied to the supervisor key whose claim it tests and
 * to supervisor 4.2.5's behaviour (`expect`; supervisor-semantics.md).
 * A measurement without `expect` is recorded only (timings that are
 * each runtime's own, e.g. backoff spacing).
 *
 * Timings are small (startsecs 1, stopwaitsecs 2, startretries 2) so the
 * whole run stays short.
 */
import type { ProcessState } from '../../src/control/types.ts';

export interface ProgramSpec {
  name: string;
  /** program.ts mode. */
  mode: string;
  /** Extra keys of the section, as written in the INI file. */
  keys?: Record<string, string>;
  /** The name the program writes its files under (default: `name`). */
  as?: string;
}

export type Step =
  /** Until every named process is in one of the states (or the deadline). */
  | { do: 'wait'; procs: string[]; states: ProcessState[] }
  /** Let time pass: restarts and retries happen on their own. */
  | { do: 'settle'; seconds: number }
  /** Stops the processes through the facade, one call, timing it. */
  | { do: 'stop'; procs: string[] }
  | { do: 'start'; procs: string[] };

export type MeasureKind =
  /** The process's state as the facade lists it, at the end. */
  | 'state'
  /** How many times the program started. */
  | 'starts'
  /** Whether it started again after its first exit: yes / no. */
  | 'restarted'
  /** Seconds between an exit and the next start, each (recorded only). */
  | 'gaps'
  /** Signals the program recorded, in order. */
  | 'signal'
  /** Seconds the facade's stop of the process took. */
  | 'stopSecs'
  /** Signals the forked child recorded, or none. */
  | 'childSignal'
  /** Whether the forked child still runs 1.5 s after the stop: yes / no. */
  | 'childAlive'
  /** What the program saw at its first start. */
  | 'cwd'
  | 'umask'
  | 'var'
  /** The facade's log of the channel, lines joined with |. */
  | 'stdout'
  | 'stderr'
  /** The processes in the order they were started (the facade's start time, then pid). */
  | 'order'
  /** The namespecs the facade lists, sorted. */
  | 'namespecs'
  /** The names the programs wrote their files under, sorted. */
  | 'files'
  /** Seconds from the first exit to the next start. */
  | 'relaunch';

export interface Measure {
  what: MeasureKind;
  /** The process (namespec) measured; none for order/namespecs/files. */
  proc?: string;
  /** The supervisor key whose claim this measures. */
  key: string;
  /** supervisord's behaviour: a value, or an inclusive [min, max] in seconds. */
  expect?: string | [number, number];
  /**
   * The value is the backend's own reading (e.g. which state a container
   * that died by a signal maps to), which no key table claims: why. Shown
   * instead of the claims; a difference is listed, not a contradiction.
   */
  facade?: string;
}

export interface Scenario {
  id: string;
  title: string;
  programs: ProgramSpec[];
  steps: Step[];
  measures: Measure[];
}

const exitcodes = { startsecs: '0', exitcodes: '0,2' };
const restarted = (proc: string, yes: boolean): Measure => ({
  what: 'restarted',
  proc,
  key: 'autorestart',
  expect: yes ? 'yes' : 'no',
});

export const SCENARIOS: Scenario[] = [
  {
    id: 'exitcodes',
    title: 'exit code in / out of exitcodes (0,2) for each autorestart value (startsecs=0)',
    programs: [
      { name: 'unexpected-in', mode: 'exit:2', keys: { ...exitcodes, autorestart: 'unexpected' } },
      { name: 'unexpected-out', mode: 'exit:3', keys: { ...exitcodes, autorestart: 'unexpected' } },
      { name: 'true-in', mode: 'exit:2', keys: { ...exitcodes, autorestart: 'true' } },
      { name: 'true-out', mode: 'exit:3', keys: { ...exitcodes, autorestart: 'true' } },
      { name: 'false-in', mode: 'exit:2', keys: { ...exitcodes, autorestart: 'false' } },
      { name: 'false-out', mode: 'exit:3', keys: { ...exitcodes, autorestart: 'false' } },
    ],
    steps: [{ do: 'settle', seconds: 5 }],
    measures: [
      restarted('unexpected-in', false),
      { what: 'state', proc: 'unexpected-in', key: 'exitcodes', expect: 'EXITED' },
      restarted('unexpected-out', true),
      restarted('true-in', true),
      restarted('true-out', true),
      restarted('false-in', false),
      { what: 'state', proc: 'false-in', key: 'autorestart', expect: 'EXITED' },
      restarted('false-out', false),
      { what: 'state', proc: 'false-out', key: 'autorestart', expect: 'EXITED' },
    ],
  },
  {
    id: 'signal-death',
    title: 'death by signal (the program kills itself; startsecs=0)',
    programs: [
      { name: 'term-unexpected', mode: 'kill:TERM', keys: { startsecs: '0' } },
      { name: 'kill-unexpected', mode: 'kill:KILL', keys: { startsecs: '0' } },
      {
        name: 'term-false',
        mode: 'kill:TERM',
        keys: { startsecs: '0', autorestart: 'false' },
      },
    ],
    steps: [{ do: 'settle', seconds: 5 }],
    measures: [
      restarted('term-unexpected', true),
      restarted('kill-unexpected', true),
      restarted('term-false', false),
      {
        what: 'state',
        proc: 'term-false',
        key: 'autorestart',
        expect: 'EXITED',
        facade: "the backend's mapping of a death by signal to a state",
      },
    ],
  },
  {
    id: 'fast-failure',
    title: 'fast failure before startsecs until FATAL (startsecs=3, startretries=2)',
    // startsecs=3, not 1: with 1, supervisord itself on this loaded machine counted
    // some at-once deaths as RUNNING (7 starts, never FATAL); its loop checks
    // startsecs before it reaps, and a late loop sees a dead child past startsecs
    programs: [{ name: 'fail', mode: 'fail', keys: { startsecs: '3', startretries: '2' } }],
    steps: [{ do: 'settle', seconds: 10 }],
    measures: [
      { what: 'state', proc: 'fail', key: 'startretries', expect: 'FATAL' },
      { what: 'starts', proc: 'fail', key: 'startretries', expect: '3' },
      { what: 'gaps', proc: 'fail', key: 'startsecs' },
    ],
  },
  {
    id: 'stopsignal',
    title: 'the stop signal the program receives',
    programs: [
      { name: 'usr1', mode: 'trap', keys: { startsecs: '1', stopsignal: 'USR1' } },
      { name: 'int', mode: 'trap', keys: { startsecs: '1', stopsignal: 'INT' } },
      { name: 'default', mode: 'trap', keys: { startsecs: '1' } },
    ],
    steps: [
      { do: 'wait', procs: ['usr1', 'int', 'default'], states: ['RUNNING'] },
      { do: 'stop', procs: ['usr1', 'int', 'default'] },
    ],
    measures: [
      { what: 'signal', proc: 'usr1', key: 'stopsignal', expect: 'USR1' },
      { what: 'signal', proc: 'int', key: 'stopsignal', expect: 'INT' },
      { what: 'signal', proc: 'default', key: 'stopsignal', expect: 'TERM' },
      { what: 'state', proc: 'usr1', key: 'stopsignal', expect: 'STOPPED' },
    ],
  },
  {
    id: 'stopwaitsecs',
    title: 'SIGKILL after stopwaitsecs=2 (the program ignores SIGTERM)',
    programs: [{ name: 'stubborn', mode: 'ignore', keys: { startsecs: '1', stopwaitsecs: '2' } }],
    steps: [
      { do: 'wait', procs: ['stubborn'], states: ['RUNNING'] },
      { do: 'stop', procs: ['stubborn'] },
    ],
    measures: [
      { what: 'signal', proc: 'stubborn', key: 'stopsignal', expect: 'TERM' },
      { what: 'stopSecs', proc: 'stubborn', key: 'stopwaitsecs', expect: [1.5, 4.5] },
      { what: 'state', proc: 'stubborn', key: 'stopwaitsecs', expect: 'STOPPED' },
    ],
  },
  {
    id: 'kill-group',
    title:
      'stopasgroup / killasgroup with a forked child (stopwaitsecs=2; stopasgroup=true with killasgroup=false is refused by supervisord)',
    programs: [
      {
        name: 'sg-no-kg-no',
        mode: 'child',
        keys: { startsecs: '1', stopwaitsecs: '2' },
      },
      {
        name: 'sg-no-kg-yes',
        mode: 'child',
        keys: { startsecs: '1', stopwaitsecs: '2', killasgroup: 'true' },
      },
      {
        name: 'sg-yes-kg-yes',
        mode: 'child',
        keys: { startsecs: '1', stopwaitsecs: '2', stopasgroup: 'true', killasgroup: 'true' },
      },
      {
        name: 'stubborn-kg-yes',
        mode: 'stubborn',
        keys: { startsecs: '1', stopwaitsecs: '2', killasgroup: 'true' },
      },
      {
        name: 'stubborn-kg-no',
        mode: 'stubborn',
        keys: { startsecs: '1', stopwaitsecs: '2' },
      },
    ],
    steps: [
      {
        do: 'wait',
        procs: [
          'sg-no-kg-no',
          'sg-no-kg-yes',
          'sg-yes-kg-yes',
          'stubborn-kg-yes',
          'stubborn-kg-no',
        ],
        states: ['RUNNING'],
      },
      {
        do: 'stop',
        procs: [
          'sg-no-kg-no',
          'sg-no-kg-yes',
          'sg-yes-kg-yes',
          'stubborn-kg-yes',
          'stubborn-kg-no',
        ],
      },
    ],
    measures: [
      { what: 'childSignal', proc: 'sg-no-kg-no', key: 'stopasgroup', expect: 'none' },
      { what: 'childAlive', proc: 'sg-no-kg-no', key: 'stopasgroup', expect: 'yes' },
      { what: 'childSignal', proc: 'sg-no-kg-yes', key: 'killasgroup', expect: 'none' },
      { what: 'childAlive', proc: 'sg-no-kg-yes', key: 'killasgroup', expect: 'yes' },
      { what: 'childSignal', proc: 'sg-yes-kg-yes', key: 'stopasgroup', expect: 'TERM' },
      { what: 'childAlive', proc: 'sg-yes-kg-yes', key: 'stopasgroup', expect: 'no' },
      { what: 'childSignal', proc: 'stubborn-kg-yes', key: 'killasgroup', expect: 'none' },
      { what: 'childAlive', proc: 'stubborn-kg-yes', key: 'killasgroup', expect: 'no' },
      { what: 'childSignal', proc: 'stubborn-kg-no', key: 'killasgroup', expect: 'none' },
      { what: 'childAlive', proc: 'stubborn-kg-no', key: 'killasgroup', expect: 'yes' },
    ],
  },
  {
    id: 'process-setup',
    title: 'environment, directory and umask the program sees',
    programs: [
      {
        name: 'setup',
        mode: 'run',
        keys: {
          startsecs: '1',
          environment: 'FID_VAR="hello-fidelity"',
          directory: '/tmp',
          umask: '027',
        },
      },
    ],
    steps: [{ do: 'wait', procs: ['setup'], states: ['RUNNING'] }],
    measures: [
      { what: 'var', proc: 'setup', key: 'environment', expect: 'hello-fidelity' },
      { what: 'cwd', proc: 'setup', key: 'directory', expect: '/tmp' },
      { what: 'umask', proc: 'setup', key: 'umask', expect: '0027' },
    ],
  },
  {
    id: 'logs',
    title: 'stdout / stderr destinations and redirect_stderr, read back through the facade (tail)',
    programs: [
      {
        name: 'separate',
        mode: 'print',
        keys: {
          startsecs: '1',
          stdout_logfile: '@R@/separate.out',
          stderr_logfile: '@R@/separate.err',
        },
      },
      {
        name: 'redirected',
        mode: 'print',
        keys: { startsecs: '1', stdout_logfile: '@R@/redirected.out', redirect_stderr: 'true' },
      },
    ],
    steps: [
      { do: 'wait', procs: ['separate', 'redirected'], states: ['RUNNING'] },
      { do: 'settle', seconds: 1 },
    ],
    measures: [
      { what: 'stdout', proc: 'separate', key: 'stdout_logfile', expect: 'to-stdout|again-stdout' },
      { what: 'stderr', proc: 'separate', key: 'stderr_logfile', expect: 'to-stderr' },
      {
        what: 'stdout',
        proc: 'redirected',
        key: 'redirect_stderr',
        expect: 'to-stdout|to-stderr|again-stdout',
      },
      // supervisorctl tail NAME stderr: ERROR (no log file)
      { what: 'stderr', proc: 'redirected', key: 'redirect_stderr', expect: 'fault NOT_FOUND' },
    ],
  },
  {
    id: 'priority',
    title: 'start order by priority (30, 10, 20 in file order)',
    programs: [
      { name: 'p30', mode: 'run', keys: { startsecs: '1', priority: '30' } },
      { name: 'p10', mode: 'run', keys: { startsecs: '1', priority: '10' } },
      { name: 'p20', mode: 'run', keys: { startsecs: '1', priority: '20' } },
    ],
    steps: [{ do: 'wait', procs: ['p30', 'p10', 'p20'], states: ['RUNNING'] }],
    measures: [{ what: 'order', key: 'priority', expect: 'p10,p20,p30' }],
  },
  {
    id: 'autostart',
    title: 'autostart=false (then started by hand)',
    programs: [
      { name: 'manual', mode: 'run', keys: { startsecs: '1', autostart: 'false' } },
      { name: 'auto', mode: 'run', keys: { startsecs: '1' } },
    ],
    steps: [
      { do: 'wait', procs: ['auto'], states: ['RUNNING'] },
      { do: 'settle', seconds: 2 },
    ],
    measures: [
      { what: 'state', proc: 'manual', key: 'autostart', expect: 'STOPPED' },
      { what: 'starts', proc: 'manual', key: 'autostart', expect: '0' },
      { what: 'starts', proc: 'auto', key: 'autostart', expect: '1' },
    ],
  },
  {
    id: 'numprocs',
    title: 'numprocs=2 and %(process_num)s in process_name and command',
    programs: [
      {
        name: 'w',
        as: 'w_%(process_num)s',
        mode: 'run',
        keys: { startsecs: '1', numprocs: '2', process_name: '%(program_name)s_%(process_num)s' },
      },
    ],
    steps: [{ do: 'wait', procs: ['w:w_0', 'w:w_1'], states: ['RUNNING'] }],
    measures: [
      { what: 'namespecs', key: 'numprocs', expect: 'w:w_0,w:w_1' },
      { what: 'files', key: 'process_name', expect: 'w_0,w_1' },
    ],
  },
  {
    id: 'relaunch',
    title: 'crash → running again (autorestart=true, the first run exits 1 after 1.5 s)',
    programs: [{ name: 'crash', mode: 'crash1', keys: { startsecs: '1', autorestart: 'true' } }],
    steps: [
      { do: 'settle', seconds: 3 },
      { do: 'wait', procs: ['crash'], states: ['RUNNING'] },
    ],
    measures: [
      { what: 'restarted', proc: 'crash', key: 'autorestart', expect: 'yes' },
      { what: 'relaunch', proc: 'crash', key: 'autorestart' },
      { what: 'state', proc: 'crash', key: 'autorestart', expect: 'RUNNING' },
    ],
  },
];
