import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../config/index.ts';
import { findGoPlaceholder } from '../../config/template.ts';
import type { Deployment } from '../../model/deployment.ts';
import { formatOrigin } from '../../model/origin.ts';
import { readValues } from './values.ts';

/**
 * Loads a config for a command: template values from --values/--set, warnings
 * to stderr, and a hint when supervisor rejects a file that is plainly a
 * template read without values.
 */
export function loadForCli(
  file: string,
  set: string[],
  valuesFile: string | undefined,
): Deployment {
  const values = readValues(set, valuesFile);
  const templated = set.length > 0 || valuesFile !== undefined;
  let deployment: Deployment;
  try {
    deployment = loadConfig(file, templated ? { values } : {});
  } catch (err) {
    if (err instanceof ConfigError && !templated) {
      const hint = placeholderHint(file);
      if (hint !== null) {
        throw new ConfigError(err.code, `${err.why} (${hint})`, err, { cause: err });
      }
    }
    throw err;
  }
  for (const w of deployment.warnings ?? []) {
    const where = w.origin ? `${formatOrigin(w.origin)}: ` : '';
    process.stderr.write(`supctl: warning: ${where}${w.message}\n`);
  }
  return deployment;
}

function placeholderHint(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const found = findGoPlaceholder(text);
  if (found === null) return null;
  return `line ${found.line} holds the template placeholder ${found.placeholder}: give values with --values FILE or --set KEY=VALUE`;
}
