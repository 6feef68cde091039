/**
 * Validators for generated compose files: the vendored upstream compose-spec
 * JSON schema (ajv), Debian's docker-compose 1.29.2 (`config -q`), the Docker
 * CLI's stack loader (`docker stack config`, for --swarm output) and PyYAML
 * (the YAML 1.1 reader docker-compose uses).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMA = resolve(import.meta.dirname, '../../../compose/compose-spec.schema.json');

let validator: ValidateFunction | undefined;

/** Errors of the compose-spec schema for `doc` (empty = valid). */
export function schemaErrors(doc: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
    // draft-07's meta-schema URL is not registered in ajv 8 (reference/libraries.md §4)
    delete schema['$schema'];
    validator = new Ajv({ strict: false, allErrors: true }).compile(schema);
  }
  if (validator(doc)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ToolResult {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `docker-compose config -q` (1.29.2) in `dir`; needs no daemon. */
export function dockerComposeConfig(dir: string, extra: string[] = []): ToolResult {
  return run('docker-compose', [...extra, 'config', '-q'], dir, process.env);
}

// docker-compose's own CLI entry point, run once per directory in one Python
// process: the same code path as `docker-compose config -q`, without paying
// its 1-3 s start-up per file.
const DC_BATCH = `
import io, json, os, sys, contextlib
from compose.cli.main import main
results = []
for d in json.loads(sys.stdin.read()):
    os.chdir(d)
    sys.argv = ['docker-compose', 'config', '-q']
    err = io.StringIO()
    rc = 0
    with contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    results.append({'status': rc, 'stderr': err.getvalue()})
print(json.dumps(results))
`;

/** `docker-compose config -q` (1.29.2's CLI main) for each dir, in one process. */
export function dockerComposeConfigMany(dirs: string[]): ToolResult[] {
  const out = execFileSync('/usr/bin/python3', ['-c', DC_BATCH], {
    input: JSON.stringify(dirs),
    maxBuffer: 64 << 20,
  });
  const results = JSON.parse(out.toString('utf8')) as { status: number; stderr: string }[];
  return results.map((r) => ({ status: r.status, stdout: '', stderr: r.stderr }));
}

/** `docker-compose config` output (the normalized file) in `dir`. */
export function dockerComposeConfigText(dir: string): ToolResult {
  return run('docker-compose', ['config'], dir, process.env);
}

/** `docker stack config -c compose.yaml`: the Swarm loader; needs no daemon. */
export function dockerStackConfig(dir: string): ToolResult {
  return run('docker', ['stack', 'config', '-c', 'compose.yaml'], dir, {
    ...process.env,
    DOCKER_HOST: 'unix:///nonexistent.sock',
  });
}

const PY_READ = 'import json, sys, yaml\nprint(json.dumps(yaml.safe_load(sys.stdin.read())))\n';

const PY_READ_MANY =
  'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(t) for t in json.loads(sys.stdin.read())]))\n';

/** Many documents through PyYAML in one process. */
export function pyyamlLoadMany(texts: string[]): unknown[] {
  const out = execFileSync('/usr/bin/python3', ['-c', PY_READ_MANY], {
    input: JSON.stringify(texts),
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString('utf8')) as unknown[];
}

/** The document as PyYAML (YAML 1.1, what docker-compose 1.29.2 uses) reads it. */
export function pyyamlLoad(text: string): unknown {
  const out = execFileSync('/usr/bin/python3', ['-c', PY_READ], { input: text });
  return JSON.parse(out.toString('utf8')) as unknown;
}
