/**
 * `supctl` with no verb on a terminal: supervisorctl's interactive shell.
 * Same verbs, `help [verb]`, `quit`/`exit` (or EOF); always exits 0, as
 * supervisorctl's interactive mode. Errors of one command are printed and the
 * shell goes on.
 */
import { createInterface } from 'node:readline';
import type { Backend } from '../../control/types.ts';
import { exitCodeFor, messageFor } from '../errors.ts';
import { loadForCli } from './load.ts';
import type { CtlGlobals } from './control.ts';
import {
  ctlApply,
  ctlAvail,
  ctlPid,
  ctlReread,
  ctlSignal,
  ctlStartStop,
  ctlStatus,
  ctlTail,
  type CtlIO,
} from './ctl.ts';

export const SHELL_HELP: Record<string, string> = {
  status: 'status [<name>|<gname>:*|all ...]\tGet process status info',
  start: 'start <name>|<gname>:*|all ...\tStart processes',
  stop: 'stop <name>|<gname>:*|all ...\tStop processes',
  restart: 'restart <name>|<gname>:*|all ...\tRestart processes (stop, then start)',
  signal: 'signal <sig> <name>|<gname>:*|all ...\tSignal processes',
  tail: 'tail [-f|-N] <name> [stdout|stderr]\tOutput the last part of process logs',
  pid: 'pid [<name>|all ...]\tPrint the pid of processes',
  avail: 'avail\t\t\tDisplay all configured processes',
  reread: 'reread <file>\t\tShow what update would change',
  update: 'update <file>\t\tApply only what changed in <file>',
  help: 'help [<verb>]\t\tPrint help',
  quit: 'quit|exit\t\tExit the supctl shell',
};

/**
 * Runs one shell line against an open backend. Returns the verb's exit
 * status (ignored by the shell, used by tests) or 'quit'.
 */
export async function runShellLine(
  b: Backend,
  line: string,
  io: CtlIO,
  g: CtlGlobals & { project?: string | undefined },
  signal?: AbortSignal,
): Promise<number | 'quit'> {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  if (verb === undefined) return 0;
  switch (verb) {
    case 'quit':
    case 'exit':
    case 'EOF':
      return 'quit';
    case 'help':
    case '?': {
      const topic = args[0];
      if (topic !== undefined && SHELL_HELP[topic] !== undefined) io.out(SHELL_HELP[topic]);
      else {
        io.out('');
        io.out('default commands (type help <topic>):');
        io.out('=====================================');
        io.out(Object.keys(SHELL_HELP).sort().join('  '));
        io.out('');
      }
      return 0;
    }
    case 'status':
      return ctlStatus(b, args, io);
    case 'start':
    case 'stop':
    case 'restart':
      return ctlStartStop(b, verb, args, io);
    case 'signal':
      return ctlSignal(b, args, io);
    case 'pid':
      return ctlPid(b, args, io);
    case 'avail':
      return ctlAvail(b, io);
    case 'tail':
      // `tail -f` ends with Ctrl-C (runShell aborts `signal`)
      return ctlTail(b, { follow: false, words: args, ...(signal ? { signal } : {}) }, io);
    case 'reread':
    case 'update': {
      const file = args[0];
      if (file === undefined) {
        io.out(`Error: ${verb} needs the config file: ${verb} <file>`);
        return 1;
      }
      const d = loadForCli(file, [], undefined);
      if (verb === 'reread') return ctlReread(b, d, io);
      return ctlApply(b, d, io, {
        onlyChanges: true,
        dryRun: false,
        project: g.project ?? '(project)',
      });
    }
    default:
      io.out(`*** Unknown syntax: ${line.trim()}`);
      return 1;
  }
}

export async function runShell(
  b: Backend,
  io: CtlIO,
  g: CtlGlobals & { project?: string },
): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'supctl> ' });
  // supervisorctl prints the status table first
  try {
    await ctlStatus(b, [], io);
  } catch (err) {
    io.err(`supctl: ${messageFor(err)}`);
  }
  // Ctrl-C ends a running `tail -f`; at the prompt it leaves the shell
  let current: AbortController | null = null;
  rl.on('SIGINT', () => {
    if (current !== null) current.abort();
    else rl.close();
  });
  rl.prompt();
  for await (const line of rl) {
    let r: number | 'quit';
    current = new AbortController();
    try {
      r = await runShellLine(b, line, io, g, current.signal);
    } catch (err) {
      io.err(`supctl: ${messageFor(err)}`);
      void exitCodeFor(err);
      r = 1;
    }
    current = null;
    if (r === 'quit') break;
    rl.prompt();
  }
  rl.close();
  return 0;
}
