/**
 * `supctl convert --to kubernetes`: one workload per supervisor program
 * (plan.ts says which kind), its environment in a ConfigMap and a Secret,
 * and a finding for every key (keys.ts). Two files: manifests.yaml holds
 * everything but the Secrets, secrets.yaml (mode 0600) holds those, so the
 * readable file carries no credential; `kubectl apply -f DIR` takes both.
 */
import { adviceFindings } from '../advice/index.ts';
import { basename } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import type { Finding } from '../../model/finding.ts';
import { groupSpec, isGroupSection, namespec } from '../../model/names.ts';
import type { ProgramKey } from '../compose/keys.ts';
import { commentText, toYaml } from '../compose/yaml.ts';
import type { EmitResult, EmittedFile } from '../types.ts';
import { splitEnvironment } from './environment.ts';
import { keyOrigin } from '../health-probe.ts';
import { PROGRAM_KEYS } from './keys.ts';
import { assignNames, isDnsLabel, isLabelValue } from './names.ts';
import { planWorkloads, type Workload } from './plan.ts';
import type { KeyContext, KubernetesOptions, WorkloadDraft } from './types.ts';
import { workloadObject } from './objects.ts';

/** No manifest can be written: no image (E_IMAGE), a name Kubernetes refuses (E_NAME), nothing to run (E_EMPTY). */
export class KubernetesError extends Error {
  override readonly name = 'KubernetesError';
  constructor(
    readonly code: 'E_IMAGE' | 'E_NAME' | 'E_EMPTY',
    message: string,
  ) {
    super(message);
  }
}

function imageFor(o: KubernetesOptions, program: string): string {
  const image = o.images[program] ?? o.image;
  if (image === undefined) {
    throw new KubernetesError(
      'E_IMAGE',
      `no image for program ${JSON.stringify(program)}: pass --image IMAGE or --image ${program}=IMAGE`,
    );
  }
  return image;
}

function workloadSpec(w: Workload): string {
  if (w.processes.length > 1) return groupSpec(w.group.name);
  return namespec(w.group.name, w.processes[0]!.name);
}

function checkOptions(d: Deployment, o: KubernetesOptions): void {
  if (!isLabelValue(o.project)) {
    throw new KubernetesError(
      'E_NAME',
      `project name ${JSON.stringify(o.project)}: it is a label value (letters, digits, '-', '_', '.', at most 63, starting and ending alphanumeric); set it with --name`,
    );
  }
  if (o.namespace !== undefined && !isDnsLabel(o.namespace)) {
    throw new KubernetesError(
      'E_NAME',
      `--namespace ${JSON.stringify(o.namespace)}: Kubernetes takes a DNS-1123 label (lower-case letters, digits and '-', at most 63)`,
    );
  }
  const known = new Set(d.groups.flatMap((g) => g.programs.map((p) => p.name)));
  for (const program of Object.keys(o.images)) {
    if (!known.has(program)) {
      throw new KubernetesError(
        'E_IMAGE',
        `--image ${program}=...: no program ${JSON.stringify(program)} in ${d.configFile}`,
      );
    }
  }
}

function sectionFindings(d: Deployment): Finding[] {
  const out: Finding[] = [];
  for (const g of d.groups) {
    if (g.kind === 'eventlistener') {
      out.push({
        fidelity: 'NONE',
        key: 'eventlistener',
        message: `[eventlistener:${g.name}]: Kubernetes has no supervisor events; no workload is emitted`,
        origin: g.origin,
        program: g.name,
      });
    } else if (isGroupSection(g)) {
      out.push({
        fidelity: 'NONE',
        key: 'group',
        message: `[group:${g.name}]: Kubernetes has no groups; its workloads carry the annotation supctl.io/group=${g.name}`,
        origin: g.origin,
        program: groupSpec(g.name),
      });
    }
  }
  return out;
}

