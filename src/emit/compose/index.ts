/**
 * `supctl convert --to compose`: one service per supervisor program (per
 * process where %(process_num) makes them differ), with the same restart,
 * stop and kill behaviour where Compose can express it, and a finding for
 * every key where it cannot. See keys.ts for the table.
 */
import { adviceFindings } from '../advice/index.ts';
import { basename } from 'node:path';
import type { Deployment } from '../../model/deployment.ts';
import { groupSpec, namespec } from '../../model/names.ts';
import type { Finding } from '../../model/finding.ts';
import type { EmitResult, EmittedFile } from '../types.ts';
import type { ComposeOptions, PlannedService, ServiceContext, ServiceDraft } from './types.ts';
import { keyOrigin } from '../health-probe.ts';
import { escapeInterpolation } from './escape.ts';
import { PROGRAM_KEYS, type ProgramKey } from './keys.ts';
import { sectionFindings } from './sections.ts';
import { planServices, priorityDependencies } from './services.ts';
import { commentText, toYaml } from './yaml.ts';

/**
 * No compose project can be written: --image names no image for a program
 * or a program that does not exist (E_IMAGE), --name is not a project name
 * (E_NAME), or the config has nothing Compose could run (E_EMPTY).
 */
export class ComposeError extends Error {
  override readonly name = 'ComposeError';
  constructor(
    readonly code: 'E_IMAGE' | 'E_NAME' | 'E_EMPTY',
    message: string,
  ) {
    super(message);
  }
}

// Compose v2's rule; docker-compose 1.29.2 would silently drop other characters.
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

const COMPOSE_FILE = 'compose.yaml';
/** Carries COMPOSE_PROJECT_NAME: docker-compose 1.29.2 rejects a top-level `name:`. */
const PROJECT_ENV_FILE = '.env';

/** The namespec a service stands for: its process, or every process of its group. */
function serviceSpec(s: PlannedService): string {
  if (s.processes.length > 1) return groupSpec(s.group.name);
  return namespec(s.group.name, s.processes[0]!.name);
}

function imageFor(o: ComposeOptions, program: string): string {
  const image = o.images[program] ?? o.image;
  if (image === undefined) {
    throw new ComposeError(
      'E_IMAGE',
      `no image for program ${JSON.stringify(program)}: pass --image IMAGE or --image ${program}=IMAGE`,
    );
  }
  return image;
}

/** Escapes every string value (not keys) for Compose interpolation. */
function escapeValues(v: unknown): unknown {
  if (typeof v === 'string') return escapeInterpolation(v);
  if (Array.isArray(v)) return v.map(escapeValues);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeValues(x)]));
  }
  return v;
}

/** Fixed key order, absent keys dropped. */
function ordered(svc: ServiceDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const order: (keyof ServiceDraft)[] = [
    'image',
    'entrypoint',
    'command',
    'working_dir',
    'user',
    'environment',
    'env_file',
    'init',
    'restart',
    'stop_signal',
    'stop_grace_period',
    'profiles',
    'scale',
    'depends_on',
    'logging',
    'healthcheck',
    'labels',
  ];
  for (const k of order) if (svc[k] !== undefined) out[k] = svc[k];
  if (svc.deploy) {
    const deploy: Record<string, unknown> = {};
    if (svc.deploy.replicas !== undefined) deploy.replicas = svc.deploy.replicas;
    const rp = svc.deploy.restart_policy;
    if (rp) {
      const r: Record<string, unknown> = { condition: rp.condition };
      if (rp.delay !== undefined) r.delay = rp.delay;
      if (rp.max_attempts !== undefined) r.max_attempts = rp.max_attempts;
      if (rp.window !== undefined) r.window = rp.window;
      deploy.restart_policy = r;
    }
    out.deploy = deploy;
  }
  return out;
}

/** One service of the compose model, before escaping and YAML. */
export interface ComposedService {
  plan: PlannedService;
  /** The service as written to compose.yaml (values not yet `$$`-escaped). */
  svc: ServiceDraft;
}

interface ComposeModel {
  services: ComposedService[];
  findings: Finding[];
  /** Files besides compose.yaml (env files with --env-file). */
  extraFiles: EmittedFile[];
}

/**
 * The compose model: every runnable program as a service draft, with the
 * findings. emitCompose writes it as YAML; the Docker backend creates
 * containers from it through the Engine API.
 */
