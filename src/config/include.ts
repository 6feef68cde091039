/**
 * Reading the main config file and its [include] files into one merged
 * configparser state, as ServerOptions.read_config does it: parse the main
 * file; if it has [include], replace `%(here)s` textually, expand `files`,
 * glob each pattern relative to the main file's directory, read the matches
 * in sorted order, replacing `%(here)s` after each with that file's directory.
 * A file without [supervisord] is a conf.d fragment: read as the only include
 * of a main config holding an empty [supervisord].
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { ConfigError } from './errors.ts';
import { expand, type Mapping } from './expansions.ts';
import { decodeConfigText, parseIni, type IniFile, type IniSection, type IniValue } from './ini.ts';
import type { ParseWarning } from '../model/deployment.ts';
import type { Origin } from '../model/origin.ts';
import { sectionOrigin, originOf, type ConfigSource } from './config-source.ts';
import { pyGlob } from './pyglob.ts';
import { pyAbspath, pyDirname, pyJoin } from './pypath.ts';
import { pyCompare, pySplit } from './pystr.ts';
import { findGoPlaceholder, renderTemplate } from './template.ts';

const HERE = '%(here)s';

interface ReadContext {
  /** Template values; undefined: the files are read verbatim, as supervisor reads them. */
  values: Record<string, string> | undefined;
  env: Record<string, string | undefined>;
  hostNodeName: string;
  environ: Mapping;
}

function readMain(file: string, abs: string): string {
  try {
    statSync(abs);
  } catch {
    throw new ConfigError('E_READ', `could not find config file ${file}`, { file: abs });
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(abs);
  } catch (err) {
    throw new ConfigError(
      'E_READ',
      `could not read config file ${file}`,
      { file: abs },
      { cause: err },
    );
  }
  return decodeConfigText(bytes, abs);
}

/** RawConfigParser.read() skips a file it cannot open, silently (but not one it cannot decode). */
function readIncluded(file: string): string | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return decodeConfigText(bytes, file);
}

/** parser.expand_here(dir) for the sections one file defined or extended. */
function expandHere(src: ConfigSource, touched: Iterable<IniSection>, dir: string): void {
  for (const section of touched) {
    for (const [key, v] of section.options) {
      if (v.value.includes(HERE))
        section.options.set(key, { ...v, value: v.value.replaceAll(HERE, dir) });
    }
  }
  // [DEFAULT] values holding %(here)s are copied, expanded, into every section lacking the key.
  const hereDefaults: [string, IniValue][] = [];
  for (const [key, v] of src.defaults) if (v.value.includes(HERE)) hereDefaults.push([key, v]);
  if (hereDefaults.length === 0) return;
  for (const section of src.sections.values()) {
    for (const [key, v] of hereDefaults) {
      if (!section.options.has(key))
        section.options.set(key, { ...v, value: v.value.replaceAll(HERE, dir) });
    }
  }
}

/** Merges one parsed file into the state (configparser reading another file); returns the sections it touched. */
function merge(src: ConfigSource, parsed: IniFile): IniSection[] {
  const touched: IniSection[] = [];
  for (const [name, section] of parsed.sections) {
    const existing = src.sections.get(name);
    if (existing === undefined) {
      src.sections.set(name, section);
      touched.push(section);
    } else {
      for (const [k, v] of section.options) existing.options.set(k, v);
      touched.push(existing);
    }
  }
  if (parsed.defaults !== null)
    for (const [k, v] of parsed.defaults.options) src.defaults.set(k, v);
  return touched;
}

function parseFile(
  text: string,
  file: string,
  ctx: ReadContext,
  warnings: ParseWarning[],
): IniFile {
  if (ctx.values !== undefined) return parseIni(renderTemplate(text, file, ctx.values), file);
  const found = findGoPlaceholder(text);
  if (found !== null) {
    warnings.push({
      message:
        `${found.placeholder} is read literally, as supervisord would; ` +
        'give template values (--values FILE or --set KEY=VALUE) to fill placeholders',
      origin: { file, line: found.line, section: '', key: '' },
    });
  }
  return parseIni(text, file);
}

/** What `st` is, for a file [include] must not read: one that can block or never end. */
function specialKind(st: Stats): string | undefined {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return undefined;
}

function includeFile(src: ConfigSource, file: string, ctx: ReadContext, where: Origin): void {
  let st: Stats | undefined;
  try {
    st = statSync(file);
  } catch {
    // gone or unreadable: readIncluded skips it, as supervisor does
  }
  const kind = st && specialKind(st);
  if (kind !== undefined) {
    throw new ConfigError(
      'E_INCLUDE',
      `[include] files matches ${file}, which is ${kind}, not a regular file: not read (it could block or never end)`,
      where,
    );
  }
  const text = readIncluded(file);
  if (text !== undefined) {
    const touched = merge(src, parseFile(text, file, ctx, src.warnings));
    src.files.push(file);
    expandHere(src, touched, pyAbspath(pyDirname(file)));
  } else {
    expandHere(src, [], pyAbspath(pyDirname(file)));
  }
}

function emptySection(name: string, file: string): IniSection {
  return { name, file, line: 0, options: new Map() };
}

/** Reads `file` (and what it includes) into the merged state supervisor parses groups from. */
export function readConfigFiles(file: string, ctx: ReadContext): ConfigSource {
  const mainFile = pyAbspath(file);
  const here = pyDirname(mainFile);
  const warnings: ParseWarning[] = [];
  const main = parseFile(readMain(file, mainFile), mainFile, ctx, warnings);
  const fragment = !main.sections.has('supervisord');
  const src: ConfigSource = {
    mainFile,
    here,
    fragment,
    sections: new Map(),
    defaults: new Map(),
    files: [],
    warnings,
    environ: ctx.environ,
    env: ctx.env,
    hostNodeName: ctx.hostNodeName,
  };

  if (fragment) {
    // The wrapper main config: an empty [supervisord] and [include] files=<fragment>.
    src.sections.set('supervisord', emptySection('supervisord', mainFile));
    const include = emptySection('include', mainFile);
    include.options.set('files', { value: mainFile, line: 0, file: mainFile });
    src.sections.set('include', include);
    const touched = merge(src, main);
    src.files.push(mainFile);
    expandHere(src, touched, here);
    return src;
  }

  merge(src, main);
  src.files.push(mainFile);
  const include = src.sections.get('include');
  if (include === undefined) return src;

  expandHere(src, src.sections.values(), here);
  const filesValue = include.options.get('files') ?? src.defaults.get('files');
  if (filesValue === undefined) {
    throw new ConfigError(
      'E_INCLUDE',
      '.ini file has [include] section, but no files setting',
      sectionOrigin(include),
    );
  }
  const where = originOf(src, include, 'files');
  const layers = [{ here, host_node_name: ctx.hostNodeName }, ctx.environ];
  const patterns = pySplit(expand(filesValue.value, layers, 'include.files', where));
  for (const p of patterns) {
    const pattern = pyJoin(here, p);
    const matches = pyGlob(pattern);
    if (matches.length === 0) {
      src.warnings.push({ message: `No file matches via include "${pattern}"`, origin: where });
      continue;
    }
    for (const f of matches.sort(pyCompare)) includeFile(src, f, ctx, where);
  }
  return src;
}
