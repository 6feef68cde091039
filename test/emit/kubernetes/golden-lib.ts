/**
 * Golden cases for the Kubernetes target: test/golden/kubernetes/<case>/,
 * read by the shared loader (case.json `options`: KubernetesOptions
 * overrides). `expected/` holds every emitted file, plus `report.txt` and
 * `modes.txt`. `make golden` (scripts/golden-kubernetes.ts) rewrites it.
 */
import { emitKubernetes } from '../../../src/emit/kubernetes/index.ts';
import { formatReport } from '../../../src/emit/report.ts';
import type { GoldenCase } from '../../support/golden.ts';
import { goldenCases, loadCase, relativeToCase } from '../../support/golden.ts';

type KubernetesOptions = Parameters<typeof emitKubernetes>[1];

export function listCases(): GoldenCase[] {
  return goldenCases('kubernetes');
}

export function caseOptions(c: GoldenCase): KubernetesOptions {
  return {
    project: 'golden',
    namespace: undefined,
    image: 'registry.example/app:1.0',
    images: {},
    ...((c.spec.options ?? {}) as Partial<KubernetesOptions>),
  };
}

/** Runs the emitter on one case, the way `supctl convert --to kubernetes` does. */
export function runCase(c: GoldenCase): Map<string, { content: string; mode: number }> {
  const r = emitKubernetes(loadCase(c), caseOptions(c));
  const files = new Map<string, { content: string; mode: number }>();
  for (const f of r.files) files.set(f.path, { content: f.content, mode: f.mode });
  const modes = r.files.map((f) => `${f.path} ${f.mode.toString(8).padStart(4, '0')}`).join('\n');
  files.set('modes.txt', { content: modes + '\n', mode: 0o644 });
  files.set('report.txt', {
    content: relativeToCase(c, formatReport(r.findings, 'text')),
    mode: 0o644,
  });
  return files;
}