export function composeModel(d: Deployment, o: ComposeOptions): ComposeModel {
  const known = new Set(d.groups.flatMap((g) => g.programs.map((p) => p.name)));
  for (const program of Object.keys(o.images)) {
    if (!known.has(program)) {
      throw new ComposeError(
        'E_IMAGE',
        `--image ${program}=...: no program ${JSON.stringify(program)} in ${d.configFile}`,
      );
    }
  }

  const findings: Finding[] = sectionFindings(d, o);
  const runnable: PlannedService[] = [];
  for (const plan of planServices(d)) {
    const p = plan.processes[0]!;
    if (p.argvError !== undefined || p.argv.length === 0) {
      // supervisor accepts the config but can never spawn it (BACKOFF → FATAL);
      // an empty entrypoint would run the image's own: no service at all.
      findings.push({
        fidelity: 'NONE',
        key: 'command',
        message: `command cannot be split (${p.argvError ?? 'empty'}): supervisor cannot start it either; no service is emitted`,
        origin: p.origins.command ?? plan.program.origin,
        program: serviceSpec(plan),
      });
    } else {
      runnable.push(plan);
    }
  }
  const deps = priorityDependencies(runnable);
  const extraFiles: EmittedFile[] = [];
  const services: ComposedService[] = [];

  for (const plan of runnable) {
    const p = plan.processes[0]!;
    const svc: ServiceDraft = {
      image: imageFor(o, plan.program.name),
      entrypoint: [],
      command: [],
      init: true,
      restart: 'no',
      stop_signal: 'SIGTERM',
      stop_grace_period: '10s',
      labels: {
        'io.supctl.project': o.project,
        'io.supctl.group': plan.group.name,
        'io.supctl.program': plan.program.name,
        ...(plan.processes.length === 1 ? { 'io.supctl.process': p.name } : {}),
      },
    };
    const before = deps.get(plan.name);
    // the short form means condition: service_started, and docker stack accepts it
    if (before && before.length > 0) svc.depends_on = [...before];
    const c: ServiceContext = { d, o, plan, p, svc, extraFiles };
    const spec = serviceSpec(plan);
    for (const [key, rule] of Object.entries(PROGRAM_KEYS) as [
      ProgramKey,
      (typeof PROGRAM_KEYS)[ProgramKey],
    ][]) {
      const outcome = rule.apply(c);
      const fieldOrigin = keyOrigin(p, key);
      const written = fieldOrigin !== undefined || plan.program.written.includes(key);
      if (outcome === undefined || !(written || ('always' in rule && rule.always))) continue;
      findings.push({
        fidelity: outcome.fidelity,
        key,
        message: outcome.message,
        origin: fieldOrigin ?? { ...plan.program.origin, key: written ? key : '' },
        program: spec,
      });
    }
    services.push({ plan, svc });
  }
  return { services, findings, extraFiles };
}

/**
 * Why a config gives no service, in the user's terms. `services: {}` is no
 * answer: docker-compose 1.29.2 rejects it ("Service services has neither an
 * image nor a build context").
 */
function nothingToRun(d: Deployment): string {
  const listeners = d.groups.filter((g) => g.kind === 'eventlistener').map((g) => g.name);
  const programs = d.groups.filter((g) => g.kind !== 'eventlistener');
  const reasons: string[] = [];
  if (programs.length === 0) {
    const unmatched = (d.warnings ?? [])
      .map((w) => /^No file matches via include "(.*)"$/.exec(w.message)?.[1])
      .filter((p) => p !== undefined);
    reasons.push(
      unmatched.length > 0
        ? `it defines no program ([include] matched no file: ${unmatched.join(', ')})`
        : 'it defines no [program:x] or [fcgi-program:x]',
    );
  } else {
    reasons.push("no program's command can be split (see the command findings)");
  }
  if (listeners.length > 0) {
    reasons.push(
      `eventlisteners get no service (Docker has no supervisor events): ${listeners.join(', ')}`,
    );
  }
  return `nothing to run in ${d.configFile}: ${reasons.join('; ')}; no compose file written`;
}

export function emitCompose(d: Deployment, o: ComposeOptions): EmitResult {
  // it lands in .env and in a comment: refuse before anything is written
  if (!PROJECT_NAME.test(o.project)) {
    throw new ComposeError(
      'E_NAME',
      `project name ${JSON.stringify(o.project)}: Compose takes lower-case letters, digits, '-' and '_', starting with a letter or digit (set it with --name)`,
    );
  }
  const { services: model, findings, extraFiles } = composeModel(d, o);
  if (model.length === 0) throw new ComposeError('E_EMPTY', nothingToRun(d));
  const services: Record<string, unknown> = {};
  let inlineSecrets = false;
  for (const { plan, svc } of model) {
    const env = Object.keys(svc.environment ?? {}).filter((k) => k !== 'TINI_KILL_PROCESS_GROUP');
    if (env.length > 0) inlineSecrets = true;
    services[plan.name] = escapeValues(ordered(svc));
  }

  const header = [
    ` Generated by supctl from ${commentText(basename(d.configFile))}: one service per supervisor program.`,
    ` Project ${o.project}: COMPOSE_PROJECT_NAME in ${PROJECT_ENV_FILE} (docker-compose 1.29.2`,
    ` rejects a top-level name:). Every "$" is written "$$" (no interpolation).`,
  ].join('\n');
  const files: EmittedFile[] = [
    {
      path: COMPOSE_FILE,
      content: toYaml({ services }, header),
      // environment values may be secrets: keep them from other users
      mode: inlineSecrets ? 0o600 : 0o644,
    },
    {
      path: PROJECT_ENV_FILE,
      content: `# read by docker-compose / docker compose in this directory\nCOMPOSE_PROJECT_NAME=${o.project}\n`,
      mode: 0o644,
    },
    ...extraFiles,
  ];
  return { files, findings: [...findings, ...adviceFindings(d, 'compose')] };
}
