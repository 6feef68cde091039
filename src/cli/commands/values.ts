import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { parseValuesText } from '../../config/template.ts';

/** Collects template values from --values FILE then --set K=V (later wins). */
export function readValues(set: string[], valuesFile: string | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  if (valuesFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(valuesFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--values ${valuesFile}: ${(err as Error).message}`);
    }
    Object.assign(values, parseValuesText(text, valuesFile));
  }
  for (const kv of set) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${kv}: expected KEY=VALUE`);
    values[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return values;
}
