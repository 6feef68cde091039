/**
 * The merged configparser state supervisor works from (UnhosedConfigParser
 * after the main file and every [include] file were read), and a reader for
 * one section's values: `saneget` with expansion, and where each value came from.
 */
import type { ParseWarning } from '../model/deployment.ts';
import type { Origin } from '../model/origin.ts';
import { ConfigError } from './errors.ts';
import { DatatypeError } from './datatypes.ts';
import {
  expandError,
  environNamesIn,
  expandRaw,
  force,
  type Layers,
  type Lazy,
  type Mapping,
} from './expansions.ts';
import type { IniSection, IniValue } from './ini.ts';
import { ShlexError } from './shlex.ts';

export interface ConfigSource {
  /** Absolute path of the main config file (the fragment itself when wrapped). */
  mainFile: string;
  /** supervisor's `self.here`: the main config file's directory, absolute. */
  here: string;
  fragment: boolean;
  /** Sections in first-definition order, as configparser keeps them. */
  sections: Map<string, IniSection>;
  /** The merged [DEFAULT] options (lookups fall back to them). */
  defaults: Map<string, IniValue>;
  files: string[];
  warnings: ParseWarning[];
  /** `parser.expansions`: ENV_X for os.environ, later extended by [supervisord] environment. */
  environ: Mapping;
  env: Record<string, string | undefined>;
  hostNodeName: string;
}

/** The value of `key` in `section`, falling back to [DEFAULT] as configparser does. */
function rawValue(src: ConfigSource, section: IniSection, key: string): IniValue | undefined {
  return section.options.get(key) ?? src.defaults.get(key);
}

/** `parser.options(section)`: the section's keys, then [DEFAULT] keys it does not override. */
export function optionNames(src: ConfigSource, section: IniSection): string[] {
  const names = [...section.options.keys()];
  for (const k of src.defaults.keys()) if (!section.options.has(k)) names.push(k);
  return names;
}

/** Where `key` of `section` comes from: the key's own line, else the section header. */
export function originOf(src: ConfigSource, section: IniSection, key: string): Origin {
  const v = rawValue(src, section, key);
  if (v !== undefined) return { file: v.file, line: v.line, section: section.name, key };
  return { file: section.file, line: section.line, section: section.name, key };
}

export function sectionOrigin(section: IniSection): Origin {
  return { file: section.file, line: section.line, section: section.name, key: '' };
}

/** Reads one section's values the way UnhosedConfigParser.saneget does. */
export class SectionReader {
  constructor(
    readonly src: ConfigSource,
    readonly section: IniSection,
  ) {}

  get name(): string {
    return this.section.name;
  }

  has(key: string): boolean {
    return rawValue(this.src, this.section, key) !== undefined;
  }

  /** The value as written (after the textual %(here)s replacement of [include] processing). */
  raw(key: string): string | undefined {
    return rawValue(this.src, this.section, key)?.value;
  }

  origin(key: string): Origin {
    return originOf(this.src, this.section, key);
  }

  /**
   * saneget(section, key): undefined when the key is absent, else the value
   * expanded with `parser.expansions` (ENV_X) plus `local`.
   */
  get(key: string, local?: Mapping): string | undefined {
    return this.getWith(key, local === undefined ? [this.src.environ] : [this.src.environ, local]);
  }

  /** key → the environment variables (X of %(ENV_X)s) its expansion read from os.environ. */
  readonly environUsed = new Map<string, Set<string>>();

  /** Records the %(ENV_X)s of `raw` (key's value as written) that come from os.environ. */
  noteEnvironment(key: string, raw: string): void {
    for (const x of environNamesIn(raw, this.src.environ)) {
      const set = this.environUsed.get(key) ?? new Set<string>();
      set.add(x);
      this.environUsed.set(key, set);
    }
  }

  /** saneget with the expansion names given as layers (a later layer wins). */
  getWith(key: string, layers: Layers): string | undefined {
    const v = rawValue(this.src, this.section, key);
    if (v === undefined) return undefined;
    this.noteEnvironment(key, v.value);
    try {
      return expandRaw(v.value, layers);
    } catch (err) {
      throw expandError(err, v.value, layers, `${this.section.name}.${key}`, this.origin(key));
    }
  }
}

/** Runs a supervisor.datatypes conversion; its ValueError becomes a ConfigError at `where`. */
export function convert<T>(fn: (s: string) => T, value: string, where: Lazy<Origin>): T {
  try {
    return fn(value);
  } catch (err) {
    throw convertError(err, force(where));
  }
}

/** A conversion's DatatypeError/ShlexError as a ConfigError at `where`; anything else unchanged. */
export function convertError(err: unknown, where: Origin): unknown {
  if (err instanceof DatatypeError || err instanceof ShlexError) {
    return new ConfigError('E_VALUE', err.message, where, { cause: err });
  }
  return err;
}

/** A supervisor ValueError raised by the builder itself (not by a datatype). */
export function valueError(why: string, where: Origin): ConfigError {
  return new ConfigError('E_VALUE', why, where);
}
