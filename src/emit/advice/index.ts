/**
 * Migration advice: what the new runtime does better than a supervisord
 * idiom in the config. Findings of fidelity ADVICE, added to every
 * target's report; never a loss of fidelity (--strict ignores them) and
 * never a rewrite of what is written. One home for the rules:
 *  - a leading `sleep N` that waits for dependencies;
 *  - `sh -c` / `bash -c` whose last command is not exec'd;
 *  - `source FILE` / `. FILE` wrappers that load variables;
 *  - `%(ENV_X)s` values baked in at convert time.
 */
import type { Deployment } from '../../model/deployment.ts';
import type { Finding } from '../../model/finding.ts';
import { namespec } from '../../model/names.ts';
import type { Process } from '../../model/process.ts';
import { shellScript, topLevelCommands } from './shell.ts';

export type AdviceTarget = 'systemd' | 'compose' | 'kubernetes';

/** What each target offers instead, per idiom. */
const INSTEAD: Record<AdviceTarget, { wait: string; envFile: string; env: string }> = {
  systemd: {
    wait: "After= and Wants= (or Requires=) on the dependency's unit, or an ExecStartPre= that waits until it is ready",
    envFile: 'EnvironmentFile=',
    env: 'Environment= / the EnvironmentFile= on the target machine',
  },
  compose: {
    wait: 'depends_on with condition: service_healthy (a healthcheck on the dependency)',
    envFile: 'env_file:',
    env: "the compose file's ${X} interpolation or env_file:",
  },
  kubernetes: {
    wait: 'a readiness probe on the dependency and an init container that waits for it',
    envFile: 'a ConfigMap (envFrom)',
    env: 'a ConfigMap or Secret',
  },
};

const SLEEP = /^sleep\s+(\d+(?:\.\d+)?[smhd]?)$/;
/** Last commands that run no program to exec: shell builtins and the ends of compound commands. */
const NOT_A_PROGRAM = new Set(
  ['exit', 'return', 'wait', 'true', 'false', ':', 'echo', 'printf', 'cd', 'export', 'set'].concat([
    'trap',
    'source',
    '.',
    'read',
    'fi',
    'done',
    'esac',
    '}',
    ')',
    'exec',
  ]),
);
const SOURCE = /^(?:source|\.)\s+(\S+)$/;

/** The rules on one program's command (its first process speaks for all). */
function commandAdvice(p: Process, t: AdviceTarget): Omit<Finding, 'fidelity' | 'key'>[] {
  const script = shellScript(p.argv);
  // without a shell, supervisor execs the words itself: only a `sh -c` script has these idioms
  if (script === null) return [];
  const cmds = topLevelCommands(script);
  const out: string[] = [];
  const sleep = SLEEP.exec(cmds[0] ?? '');
  if (sleep !== null && cmds.length > 1) {
    out.push(
      `starts with \`sleep ${sleep[1]}\` to wait for its dependencies: instead of a fixed delay, ${INSTEAD[t].wait}`,
    );
  }
  const last = cmds.at(-1) ?? '';
  if (cmds.length > 1 && !/^exec\s/.test(last) && !NOT_A_PROGRAM.has(last.split(/\s/)[0]!)) {
    out.push(
      `the shell runs \`${last}\` as its child: the stop signal reaches the shell, not the program; write \`exec ${last}\` so the program receives it (with stopasgroup/killasgroup=true the whole group is signalled, which hides this but also kills the shell first)`,
    );
  }
  for (const c of cmds) {
    const m = SOURCE.exec(c);
    if (m === null) continue;
    out.push(
      `loads \`${m[1]}\` through the shell: if that file only sets variables, ${INSTEAD[t].envFile} gives them to the program without a wrapper shell`,
    );
  }
  return out.map((message) => ({ message }));
}

/** Every piece of advice for `d` on target `t`, one per program and idiom. */
export function adviceFindings(d: Deployment, t: AdviceTarget): Finding[] {
  const findings: Finding[] = [];
  for (const g of d.groups) {
    const seen = new Set<string>();
    for (const p of g.processes) {
      // numprocs instances share their program's text: advise once per program
      if (seen.has(p.program)) continue;
      seen.add(p.program);
      const program = namespec(g.name, p.name);
      for (const a of commandAdvice(p, t)) {
        findings.push({
          fidelity: 'ADVICE',
          key: 'command',
          message: a.message,
          program,
          ...(p.origins.command ? { origin: p.origins.command } : {}),
        });
      }
      for (const [x, keys] of environByVariable(p)) {
        const origin = p.origins[keys[0] as keyof typeof p.origins];
        findings.push({
          fidelity: 'ADVICE',
          key: keys[0]!,
          message: `%(ENV_${x})s was expanded when converting, into ${keys.join(', ')}: the value of ${x} on this machine is baked in; on the target set it with ${INSTEAD[t].env} if it differs there`,
          program,
          ...(origin ? { origin } : {}),
        });
      }
    }
  }
  return findings;
}

/** X → the keys whose value expanded %(ENV_X)s, sorted. */
function environByVariable(p: Process): [string, string[]][] {
  const by = new Map<string, string[]>();
  const keys = Object.keys(p.environExpanded ?? {}).sort();
  for (const [key, xs] of keys.map((k) => [k, p.environExpanded![k]!] as const)) {
    for (const x of xs) by.set(x, [...(by.get(x) ?? []), key]);
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
