/**
 * supervisorctl 4.2.5's verbs about supervisord itself: clear, maintail,
 * shutdown, reload, open, fg (supervisorctl.py do_clear, do_maintail,
 * do_shutdown, do_reload, do_open, do_fg): their lines and exit statuses
 * over any backend; src/control/stack/daemon.ts says what each means
 * where no supervisord runs the programs.
 */
import { formatActionResult } from '../../control/format.ts';
import { splitNamespec } from '../../control/names.ts';
import { clearLogs, daemonVerb, mainLogOf, stdinOf } from '../../control/stack/daemon.ts';
import { BackendError, type Backend, type ProcessStatus } from '../../control/types.ts';
import { CTL_EXIT } from '../errors.ts';
import { printJson, type CtlIO } from './ctl-io.ts';
import { ctlStatus } from './ctl-show.ts';
import { DAEMON_HELP as HELP } from '../verbs-daemon.ts';

/** The shell's (or the one-shot's) next line of input; null at its end. */
type ReadLine = (prompt?: string) => Promise<string | null>;

function usage(io: CtlIO, line: string, verb: keyof typeof HELP): number {
  io.out(line);
  for (const l of HELP[verb]) io.out(l);
  return CTL_EXIT.generic;
}

export async function ctlClear(b: Backend, names: string[], io: CtlIO): Promise<number> {
  if (names.length === 0) return usage(io, 'Error: clear requires a process name', 'clear');
  const results = await clearLogs(b, names);
  if (io.json) printJson(io, results);
  for (const r of results) {
    if (io.json) break;
    io.out(
      r.outcome === 'cleared' ? `${r.namespec}: cleared` : `${r.namespec}: ERROR (${r.outcome})`,
    );
    // supervisorctl's line stays as it is; why a log cannot be cleared goes to stderr
    if (r.why !== undefined) io.err(`supctl: ${r.namespec}: ${r.why}`);
  }
  return results.every((r) => r.outcome === 'cleared') ? CTL_EXIT.ok : CTL_EXIT.generic;
}

export async function ctlMaintail(
  b: Backend,
  args: string[],
  io: CtlIO,
  signal?: AbortSignal,
): Promise<number> {
  if (args.length > 1) return usage(io, 'Error: too many arguments', 'maintail');
  let bytes = 1600;
  let follow = false;
  const a = args[0];
  if (a !== undefined) {
    if (a === '-f') follow = true;
    else if (/^-\d+$/.test(a)) bytes = Number(a.slice(1));
    else {
      io.out(`Error: bad argument ${a}`);
      return CTL_EXIT.generic;
    }
  }
  const read = mainLogOf(b);
  if (read === undefined) {
    io.out(
      "Error: maintail reads supervisord's own log, and no supervisord runs these programs: systemd logs what it does with them to the journal (journalctl [--user] -u UNIT), dockerd its events (docker events)",
    );
    return CTL_EXIT.generic;
  }
  try {
    await read({ bytes, follow, signal }, (c) => io.write(c));
  } catch (e) {
    if (!(e instanceof BackendError) || !e.message.startsWith('supervisord: ERROR (')) throw e;
    io.out(e.message);
    return CTL_EXIT.generic;
  }
  // output() ends the text with a newline; a follow streams raw
  if (!follow) io.write('\n');
  return CTL_EXIT.ok;
}

const QUESTION = {
  shutdown: 'Really shut the remote supervisord process down y/N? ',
  reload: 'Really restart the remote supervisord process y/N? ',
} as const;

