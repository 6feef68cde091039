/**
 * The INI dialect supervisor reads: Python 3.11 `RawConfigParser._read` with
 * supervisor's settings (inline_comment_prefixes=(';','#'), strict=False),
 * fed from a file opened in text mode (universal newlines).
 */
import { ConfigError } from './errors.ts';
import { isPySpace, pyRepr } from './pyprim.ts';
import { pyLower } from './pyunicode.ts';

export interface IniValue {
  /** The value as configparser stores it: stripped, continuation lines joined with '\n'. */
  value: string;
  /** 1-based line of the key. */
  line: number;
  /** The file that set this value (the last one, when a later file overrides it). */
  file: string;
}

export interface IniSection {
  /** Section name as written (case-sensitive). */
  name: string;
  /** The first file that defined the section (supervisor's `section_to_file`). */
  file: string;
  /** Line of the first header of this section in `file`. */
  line: number;
  /** Options by lower-cased key, in first-definition order. */
  options: Map<string, IniValue>;
}

export interface IniFile {
  /** The first file read. */
  file: string;
  /** Sections in first-definition order; `[DEFAULT]` is not among them. */
  sections: Map<string, IniSection>;
  /** `[DEFAULT]`, whose options every section falls back to. */
  defaults: IniSection | null;
}

/** configparser's DEFAULTSECT. */
const DEFAULT_SECTION = 'DEFAULT';

/** Python 3.11 RawConfigParser(inline_comment_prefixes=(';','#'), strict=False) `_read` on one file's text. Throws ConfigError E_SYNTAX (file, line). */
export function parseIni(text: string, file: string): IniFile {
  const ini: IniFile = { file, sections: new Map(), defaults: null };
  new IniReader(ini, file).read(text);
  return ini;
}

/**
 * Decodes a config file's bytes as Python's open() does in a UTF-8 locale:
 * strict UTF-8 and a byte-order mark is kept (configparser then rejects it:
 * a line starting with U+FEFF is not a section header).
 */
export function decodeConfigText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (err) {
    throw new ConfigError(
      'E_READ',
      "'utf-8' codec can't decode the file",
      { file },
      { cause: err },
    );
  }
}

/**
 * Finds occurrences of one character in a text at ever-increasing positions,
 * remembering the last answer: scanning a whole file costs one pass per
 * character, however many lines ask.
 */
class Finder {
  private at = -1;

  constructor(
    private readonly text: string,
    private readonly ch: string,
  ) {}

  /** The first index >= from holding the character, or Infinity. */
  next(from: number): number {
    if (this.at >= from) return this.at;
    if (this.at === Infinity) return Infinity;
    const i = this.text.indexOf(this.ch, from);
    this.at = i < 0 ? Infinity : i;
    return this.at;
  }
}

class IniReader {
  private section: IniSection | null = null;
  /** The value being read (continuation lines go to it), if any. */
  private current: IniValue | null = null;
  /** Blank lines seen since the current value's last line: kept only if more text follows. */
  private blanks = 0;
  private indentLevel = 0;

  constructor(
    private readonly ini: IniFile,
    private readonly file: string,
  ) {}

  read(text: string): void {
    const semi = new Finder(text, ';');
    const hash = new Finder(text, '#');
    const eq = new Finder(text, '=');
    const colon = new Finder(text, ':');
    const lf = new Finder(text, '\n');
    const cr = new Finder(text, '\r');
    const n = text.length;
    let pos = 0;
    let lineno = 0;
    while (pos < n) {
      // Universal newlines: '\r\n', '\r' and '\n' all end a line.
      const end = Math.min(lf.next(pos), cr.next(pos), n);
      lineno++;
      this.line(text, pos, end, lineno, semi, hash, eq, colon);
      pos = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
    }
  }

  private line(
    text: string,
    start: number,
    end: number,
    lineno: number,
    semi: Finder,
    hash: Finder,
    eq: Finder,
    colon: Finder,
  ): void {
    let first = start;
    while (first < end && isPySpace(text.charCodeAt(first))) first++;
    if (first === end) {
      // A blank line belongs to the value being read.
      if (this.current) this.blanks++;
      return;
    }
    const lead = text.charCodeAt(first);
    if (lead === 0x23 || lead === 0x3b) return; // a comment line, even indented, even inside a value
    let last = commentStart(text, start, end, semi, hash);
    while (last > first && isPySpace(text.charCodeAt(last - 1))) last--;
    // Here first < last: the line has text before any comment.
    const indent = first - start;
    if (this.current && indent > this.indentLevel) {
      this.current.value += '\n'.repeat(this.blanks + 1) + text.slice(first, last);
      this.blanks = 0;
      return;
    }
    this.indentLevel = indent;
    if (lead === 0x5b) {
      // `\[(?P<header>.+)\]` matched at the start: up to the last ']', at least one character inside.
      let close = last - 1;
      while (close > first + 1 && text.charCodeAt(close) !== 0x5d) close--;
      if (close > first + 1) {
        this.openSection(text.slice(first + 1, close), lineno);
        return;
      }
    }
    if (!this.section)
      throw this.error(lineno, 'File contains no section headers', text, start, end);
    // configparser's OPTCRE splits at the first '=' or ':'.
    const d = Math.min(eq.next(first), colon.next(first));
    if (d >= last || d === first) {
      throw this.error(lineno, 'Source contains parsing errors', text, start, end);
    }
    let keyEnd = d;
    while (isPySpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
    let valueStart = d + 1;
    while (valueStart < last && isPySpace(text.charCodeAt(valueStart))) valueStart++;
    const value: IniValue = { value: text.slice(valueStart, last), line: lineno, file: this.file };
    this.section.options.set(pyLower(text.slice(first, keyEnd)), value);
    this.current = value;
    this.blanks = 0;
  }

  private openSection(name: string, lineno: number): void {
    this.current = null;
    const existing = this.ini.sections.get(name);
    if (existing) {
      this.section = existing;
    } else if (name === DEFAULT_SECTION) {
      this.ini.defaults ??= { name, file: this.file, line: lineno, options: new Map() };
      this.section = this.ini.defaults;
    } else {
      this.section = { name, file: this.file, line: lineno, options: new Map() };
      this.ini.sections.set(name, this.section);
    }
  }

  private error(
    lineno: number,
    what: string,
    text: string,
    start: number,
    end: number,
  ): ConfigError {
    return new ConfigError('E_SYNTAX', `${what}: ${pyRepr(text.slice(start, end))}`, {
      file: this.file,
      line: lineno,
    });
  }
}

/**
 * Where the inline comment of text[start, end) begins, or `end`.
 * configparser looks at the k-th ';' and the k-th '#' together, round after
 * round, and stops at the first round where one of them starts the line or
 * follows whitespace; so a qualifying ';' can lose to a later '#' found in an
 * earlier round.
 */
function commentStart(
  text: string,
  start: number,
  end: number,
  semis: Finder,
  hashes: Finder,
): number {
  let semi = semis.next(start);
  let hash = hashes.next(start);
  while (semi < end || hash < end) {
    const semiOk = semi < end && (semi === start || isPySpace(text.charCodeAt(semi - 1)));
    const hashOk = hash < end && (hash === start || isPySpace(text.charCodeAt(hash - 1)));
    if (semiOk || hashOk) return Math.min(semiOk ? semi : end, hashOk ? hash : end);
    if (semi < end) semi = semis.next(semi + 1);
    if (hash < end) hash = hashes.next(hash + 1);
  }
  return end;
}
