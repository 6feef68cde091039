/**
 * systemd quoting, ported from systemd 252 (systemd.syntax(7),
 * systemd.service(5) "Command lines", systemd.unit(5) specifiers,
 * systemd-escape(1)). Every function here is proven against the real
 * manager by test/integration/systemd-roundtrip.test.ts.
 */
import { createHash } from 'node:crypto';

/**
 * Marks the place of the template instance inside a value that is still to
 * be escaped; the escapers turn it into the `%i` specifier. NUL can never
 * occur in a value read from a config file.
 */
export const INSTANCE = '\u0000';

/**
 * Thrown when a value cannot be written into a unit file at all. The key
 * table puts the value's origin (`FILE:LINE: [SECTION] KEY: `) in front.
 */
export class UnitSyntaxError extends Error {
  override readonly name = 'UnitSyntaxError';
}

/**
 * What systemd reads differently from what was written on one line: a line
 * break ends the directive, NUL cannot be stored, and a trailing backslash
 * joins the next line (systemd.syntax(7)). Every directive value passes this.
 */
function lineProblem(value: string): string | null {
  if (/[\n\r]/.test(value)) return 'holds a line break';
  if (value.includes('\u0000')) return 'holds a NUL character';
  if (value.endsWith('\\'))
    return 'ends in a backslash, which systemd reads as a line continuation';
  return null;
}

/** One directive value as it goes into a file, refused when systemd would read it differently. */
export function checkedValue(key: string, value: string): string {
  const why = lineProblem(value);
  if (why !== null) throw new UnitSyntaxError(`${key}= value ${why}`);
  return value;
}

/**
 * Free text for Description= and comment lines: written as it is when
 * plain, else as a JSON string (quotes and escapes shown literally), so no
 * backslash, control character or edge space of a name reaches the file raw.
 */
export function freeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\\\u0000-\u001f\u007f\u0085\u2028\u2029]|^\s|\s$/.test(s) ? JSON.stringify(s) : s;
}

const C_ESCAPES: Record<string, string> = {
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\v': '\\v',
  '\f': '\\f',
  '\b': '\\b',
  '\u0007': '\\a',
};

/** C-style escape for the inside of a double-quoted systemd word. */
function cEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (C_ESCAPES[ch] !== undefined) out += C_ESCAPES[ch];
    else if (ch === INSTANCE) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** `%` → `%%` (specifiers), keeping INSTANCE markers as `%i`. */
export function escapeSpecifiers(s: string): string {
  return s.replace(/%/g, '%%').split(INSTANCE).join('%i');
}

/**
 * One argument of ExecStart=: double-quoted, C-escaped, `%`→`%%`,
 * `$`→`$$`. A word that is exactly `;` is written `\;` (an unquoted `;` would
 * separate commands).
 */
export function quoteExecArg(arg: string): string {
  if (arg === ';') return '\\;';
  return `"${escapeSpecifiers(cEscape(arg)).replace(/\$/g, '$$$$')}"`;
}

/**
 * The whole ExecStart= value. `path` is the file systemd executes (absolute);
 * when it differs from argv[0] the `@` prefix passes argv[0] unchanged, as
 * supervisor's execve(filename, argv) does.
 */
export function execLine(path: string, argv: string[]): string {
  if (argv.length === 0) throw new UnitSyntaxError('empty command');
  const [argv0, ...rest] = argv as [string, ...string[]];
  const words =
    path === argv0
      ? [quoteExecArg(path), ...rest.map(quoteExecArg)]
      : [`@${quoteExecArg(path)}`, quoteExecArg(argv0), ...rest.map(quoteExecArg)];
  return words.join(' ');
}

/**
 * `Environment="K=v"`: quoted, C-escaped, `%`→`%%`. `$` is not special in
 * Environment= (systemd.exec(5)).
 */
export function environmentAssignment(name: string, value: string): string {
  return `"${escapeSpecifiers(cEscape(`${name}=${value}`))}"`;
}

/**
 * One line of an EnvironmentFile=: `K="v"` with `\`, `"`, `` ` `` and `$`
 * backslash-escaped (the file parser's double-quote escapes); newlines may
 * stay literal inside double quotes. systemd 252 expands neither specifiers
 * nor `$VAR` in environment files (proven by the round-trip test).
 */
