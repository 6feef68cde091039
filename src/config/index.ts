/** The supervisord config reader: loadConfig → Deployment, toParseJson → `supctl parse --json`. */
export { loadConfig, type LoadOptions } from './load.ts';
export { toParseJson } from './json.ts';
export type { ParseJson, ParseJsonGroup, ParseJsonProcess } from './json.ts';
export { ConfigError, type ConfigErrorCode } from './errors.ts';
export { parseValuesText, renderTemplate } from './template.ts';
export type * from '../model/index.ts';
