import type { Deployment } from '../../model/deployment.ts';
import type { Group, ProgramInfo } from '../../model/group.ts';
import type { Process } from '../../model/process.ts';

export interface ComposeOptions {
  /** Project name: goes to `.env` (COMPOSE_PROJECT_NAME) and the io.supctl.project label. */
  project: string;
  /** Image for every service (the one that used to run supervisord). */
  image: string | undefined;
  /** Per-program images, by program name. */
  images: Record<string, string>;
  /** Environment values go to `<service>.env` files (mode 0600) instead of compose.yaml. */
  envFile: boolean;
  /** Add `deploy:` keys for `docker stack deploy`. */
  swarm: boolean;
  /** Emulate umask / redirect_stderr with `/bin/sh -c` around the command. */
  shellWrap: boolean;
}

interface RestartPolicyDraft {
  condition: string;
  delay?: string;
  max_attempts?: number;
  window?: string;
}

/** One compose service, in the key order it is written. */
export interface ServiceDraft {
  image: string;
  entrypoint: string[];
  command: string[];
  working_dir?: string;
  user?: string;
  environment?: Record<string, string>;
  env_file?: string[];
  init: true;
  restart: string;
  stop_signal: string;
  stop_grace_period: string;
  profiles?: string[];
  scale?: number;
  /** Short form: each entry means condition service_started (also read by docker stack). */
  depends_on?: string[];
  logging?: { driver: string; options?: Record<string, string> };
  healthcheck?: {
    test: string[];
    interval: string;
    timeout: string;
    retries: number;
    start_period?: string;
  };
  labels: Record<string, string>;
  deploy?: { replicas?: number; restart_policy?: RestartPolicyDraft };
}

/** A service to be: one process, or identical numprocs replicas. */
export interface PlannedService {
  name: string;
  group: Group;
  program: ProgramInfo;
  /** Every process this service stands for; the first one is representative. */
  processes: Process[];
}

/** What a key rule sees and may change. */
export interface ServiceContext {
  d: Deployment;
  o: ComposeOptions;
  plan: PlannedService;
  p: Process;
  svc: ServiceDraft;
  /** Files besides compose.yaml (env files). */
  extraFiles: { path: string; content: string; mode: number }[];
}
