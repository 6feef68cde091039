/**
 * A workload draft as the Kubernetes object of its kind: Deployment,
 * StatefulSet or Indexed Job (apps/v1, batch/v1 of Kubernetes 1.34).
 */
import type { Workload } from './plan.ts';
import type { KubernetesOptions, WorkloadDraft } from './types.ts';

export function workloadObject(
  w: Workload,
  name: string,
  draft: WorkloadDraft,
  o: KubernetesOptions,
): unknown {
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': o.project };
  const labels = { ...selector, 'app.kubernetes.io/managed-by': 'supctl' };
  const metadata = {
    name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    labels,
    annotations: {
      'supctl.io/group': w.group.name,
      'supctl.io/program': w.program.name,
      'supctl.io/processes': w.processes.map((p) => p.name).join(','),
    },
  };
  const podSpec = {
    ...(w.kind === 'Job' ? { restartPolicy: 'Never' } : {}),
    terminationGracePeriodSeconds: draft.terminationGracePeriodSeconds,
    containers: [draft.container],
  };
  // a copy: one shared object would be written as a YAML anchor and alias
  const template = { metadata: { labels: { ...labels } }, spec: podSpec };
  if (w.kind === 'Job') {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata,
      spec: {
        completionMode: 'Indexed',
        completions: draft.replicas,
        parallelism: draft.replicas,
        ...(draft.suspend === true ? { suspend: true } : {}),
        ...(draft.backoffLimitPerIndex !== undefined
          ? { backoffLimitPerIndex: draft.backoffLimitPerIndex }
          : {}),
        ...(draft.podFailurePolicy !== undefined
          ? { podFailurePolicy: draft.podFailurePolicy }
          : {}),
        template,
      },
    };
  }
  if (w.kind === 'StatefulSet') {
    const start = w.program.numprocs_start;
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata,
      spec: {
        replicas: draft.replicas,
        // supervisord starts and stops the processes together, not one by one
        podManagementPolicy: 'Parallel',
        // required by API servers before 1.30; no Service of that name is needed to run
        serviceName: name,
        ...(start > 0 ? { ordinals: { start } } : {}),
        selector: { matchLabels: selector },
        template,
      },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: { replicas: draft.replicas, selector: { matchLabels: selector }, template },
  };
}
