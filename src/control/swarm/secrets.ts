/**
 * Environment values whose key looks like a credential (the Kubernetes
 * target's rule, looksSecret) go to Swarm secrets instead of the service
 * spec, which any `docker service inspect` shows. Swarm mounts a secret as
 * a file (/run/secrets/KEY), so the program gets it back as an environment
 * variable from a `/bin/sh -c` wrapper that reads each file and execs the
 * program's argv (the image needs /bin/sh, as with `convert --shell-wrap`).
 * Keys that are not shell names stay in the spec.
 *
 * Secrets are immutable: the name carries a hash of the value, so a changed
 * value is a new secret, the service spec changes and the service rolls.
 */
import { createHash } from 'node:crypto';
import type { SecretReference } from 'dockerode';
import { looksSecret } from '../../emit/kubernetes/environment.ts';

export interface SwarmSecret {
  name: string;
  value: string;
  /** SecretID is filled in by apply once the secret exists. */
  ref: SecretReference;
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Swarm's limit on secret names
const MAX_NAME = 64;

function secretName(service: string, key: string, value: string): string {
  const h = createHash('sha256').update(`${service}\0${key}\0${value}`).digest('hex').slice(0, 12);
  return `${`${service}_${key}`.slice(0, MAX_NAME - 13)}_${h}`;
}

/** `x` survives trailing newlines, which $(...) would strip. */
function readLine(key: string): string {
  return `${key}="$(cat /run/secrets/${key}; echo x)"; ${key}="\${${key}%x}"; export ${key}`;
}

export function splitSecrets(
  service: string,
  argv: string[],
  environment: Record<string, string>,
  user: string | undefined,
): { command: string[]; env: Record<string, string>; secrets: SwarmSecret[] } {
  const env: Record<string, string> = {};
  const secrets: SwarmSecret[] = [];
  for (const [k, v] of Object.entries(environment)) {
    if (!looksSecret(k) || !SHELL_NAME.test(k)) {
      env[k] = v;
      continue;
    }
    const name = secretName(service, k, v);
    secrets.push({
      name,
      value: v,
      ref: {
        SecretName: name,
        // a program running as another user must still read its own secret
        File: { Name: k, UID: '0', GID: '0', Mode: user === undefined ? 0o400 : 0o444 },
      },
    });
  }
  if (secrets.length === 0) return { command: argv, env, secrets };
  const script = [...secrets.map((s) => readLine(s.ref.File!.Name!)), 'exec "$@"'].join('; ');
  return { command: ['/bin/sh', '-c', script, 'sh', ...argv], env, secrets };
}