export function emitKubernetes(d: Deployment, o: KubernetesOptions): EmitResult {
  checkOptions(d, o);
  const findings = sectionFindings(d);
  const workloads: Workload[] = [];
  for (const w of planWorkloads(d)) {
    const p = w.processes[0]!;
    if (p.argvError !== undefined || p.argv.length === 0) {
      findings.push({
        fidelity: 'NONE',
        key: 'command',
        message: `command cannot be split (${p.argvError ?? 'empty'}): supervisor cannot start it either; no workload is emitted`,
        origin: p.origins.command ?? w.program.origin,
        program: workloadSpec(w),
      });
    } else workloads.push(w);
  }
  if (workloads.length === 0) {
    throw new KubernetesError(
      'E_EMPTY',
      `nothing to run in ${d.configFile}: no program with a command; no manifest written`,
    );
  }
  const names = assignNames(workloads.map((w) => w.key));
  if (!(names instanceof Map)) {
    const why = names.map((c) => `${c.names.map((n) => JSON.stringify(n)).join(', ')} ${c.reason}`);
    throw new KubernetesError(
      'E_NAME',
      `Kubernetes names are DNS-1123 labels (lower-case letters, digits, '-'): ${why.join('; ')}; rename the programs`,
    );
  }

  const manifests: unknown[] = [];
  const secrets: unknown[] = [];
  for (const w of workloads) {
    const name = names.get(w.key)!;
    const p = w.processes[0]!;
    const ordinalField =
      w.kind === 'Job'
        ? "metadata.annotations['batch.kubernetes.io/job-completion-index']"
        : "metadata.labels['apps.kubernetes.io/pod-index']";
    const env = splitEnvironment(w, ordinalField);
    const draft: WorkloadDraft = {
      replicas: 1,
      terminationGracePeriodSeconds: 10,
      container: { name, image: imageFor(o, w.program.name), command: [] },
    };
    const c: KeyContext = { d, o, w, name, p, draft, configMap: env.configMap, secret: env.secret };
    const spec = workloadSpec(w);
    for (const [key, rule] of Object.entries(PROGRAM_KEYS) as [
      ProgramKey,
      (typeof PROGRAM_KEYS)[ProgramKey],
    ][]) {
      const outcome = rule.apply(c);
      const fieldOrigin = keyOrigin(p, key);
      const written = fieldOrigin !== undefined || w.program.written.includes(key);
      if (outcome === undefined || !(written || ('always' in rule && rule.always))) continue;
      findings.push({
        fidelity: outcome.fidelity,
        key,
        message: outcome.message,
        origin: fieldOrigin ?? { ...w.program.origin, key: written ? key : '' },
        program: spec,
      });
    }
    const envFrom: NonNullable<typeof draft.container.envFrom> = [];
    const meta = (suffix: string) => ({
      name: `${name}-${suffix}`,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      labels: {
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/part-of': o.project,
        'app.kubernetes.io/managed-by': 'supctl',
      },
    });
    if (Object.keys(env.configMap).length > 0) {
      manifests.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta('env'),
        data: env.configMap,
      });
      envFrom.push({ configMapRef: { name: `${name}-env` } });
    }
    if (Object.keys(env.secret).length > 0) {
      secrets.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta('secret'),
        type: 'Opaque',
        stringData: env.secret,
      });
      envFrom.push({ secretRef: { name: `${name}-secret` } });
    }
    if (envFrom.length > 0) draft.container.envFrom = envFrom;
    if (env.inline.length > 0) draft.container.env = env.inline;
    manifests.push(workloadObject(w, name, draft, o));
  }

  const header = (what: string) =>
    [
      ` Generated by supctl from ${commentText(basename(d.configFile))}: ${what}.`,
      ' Apply with: kubectl apply -f DIR (manifests.yaml and secrets.yaml).',
    ].join('\n');
  const files: EmittedFile[] = [
    {
      path: 'manifests.yaml',
      content: multiDoc(manifests, header('one workload per supervisor program')),
      mode: 0o644,
    },
  ];
  if (secrets.length > 0) {
    files.push({
      path: 'secrets.yaml',
      content: multiDoc(secrets, header('the environment values that look secret')),
      mode: 0o600,
    });
  }
  return { files, findings: [...findings, ...adviceFindings(d, 'kubernetes')] };
}

/** One YAML stream: each object its own document, written like compose.yaml (YAML 1.1-safe). */
function multiDoc(objects: unknown[], header: string): string {
  return objects.map((x, i) => toYaml(x, i === 0 ? header : undefined)).join('---\n');
}
