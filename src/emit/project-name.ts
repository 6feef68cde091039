import { basename } from 'node:path';

/**
 * The default PROJECT name: the config file's base name without its
 * .tmpl/.conf/.ini suffixes, lower-cased, with anything outside
 * [a-z0-9_] turned into '_'. Never '-': in a unit name the first '-' ends
 * the project (src/emit/systemd/escape.ts projectComponent), so a '-' of a
 * project would be written `\x2d`. `supervisord.conf` in /etc/x/ gives the
 * directory's name instead (a bare "supervisord" says nothing).
 */
export function defaultProjectName(configFile: string): string {
  let base = basename(configFile);
  for (;;) {
    const next = base.replace(/\.(tmpl|template|conf|ini|cfg)$/i, '');
    if (next === base) break;
    base = next;
  }
  if (/^supervisord?$/i.test(base) || base === '') {
    const parent = basename(
      configFile.slice(0, configFile.length - basename(configFile).length - 1),
    );
    if (parent && parent !== 'supervisor' && parent !== 'etc' && parent !== '.') base = parent;
  }
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return name === '' ? 'supervisor' : name;
}

/**
 * docker-compose 1.29.2's normalisation of a project name (lower case,
 * anything outside [a-z0-9_-] dropped), which Docker labels and container
 * names carry.
 */
export function composeProjectName(name: string): string {
  const n = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '');
  return n === '' ? 'supctl' : n;
}
