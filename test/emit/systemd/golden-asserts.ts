/**
 * What a systemd golden case is for, written in its input (podman quadlet's
 * style), checked beside the snapshot so a golden diff shows intent:
 *
 *   ; ## in NAME                          following lines look at PROJECT-NAME (NAME `.target`: PROJECT.target);
 *                                         by default the case's only .service file
 *   ; ## assert-key-is SECTION KEY VALUE  a KEY=VALUE line in [SECTION] (VALUE: the rest of the line)
 *   ; ## assert-key-missing SECTION KEY   no KEY= line in [SECTION]
 *   ; ## assert-file-missing NAME         PROJECT-NAME is not written
 *   ; ## assert-finding KEY FIDELITY      some finding on KEY has that fidelity
 */
import type { Finding } from '../../../src/model/finding.ts';
import type { EmittedFile } from '../../../src/emit/types.ts';

export interface Assertion {
  line: number;
  text: string;
  /** Why it fails, or null. */
  check(files: EmittedFile[], findings: Finding[]): string | null;
}

/** [section] → key → values, of one unit file. */
function sections(content: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let current = new Map<string, string[]>();
  for (const line of content.split('\n')) {
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      current = out.get(head[1]!) ?? new Map<string, string[]>();
      out.set(head[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq < 0) continue;
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

function fileNamed(project: string, name: string): string {
  return name.startsWith('.') ? `${project}${name}` : `${project}-${name}`;
}

/** The assertions written in a case's input; `project` prefixes the file names. */
export function parseAssertions(input: string, project: string): Assertion[] {
  const out: Assertion[] = [];
  let file: string | null = null;
  const unitOf = (file: string | null, files: EmittedFile[]): EmittedFile | string => {
    const services = files.filter((f) => f.path.endsWith('.service'));
    const want = file ?? (services.length === 1 ? services[0]!.path : null);
    if (want === null) return 'several .service files: name one with `; ## in NAME`';
    return files.find((f) => f.path === want) ?? `${want} is not written`;
  };
  input.split('\n').forEach((raw, i) => {
    const m = /^[;#]\s*## (\S+)\s*(.*)$/.exec(raw);
    if (!m) return;
    const [, verb, rest] = m as unknown as [string, string, string];
    const args = rest.split(/\s+/);
    const text = raw;
    const line = i + 1;
    const here = file;
    const inUnit =
      (f: (s: Map<string, Map<string, string[]>>) => string | null) =>
      (files: EmittedFile[]): string | null => {
        const u = unitOf(here, files);
        return typeof u === 'string' ? u : f(sections(u.content));
      };
    switch (verb) {
      case 'in':
        file = fileNamed(project, rest.trim());
        return;
      case 'assert-key-is': {
        const [section, key] = args;
        const value = rest.replace(/^\S+\s+\S+\s?/, '');
        out.push({
          line,
          text,
          check: inUnit((s) => {
            const got = s.get(section!)?.get(key!) ?? [];
            return got.includes(value) ? null : `${key}= in [${section}] is ${JSON.stringify(got)}`;
          }),
        });
        return;
      }
      case 'assert-key-missing': {
        const [section, key] = args;
        out.push({
          line,
          text,
          check: inUnit((s) => {
            const got = s.get(section!)?.get(key!);
            return got === undefined ? null : `${key}= in [${section}] is ${JSON.stringify(got)}`;
          }),
        });
        return;
      }
      case 'assert-file-missing': {
        const name = fileNamed(project, rest.trim());
        out.push({
          line,
          text,
          check: (files) => (files.some((f) => f.path === name) ? `${name} is written` : null),
        });
        return;
      }
      case 'assert-finding': {
        const [key, fidelity] = args;
        out.push({
          line,
          text,
          check: (_files, findings) => {
            const got = findings.filter((f) => f.key === key).map((f) => f.fidelity);
            return got.includes(fidelity as Finding['fidelity'])
              ? null
              : `findings on ${key}: ${got.join(', ') || 'none'}`;
          },
        });
        return;
      }
      default:
        throw new Error(`line ${line}: unknown golden assertion ${verb}`);
    }
  });
  return out;
}
