/** The supervisord config reader: loadConfig → Deployment, toParseJson → `supctl parse --json`. */
export { loadConfig } from './load.ts';
export { toParseJson } from './json.ts';
export { ConfigError } from './errors.ts';
export type * from '../model/index.ts';
