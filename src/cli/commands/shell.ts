/**
 * `supctl` with no verb on a terminal: supervisorctl's interactive shell.
 * The verb table's shell verbs, `help [verb]`, `quit`/`exit` (or EOF);
 * always exits 0, as supervisorctl's interactive mode. Errors of one command
 * are printed and the shell goes on.
 */
import { createInterface } from 'node:readline';
import type { Backend } from '../../control/types.ts';
import { messageFor } from '../errors.ts';
import { VERBS, type ShellContext } from '../verbs.ts';
import { ctlStatus } from './ctl-show.ts';
import type { CtlIO } from './ctl-io.ts';

/** The shell's own commands, beside the table's verbs. */
const BUILTIN_HELP: Record<string, string> = {
  help: 'help [<verb>]\t\tPrint help',
  quit: 'quit|exit\t\tExit the supctl shell',
};

const verbName = (command: string): string => command.split(' ')[0]!;

/** `help <topic>` lines: every shell verb of the table, and the builtins. */
function shellHelp(): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of VERBS) if (v.shell) m.set(verbName(v.command), v.shell.help);
  for (const [k, h] of Object.entries(BUILTIN_HELP)) m.set(k, h);
  return m;
}

/**
 * Runs one shell line against an open backend. Returns the verb's exit
 * status (ignored by the shell, used by tests) or 'quit'.
 */
export async function runShellLine(
  b: Backend,
  line: string,
  io: CtlIO,
  project?: string,
  signal?: AbortSignal,
  configFile?: string,
  more: Pick<ShellContext, 'readLine' | 'openServer'> = {},
): Promise<number | 'quit'> {
  const [verb, ...args] = line.trim().split(/\s+/).filter(Boolean);
  if (verb === undefined) return 0;
  if (verb === 'quit' || verb === 'exit' || verb === 'EOF') return 'quit';
  if (verb === 'help' || verb === '?') {
    const help = shellHelp();
    const topic = args[0] === undefined ? undefined : help.get(args[0]);
    if (topic !== undefined) io.out(topic);
    else {
      io.out('');
      io.out('default commands (type help <topic>):');
      io.out('=====================================');
      io.out([...help.keys()].sort().join('  '));
      io.out('');
    }
    return 0;
  }
  const v = VERBS.find((x) => x.shell !== undefined && verbName(x.command) === verb);
  if (v?.shell === undefined) {
    io.out(`*** Unknown syntax: ${line.trim()}`);
    return 1;
  }
  const c: ShellContext = { backend: b, io, project, signal, configFile, ...more };
  return v.shell.run(c, args);
}

/**
 * `prompt`: supctl's own, or supervisorctl's `supervisor` when invoked as
 * supervisorctl, whose scripts may read the prompt off a pipe.
 */
export async function runShell(
  first: Backend,
  io: CtlIO,
  project?: string,
  prompt = 'supctl',
  configFile?: string,
): Promise<number> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: `${prompt}> `,
    terminal: process.stdin.isTTY && process.stdout.isTTY,
  });
  // iterate from now on: lines piped in while the status table prints are kept
  const lines = rl[Symbol.asyncIterator]();
  let b = first;
  const more: Pick<ShellContext, 'readLine' | 'openServer'> = {
    // shutdown/reload's question and fg's input are the shell's next lines
    readLine: async (question) => {
      if (question !== undefined) process.stdout.write(question);
      const n = await lines.next();
      return n.done === true ? null : n.value;
    },
    openServer: async (url) => {
      const { open } = await import('../../control/supervisord/open.ts');
      const env: Record<string, string> = {};
      for (const k of ['SUPCTL_USERNAME', 'SUPCTL_PASSWORD']) {
        const v = process.env[k];
        if (v) env[k] = v;
      }
      const next = await open({
        project: undefined,
        timeoutMs: undefined,
        options: { serverurl: url },
        env,
      });
      // the caller closes `first`; a server opened here is closed when replaced
      if (b !== first) await b.close().catch(() => undefined);
      b = next;
      return next;
    },
  };
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
  for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
    const line = next.value;
    let r: number | 'quit';
    current = new AbortController();
    try {
      r = await runShellLine(b, line, io, project, current.signal, configFile, more);
    } catch (err) {
      io.err(`supctl: ${messageFor(err)}`);
      r = 1;
    }
    current = null;
    if (r === 'quit') {
      rl.close();
      if (b !== first) await b.close().catch(() => undefined);
      return 0;
    }
    rl.prompt();
  }
  // end of input: supervisorctl's do_EOF ends the prompt's line
  io.out('');
  rl.close();
  if (b !== first) await b.close().catch(() => undefined);
  return 0;
}
