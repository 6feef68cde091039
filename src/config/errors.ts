import type { Origin } from '../model/origin.ts';

type ConfigErrorCode =
  | 'E_READ' // the file cannot be read
  | 'E_SYNTAX' // the INI dialect rejects it (ParsingError, MissingSectionHeaderError)
  | 'E_VALUE' // a value supervisor rejects (bad boolean, bad signal, ...)
  | 'E_EXPAND' // %(name)s expansion failed
  | 'E_TEMPLATE' // an unfilled template placeholder
  | 'E_INCLUDE' // [include] problems
  | 'E_MISSING'; // a required key or section is missing

/** A config supervisor would reject. Carries where: file, line, section, key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly file: string;
  readonly line: number;
  readonly section: string;
  readonly key: string;
  readonly why: string;

  constructor(
    code: ConfigErrorCode,
    why: string,
    where: Partial<Origin> & { file: string },
    options?: { cause?: unknown },
  ) {
    const line = where.line ?? 0;
    const section = where.section ?? '';
    const key = where.key ?? '';
    const loc = line > 0 ? `${where.file}:${line}` : where.file;
    const sec = section ? ` [${section}]` : '';
    const k = key ? ` ${key}` : '';
    super(sec || k ? `${loc}:${sec}${k}: ${why}` : `${loc}: ${why}`, options);
    this.code = code;
    this.file = where.file;
    this.line = line;
    this.section = section;
    this.key = key;
    this.why = why;
  }
}
