/**
 * Validators for generated manifests: the Kubernetes 1.34 OpenAPI schemas
 * as compiled by the kubernetes-models npm package (MIT; its validate()
 * checks types, required fields and enums; like the API server's
 * default, it does not reject unknown fields), and kubectl's own client-side parser.
 */
import { spawnSync } from 'node:child_process';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';

interface Validatable {
  validate(): void;
}
type Model = new (data: Record<string, unknown>) => Validatable;

const MODELS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
};

/** Schema errors of one object (empty = valid); an unknown kind is an error. */
export function schemaErrors(doc: Record<string, unknown>): string[] {
  const model = MODELS[`${String(doc.apiVersion)}/${String(doc.kind)}`];
  if (model === undefined) return [`no schema for ${String(doc.apiVersion)} ${String(doc.kind)}`];
  try {
    new model(doc).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

/** `kubectl annotate --local -f FILE -o name`: kubectl parses the file without a cluster. */
export function kubectlParse(file: string): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const r = spawnSync(
    'kubectl',
    ['annotate', '--local', '-f', file, 'supctl.io/checked=1', '-o', 'name'],
    {
      encoding: 'utf8',
      timeout: 60_000,
      // no kubeconfig, no cluster: proves the parse is client-side
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: '/nonexistent',
        KUBECONFIG: '/dev/null',
      },
    },
  );
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}