/** shutdown / reload; `ask` is the interactive shell's question (the one-shot asks nothing). */
export async function ctlDaemon(
  b: Backend,
  verb: 'shutdown' | 'reload',
  args: string[],
  io: CtlIO,
  ask?: ReadLine,
): Promise<number> {
  if (args.length > 0) return usage(io, `Error: ${verb} accepts no arguments`, verb);
  if (ask !== undefined && !((await ask(QUESTION[verb])) ?? '').toLowerCase().startsWith('y')) {
    return CTL_EXIT.ok;
  }
  let out;
  try {
    out = await daemonVerb(b, verb);
  } catch (e) {
    // supervisorctl's shutdown of a daemon that is gone already
    if (verb === 'shutdown' && e instanceof BackendError && e.code === 'UNREACHABLE') {
      if (/ (refused connection|no such file)$/.test(e.message)) {
        io.out(`ERROR: ${e.message} (already shut down?)`);
        return CTL_EXIT.generic;
      }
    }
    throw e;
  }
  for (const r of out.failed) io.out(formatActionResult(verb === 'shutdown' ? 'stop' : 'start', r));
  if (out.shuttingDown) {
    io.out('ERROR: already shutting down');
    // supervisorctl: exit 0 for shutdown, 1 for reload
    if (verb === 'reload') return CTL_EXIT.generic;
  } else if (out.failed.length === 0) {
    io.out(verb === 'shutdown' ? 'Shut down' : 'Restarted supervisord');
  }
  return out.failed.length > 0 ? CTL_EXIT.generic : CTL_EXIT.ok;
}

/** open URL: supervisorctl checks the scheme, switches, and prints the status table (keeping the exit status). */
export async function ctlOpen(
  url: string,
  io: CtlIO,
  openAt: (url: string) => Promise<Backend>,
): Promise<number> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'unix' && scheme !== 'http') {
    io.out('ERROR: url must be http:// or unix://');
    return CTL_EXIT.generic;
  }
  const b = await openAt(url);
  await ctlStatus(b, [], io);
  return CTL_EXIT.ok;
}

const isRunning = async (b: Backend, p: ProcessStatus): Promise<boolean> =>
  (await b.list()).some((x) => x.namespec === p.namespec && x.state === 'RUNNING');

/**
 * fg NAME: follows the process's stdout and stderr and, where the backend
 * forwards stdin (supervisord's sendProcessStdin), sends each input line;
 * Ctrl-C (`signal`) or the end of input leaves. systemd and Docker do not
 * connect a program's stdin, so there fg only follows.
 */
export async function ctlFg(
  b: Backend,
  names: string[],
  io: CtlIO,
  signal: AbortSignal | undefined,
  readLine: ReadLine | undefined,
): Promise<number> {
  if (names.length === 0) return usage(io, 'ERROR: no process name supplied', 'fg');
  if (names.length > 1) {
    io.out('ERROR: too many process names supplied');
    return CTL_EXIT.generic;
  }
  const spec = splitNamespec(names[0]!);
  const p = (await b.list()).find((x) => x.group === spec.group && x.name === spec.process);
  if (p === undefined) {
    io.out('ERROR: bad process name supplied');
    return CTL_EXIT.generic;
  }
  if (p.state !== 'RUNNING') {
    io.out('ERROR: process not running');
    return CTL_EXIT.generic;
  }
  io.out('==> Press Ctrl-C to exit <==');
  const stop = new AbortController();
  const end = (): void => stop.abort();
  signal?.addEventListener('abort', end, { once: true });
  const sink = (c: Buffer): void => io.write(c);
  const tails = (['stdout', 'stderr'] as const).map((channel) =>
    b
      .logs(p, { channel, bytes: 0, follow: true, signal: stop.signal }, sink)
      .catch(() => undefined),
  );
  const send = stdinOf(b, p);
  try {
    if (send === undefined || readLine === undefined) {
      if (send === undefined)
        io.err(
          `supctl: fg ${p.namespec}: its backend does not forward input; following output only`,
        );
      await Promise.all(tails);
    } else {
      for (;;) {
        const line = await Promise.race([
          readLine(),
          new Promise<null>((r) =>
            stop.signal.addEventListener('abort', () => r(null), { once: true }),
          ),
        ]);
        if (line === null) break;
        if (!(await send(p.namespec, `${line}\n`)) || !(await isRunning(b, p))) {
          io.out('Process got killed');
          break;
        }
      }
    }
  } finally {
    stop.abort();
    signal?.removeEventListener('abort', end);
    await Promise.all(tails);
  }
  io.out('Exiting foreground');
  return CTL_EXIT.ok;
}
