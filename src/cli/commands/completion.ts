/**
 * `supctl completion bash|zsh`: a completion script generated from the verb
 * table (verbs and each verb's options), and `supctl __complete names`, the
 * hidden verb the script runs for process names from the current backend.
 */
import yargs from 'yargs';
import type { Backend } from '../../control/types.ts';
import { ctlOptions, type AnyArgv } from '../options.ts';
import type { Verb } from '../verbs.ts';
import type { CtlIO } from './ctl-io.ts';

type Shell = 'bash' | 'zsh';

interface YargsOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[] | undefined>;
  boolean: string[];
}

/** A verb's name: the first word of its yargs command. */
const verbName = (v: Verb): string => v.command.split(' ')[0]!;

/** The positionals a yargs command names (`status [names..]` → names): not options. */
const positionals = (command: string): string[] =>
  [...command.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => m[1]!);

/** `--x` and `-x` for every option (and alias) a builder declares, sorted. */
function optionWords(
  builder: (y: AnyArgv) => AnyArgv,
  skip: readonly string[] = [],
): {
  all: string[];
  valued: string[];
} {
  // getOptions() is public in yargs 17 but missing from its types
  const o = (builder(yargs([])) as unknown as { getOptions(): YargsOptions }).getOptions();
  const flag = (k: string) => (k.length === 1 ? `-${k}` : `--${k}`);
  const names = (k: string) => [k, ...(o.alias[k] ?? [])];
  const keys = Object.keys(o.key).filter(
    (k) => k !== 'help' && k !== 'version' && !skip.includes(k),
  );
  const booleans = new Set(o.boolean);
  return {
    all: [...new Set([...keys.flatMap(names).map(flag), '--help'])].sort(),
    valued: [
      ...new Set(
        keys
          .filter((k) => !booleans.has(k))
          .flatMap(names)
          .map(flag),
      ),
    ].sort(),
  };
}

/** Verbs whose positionals are process names. */
const NAME_VERBS = new Set(['status', 'start', 'stop', 'restart', 'pid', 'signal', 'tail']);

interface Table {
  verbs: string[];
  /** verb → its options, as one space-separated word list. */
  options: [string, string][];
  nameVerbs: string[];
  /** Options to pass on to `__complete names` (they pick the backend and project). */
  forward: string[];
}

function table(verbs: readonly Verb[]): Table {
  const shown = verbs.filter((v) => v.hidden !== true);
  return {
    verbs: shown.map(verbName),
    options: shown.map((v) => [
      verbName(v),
      optionWords(v.builder, positionals(v.command)).all.join(' '),
    ]),
    nameVerbs: shown.map(verbName).filter((n) => NAME_VERBS.has(n)),
    forward: optionWords(ctlOptions).valued,
  };
}

/** Words put into the script: verb and option names only (letters, digits, - and _). */
function checkWords(t: Table): void {
  const words = [...t.verbs, ...t.forward, ...t.options.flatMap(([, o]) => o.split(' '))];
  for (const w of words) {
    if (!/^-{0,2}[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(w)) {
      throw new Error(`completion: unexpected word in the verb table: ${JSON.stringify(w)}`);
    }
  }
}

export function completionScript(shell: Shell, verbs: readonly Verb[]): string {
  const t = table(verbs);
  checkWords(t);
  return shell === 'bash' ? bashScript(t) : zshScript(t);
}

function bashScript(t: Table): string {
  const cases = t.options.map(([v, o]) => `    ${v}) opts="${o}" ;;`).join('\n');
  return `# supctl bash completion: eval "$(supctl completion bash)" (or save it in /etc/bash_completion.d/supctl)
_supctl_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" verbs="${t.verbs.join(' ')}" verb="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case " $verbs " in *" \${COMP_WORDS[i]} "*) verb="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [[ -z $verb ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$verbs" -- "$cur")
    return 0
  fi
  local opts=""
  case $verb in
${cases}
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return 0
  fi
  case $verb in
    ${t.nameVerbs.join('|')})
      # the options that pick the backend and project go to __complete
      local args=() j
      for ((j = 1; j < COMP_CWORD - 1; j++)); do
        case \${COMP_WORDS[j]} in ${t.forward.join('|')}) args+=("\${COMP_WORDS[j]}" "\${COMP_WORDS[j + 1]}") ;; esac
      done
      # names hold ':', a word break for bash: match the whole word, reply with what follows its last ':'
      local whole="\${COMP_LINE:0:COMP_POINT}"
      whole="\${whole##*[[:space:]]}"
      local names
      names="$("\${COMP_WORDS[0]}" __complete names "\${args[@]}" 2>/dev/null)"
      # read, not compgen -W: a name is never expanded as shell words
      local n
      COMPREPLY=()
      while IFS= read -r n; do [[ -n $n && $n == "$whole"* ]] && COMPREPLY+=("$n"); done <<<"$names"
      if [[ $whole == *:* ]]; then
        local prefix="\${whole%"\${whole##*:}"}"
        COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
      fi
      ;;
    *) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
  esac
  return 0
}
complete -F _supctl_complete supctl supervisorctl
`;
}

function zshScript(t: Table): string {
  const cases = t.options.map(([v, o]) => `    ${v}) opts=(${o}) ;;`).join('\n');
  return `#compdef supctl supervisorctl
# supctl zsh completion: eval "$(supctl completion zsh)" (after compinit), or save it as _supctl in $fpath
_supctl() {
  local -a verbs opts args names
  verbs=(${t.verbs.join(' ')})
  local verb="" i
  for ((i = 2; i < CURRENT; i++)); do
    if (( \${verbs[(Ie)\${words[i]}]} )); then verb=\${words[i]}; break; fi
  done
  if [[ -z $verb ]]; then
    compadd -- $verbs
    return
  fi
  case $verb in
${cases}
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
    return
  fi
  case $verb in
    ${t.nameVerbs.join('|')})
      for ((i = 2; i < CURRENT - 1; i++)); do
        case \${words[i]} in ${t.forward.join('|')}) args+=(\${words[i]} \${words[i+1]}) ;; esac
      done
      names=(\${(f)"$(\${words[1]} __complete names $args 2>/dev/null)"})
      compadd -- $names
      ;;
    *) _files ;;
  esac
}
if [[ \${funcstack[1]} == _supctl ]]; then _supctl "$@"; else compdef _supctl supctl supervisorctl; fi
`;
}

/** `__complete names`: every namespec and GROUP:* the backend has, one a line. */
export async function completeNames(b: Backend, io: CtlIO): Promise<number> {
  const all = await b.list();
  const out = new Set<string>();
  for (const p of all) {
    out.add(p.namespec);
    if (p.namespec.includes(':')) out.add(`${p.group}:*`);
  }
  for (const n of [...out].sort()) io.out(n);
  return 0;
}
