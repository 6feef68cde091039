import type { Deployment } from '../../model/deployment.ts';
import type { Process } from '../../model/process.ts';
import type { Workload } from './plan.ts';

export interface KubernetesOptions {
  /** Goes to the app.kubernetes.io/part-of label: a DNS-1123 label. */
  project: string;
  /** metadata.namespace of every object; none: the namespace kubectl is given. */
  namespace: string | undefined;
  /** Image for every program (the one that used to run supervisord). */
  image: string | undefined;
  /** Per-program images, by program name. */
  images: Record<string, string>;
}

export interface EnvVarDraft {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

/** The one container of a workload's pods, in the key order it is written. */
interface ContainerDraft {
  name: string;
  image: string;
  command: string[];
  workingDir?: string;
  envFrom?: ({ configMapRef: { name: string } } | { secretRef: { name: string } })[];
  env?: EnvVarDraft[];
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  readinessProbe?: ProbeDraft;
  livenessProbe?: ProbeDraft;
  startupProbe?: ProbeDraft;
}

/** A container probe (core/v1 Probe): one handler and its timing. */
export interface ProbeDraft {
  tcpSocket?: { host?: string; port: number };
  httpGet?: { host?: string; path: string; port: number; scheme: 'HTTP' | 'HTTPS' };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

interface PodFailureRule {
  action: 'FailIndex';
  onExitCodes: { operator: 'In'; values: number[] };
}

/** What the key rules fill in; index.ts turns it into the object of its kind. */
export interface WorkloadDraft {
  /** Deployment/StatefulSet replicas; a Job's completions and parallelism. */
  replicas: number;
  /** Job: created suspended (autostart=false). */
  suspend?: boolean;
  backoffLimitPerIndex?: number;
  podFailurePolicy?: { rules: PodFailureRule[] };
  terminationGracePeriodSeconds: number;
  container: ContainerDraft;
}

/** What a key rule sees and may change. */
export interface KeyContext {
  d: Deployment;
  o: KubernetesOptions;
  w: Workload;
  /** The workload's object name (also its container's). */
  name: string;
  p: Process;
  draft: WorkloadDraft;
  /** Environment for the workload's ConfigMap / Secret (literal values). */
  configMap: Record<string, string>;
  secret: Record<string, string>;
}