export function envFileLine(name: string, value: string): string {
  return `${name}="${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** A name systemd accepts in Environment=/EnvironmentFile= and that a shell could export. */
export function isValidEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * A plain word for a directive value that must not be quoted (paths in
 * WorkingDirectory=, StandardOutput=append:…): specifiers escaped, and
 * rejected when it holds characters systemd would read differently.
 */
export function escapePathValue(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(path)) {
    throw new UnitSyntaxError(`path ${JSON.stringify(path)} holds control characters`);
  }
  if (path.endsWith('\\')) {
    throw new UnitSyntaxError(
      `path ${JSON.stringify(path)} ends in a backslash, which systemd reads as a line continuation`,
    );
  }
  if (path !== path.trim()) {
    throw new UnitSyntaxError(
      `path ${JSON.stringify(path)} begins or ends with white space, which systemd strips`,
    );
  }
  if (Buffer.byteLength(path) >= PATH_MAX) {
    throw new UnitSyntaxError(
      `a path of ${Buffer.byteLength(path)} bytes is longer than systemd accepts (PATH_MAX ${PATH_MAX}: it would ignore the directive)`,
    );
  }
  return escapeSpecifiers(path);
}

/**
 * systemd-escape(1) of one string (not --path): `/`→`-`; alnum, `:`, `_`
 * and `.` kept (a leading `.` escaped); anything else `\xNN` per UTF-8 byte.
 */
export function systemdEscape(s: string): string {
  let out = '';
  const bytes = Buffer.from(s, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const c = String.fromCharCode(b);
    if (c === '/') out += '-';
    else if (b < 0x80 && /[A-Za-z0-9:_]/.test(c)) out += c;
    else if (c === '.' && i > 0) out += c;
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * A component of a unit name: systemd-escape's rules, except that `-` is
 * kept. `-` is legal in unit names; systemd-escape only escapes it so that
 * a *path* can round-trip (`-` stands for `/`), and program names cannot hold
 * `/`. Keeping it keeps `bklog-api` typeable. Injective: `\` itself is
 * escaped, so distinct names give distinct components.
 */
export function unitNameComponent(s: string): string {
  return systemdEscape(s).replace(/\\x2d/g, '-');
}

/**
 * The project's part of a unit name: systemd-escape's rules, `-` included,
 * so the first `-` of a unit name always ends the project and no two
 * (project, program) pairs share a unit name (`a` + `b-c` is `a-b-c`,
 * `a-b` + `c` is `a\x2db-c`). Default project names use `_`, never `-`.
 */
export function projectComponent(project: string): string {
  const c = systemdEscape(project);
  if (c.length > PROJECT_COMPONENT_MAX) {
    throw new UnitSyntaxError(
      `project name ${JSON.stringify(project.slice(0, 80))} is too long for unit names (at most ${PROJECT_COMPONENT_MAX} characters once escaped)`,
    );
  }
  return c;
}

/** Linux's PATH_MAX, NUL included: systemd ignores a longer path (measured: WorkingDirectory= was dropped). */
const PATH_MAX = 4096;

/** Longest unit name systemd accepts, suffix included (UNIT_NAME_MAX). */
const UNIT_NAME_MAX = 255;
/** A project's escaped name stays short, so a long program name is what gets cut. */
const PROJECT_COMPONENT_MAX = 64;
/** `<unit>.d/` holds a unit's environment file: its directory name must fit NAME_MAX too. */
const DROP_IN_SUFFIX = '.d';

/**
 * `PROJECT-NAME` + suffix, escaped; if it would not fit (with `.d` for its
 * drop-in directory), NAME is cut and an 8-hex hash of the full name is
 * appended, so the result stays stable and unique. `suffix` is e.g.
 * `.service` or `@.service`.
 */
export function unitName(project: string, name: string | null, suffix: string): string {
  const base =
    name === null
      ? projectComponent(project)
      : `${projectComponent(project)}-${unitNameComponent(name)}`;
  // room for the drop-in directory and the longest instance we create from a template
  const room =
    UNIT_NAME_MAX - DROP_IN_SUFFIX.length - suffix.length - (suffix.startsWith('@') ? 20 : 0);
  if (base.length <= room) return base + suffix;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 8);
  let cut = base.slice(0, room - 9);
  // never cut an escape sequence in half
  const esc = cut.lastIndexOf('\\');
  if (esc >= 0 && esc > cut.length - 4) cut = cut.slice(0, esc);
  return `${cut}-${hash}${suffix}`;
}

/** An octal mode or umask as systemd writes it: `0` and at least three digits. */
export function octal(n: number): string {
  return `0${n.toString(8).padStart(3, '0')}`;
}

/**
 * The common part of a program's units (`PROJECT-NAME`), short enough that
 * every name built on it fits: `.service`, `.socket`, `@.service` and
 * `@INSTANCE.service`, each with its `.d` drop-in directory.
 */
export function unitBase(project: string, name: string): string {
  const longest = '@.service';
  return unitName(project, name, longest).slice(0, -longest.length);
}
