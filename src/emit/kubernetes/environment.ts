/**
 * `environment` → a ConfigMap and a Secret named after the workload, read
 * with envFrom; values that differ by process number stay inline (only env
 * values get $(VAR) expansion). A key goes to the Secret when its name looks
 * like a credential: the Secret is written to its own 0600 file.
 */
import { PROCESS_NUM_VAR, type Workload } from './plan.ts';
import type { EnvVarDraft } from './types.ts';

const SECRET_KEY = /PASS(WORD|WD)?|SECRET|TOKEN|KEY|CREDENTIAL|AUTH|PRIVATE|CERT/i;
/** What a ConfigMap or Secret accepts as a data key. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

export function looksSecret(key: string): boolean {
  return SECRET_KEY.test(key);
}

interface EnvironmentSplit {
  configMap: Record<string, string>;
  secret: Record<string, string>;
  /** Inline env entries: indexed values, keys a ConfigMap cannot hold, the process number. */
  inline: EnvVarDraft[];
}

export function splitEnvironment(w: Workload, ordinalField: string): EnvironmentSplit {
  const configMap: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const inline: EnvVarDraft[] = [];
  if (w.indexed)
    inline.push({ name: PROCESS_NUM_VAR, valueFrom: { fieldRef: { fieldPath: ordinalField } } });
  for (const [k, v] of Object.entries(w.env)) {
    if (!DATA_KEY.test(k)) inline.push({ name: k, value: v.replaceAll('$', '$$$$') });
    else if (looksSecret(k)) secret[k] = v;
    else configMap[k] = v;
  }
  for (const [k, v] of Object.entries(w.indexedEnv)) inline.push({ name: k, value: v });
  return { configMap, secret, inline };
}
