/**
 * A generated compose project on the harness dockerd, driven with Debian's
 * docker-compose 1.29.2 and the docker CLI (no mocks). Every project gets a
 * unique name; `down()` removes its containers and network.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.ts';
import { emitCompose } from '../../../src/emit/compose/index.ts';
import type { ComposeOptions } from '../../../src/emit/compose/types.ts';
import type { EmitResult } from '../../../src/emit/types.ts';
import { writeFilesAtomically } from '../../../src/emit/write.ts';

export interface Inspect {
  Id: string;
  RestartCount: number;
  State: { Status: string; Running: boolean; ExitCode: number };
  Config: {
    Env: string[] | null;
    Entrypoint: string[] | null;
    Cmd: string[] | null;
    StopSignal?: string;
    StopTimeout?: number;
    WorkingDir: string;
    Labels: Record<string, string>;
  };
  HostConfig: {
    Init: boolean | null;
    RestartPolicy: { Name: string; MaximumRetryCount: number };
    LogConfig: { Type: string; Config: Record<string, string> };
  };
}

function sh(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  }
  return r.stdout;
}

let counter = 0;

/** A unique, compose-safe project name for this test process. */
export function uniqueProject(tag: string): string {
  counter++;
  return `supctl-t-${tag}-${process.pid}-${counter}`.toLowerCase();
}

export class ComposeProject {
  readonly dir: string;
  readonly result: EmitResult;

  /** Reads `config` (supervisord INI text) with the real reader and emits into a temp dir. */
  constructor(
    readonly name: string,
    config: string,
    options: Partial<ComposeOptions> & { image: string },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    const confPath = join(this.dir, 'supervisord.conf');
    writeFileSync(confPath, config);
    const d = loadConfig(confPath, { env: {}, hostNodeName: 'node1' });
    this.result = emitCompose(d, {
      project: name,
      images: {},
      envFile: false,
      swarm: false,
      shellWrap: false,
      ...options,
    });
    writeFilesAtomically(join(this.dir, 'out'), this.result.files);
  }

  get outDir(): string {
    return join(this.dir, 'out');
  }

  /** docker-compose in the output directory; `withName` adds -p (else .env names the project). */
  compose(args: string[], withName = true): string {
    return sh('docker-compose', [...(withName ? ['-p', this.name] : []), ...args], this.outDir);
  }

  up(services: string[] = [], withName = true): void {
    this.compose(['up', '-d', ...services], withName);
  }

  private ids = new Map<string, string[]>();

  /** Container ids by the compose labels (docker CLI: fast; restarts keep the id). */
  containerIds(service: string): string[] {
    const cached = this.ids.get(service);
    if (cached && cached.length > 0) return cached;
    const ids = sh('docker', [
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${this.name}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ])
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    this.ids.set(service, ids);
    return ids;
  }

  inspect(service: string): Inspect {
    const [id] = this.containerIds(service);
    if (id === undefined) throw new Error(`no container for ${service} in ${this.name}`);
    const all = JSON.parse(sh('docker', ['inspect', id])) as Inspect[];
    return all[0]!;
  }

  /** Both streams of the service's (first) container. */
  logs(service: string): string {
    const [id] = this.containerIds(service);
    if (id === undefined) return '';
    const r = spawnSync('docker', ['logs', id], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return r.stdout + r.stderr;
  }

  /** stdout and stderr of the service's (first) container, apart. */
  streams(service: string): { stdout: string; stderr: string } {
    const [id] = this.containerIds(service);
    if (id === undefined) return { stdout: '', stderr: '' };
    const r = spawnSync('docker', ['logs', id], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return { stdout: r.stdout, stderr: r.stderr };
  }

  /** Removes containers and network, then the temp dir. Never throws. */
  down(): void {
    try {
      this.compose(['down', '-t', '1', '--remove-orphans']);
    } catch {
      // last resort: remove by the compose project label
      const ids = spawnSync(
        'docker',
        ['ps', '-aq', '--filter', `label=com.docker.compose.project=${this.name}`],
        { encoding: 'utf8' },
      )
        .stdout.split('\n')
        .filter((s) => s.trim() !== '');
      if (ids.length > 0) spawnSync('docker', ['rm', '-f', ...ids]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Containers of any supctl test project still present (for leak checks). */
export function leftoverContainers(name: string): string[] {
  return sh('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${name}`])
    .split('\n')
    .filter((s) => s.trim() !== '');
}
