/**
 * Escaping round trip on the real dockerd: random commands and environments
 * (fast-check, fixed seed) → supervisor's split (Python's shlex.split, the
 * oracle) → emitCompose → compose.yaml (+ env files) → docker-compose 1.29.2
 * → a real container that prints its argv and environment (hex, NUL
 * separated). Every set must come back byte for byte.
 *
 * vfs makes containers slow to start, so sets are batched: each service
 * runs `/bin/sh -c SCRIPT sh SEP0 <set0 argv> SEP1 <set1 argv> ...`, which
 * is exactly the split of the concatenated command lines, and carries the
 * union of the sets' environments (keys prefixed per set). One project
 * writes environment inline, one with --env-file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { shQuote } from '../emit/compose/sh-quote.ts';
import { deployment, group, proc } from '../emit/compose/build.ts';
import { describeWithHarness, waitFor } from './harness.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitCompose } from '../../src/emit/compose/index.ts';
import { writeFilesAtomically } from '../../src/emit/write.ts';

const SEED = 20261126;
const SETS_PER_SERVICE = 25;
const SERVICES_PER_PROJECT = 4;
const SETS = SETS_PER_SERVICE * SERVICES_PER_PROJECT * 2; // 200

const SCRIPT = 'printf "%s\\0" "$@" | od -An -v -tx1; echo ENV; env -0 | od -An -v -tx1; echo END';

// Characters that matter to YAML, Compose interpolation, shells and shlex.
const CHARS = [
  ...'aZ09_-./:=,@%+ \t\n$${}()[]\'"\\#;&|<>*?!~`^',
  'é',
  '中',
  '😀',
  '\r',
  'yes',
  'on',
  '10:20',
  '0o17',
  '${X}',
  '$$',
  '<<',
  'null',
  '- ',
];
const word = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 10 });
const setArb = fc.record({
  // half the sets: an argv written with shell quoting; half: a raw command line
  argv: fc.array(word, { maxLength: 5 }),
  raw: fc.array(fc.string({ unit: fc.constantFrom(...CHARS, '"', "'", '\\'), maxLength: 8 }), {
    maxLength: 4,
  }),
  useRaw: fc.boolean(),
  env: fc.array(word, { maxLength: 4 }),
});

interface RtSet {
  command: string;
  argv: string[];
  env: Record<string, string>;
}

/** Python's shlex.split for many lines at once; null where Python raises. */
function pythonSplit(lines: string[]): (string[] | null)[] {
  const code =
    'import json, shlex, sys\n' +
    'out = []\n' +
    'for s in json.loads(sys.stdin.read()):\n' +
    '    try: out.append(shlex.split(s))\n' +
    '    except ValueError: out.append(None)\n' +
    'print(json.dumps(out))\n';
  const out = execFileSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(lines) });
  return JSON.parse(out.toString('utf8')) as (string[] | null)[];
}

function makeSets(): RtSet[] {
  const samples = fc.sample(setArb, { seed: SEED, numRuns: SETS * 3 });
  const lines = samples.map((s) => (s.useRaw ? s.raw.join(' ') : s.argv.map(shQuote).join(' ')));
  const split = pythonSplit(lines);
  const sets: RtSet[] = [];
  samples.forEach((s, i) => {
    const argv = split[i];
    if (argv === null || argv === undefined || sets.length >= SETS) return;
    // a quoted argv must split back to itself: checks the oracle and shQuote
    if (!s.useRaw) assert.deepEqual(argv, s.argv);
    const n = sets.length;
    const env = Object.fromEntries(s.env.map((v, j) => [`S${n}_E${j}`, v]));
    sets.push({ command: lines[i]!, argv, env });
  });
  assert.equal(sets.length, SETS, 'enough valid sets');
  assert.ok(
    sets.filter((s) => /[$'"\\\n]/.test(s.command)).length > SETS / 2,
    'the sets exercise quoting',
  );
  return sets;
}

const sepOf = (n: number): string => `@@SET${n}@@`;

interface Batch {
  service: string;
  sets: { n: number; set: RtSet }[];
  argv: string[];
}

function batchesFor(sets: { n: number; set: RtSet }[]): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < sets.length; i += SETS_PER_SERVICE) {
    const chunk = sets.slice(i, i + SETS_PER_SERVICE);
    const line =
      `/bin/sh -c ${shQuote(SCRIPT)} sh ` +
      chunk.map(({ n, set }) => `${sepOf(n)} ${set.command}`).join(' ');
    const [argv] = pythonSplit([line]);
    assert.ok(argv, line);
    out.push({ service: `rt${out.length}`, sets: chunk, argv });
  }
  return out;
}

function hexBytes(lines: string[]): Buffer {
  return Buffer.from(
    lines
      .join(' ')
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '')
      .join(''),
    'hex',
  );
}

/** Parses the container's output: argv after $0, and its environment. */
function parseOutput(text: string): { args: string[]; env: Record<string, string> } {
  const lines = text.split('\n');
  const envAt = lines.indexOf('ENV');
  const endAt = lines.indexOf('END');
  assert.ok(envAt >= 0 && endAt > envAt, `unexpected output: ${text.slice(0, 300)}`);
  const args = hexBytes(lines.slice(0, envAt)).toString('utf8').split('\0');
  args.pop(); // printf's last NUL
  const env: Record<string, string> = {};
  for (const kv of hexBytes(lines.slice(envAt + 1, endAt))
    .toString('utf8')
    .split('\0')) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { args, env };
}

function docker(args: string[], cwd?: string): string {
  const r = spawnSync(args[0]!, args.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describeWithHarness('compose escaping round trip (argv + environment, real containers)', (h) => {
  const sets = makeSets();
  const numbered = sets.map((set, n) => ({ n, set }));
  const half = numbered.length / 2;
  const projects = [
    {
      name: `supctl-t-rt-inline-${process.pid}`,
      envFile: false,
      batches: batchesFor(numbered.slice(0, half)),
    },
    {
      name: `supctl-t-rt-envfile-${process.pid}`,
      envFile: true,
      batches: batchesFor(numbered.slice(half)),
    },
  ];
  const tmp = mkdtempSync(join(tmpdir(), 'supctl-rt-'));
  const results = new Map<
    number,
    { args: string[]; env: Record<string, string>; entrypoint: string[] }
  >();

  // A failing hook would only "cancel" the tests (# fail 0): keep the error
  // and fail each test with it instead.
  let setupError: unknown;
  const ready = (): void => {
    if (setupError !== undefined) {
      throw setupError instanceof Error ? setupError : new Error(JSON.stringify(setupError));
    }
  };
  before(async () => {
    try {
      await setup();
    } catch (e) {
      setupError = e;
    }
  });
  const setup = async (): Promise<void> => {
    for (const p of projects) {
      const groups = p.batches.map((b) =>
        group(b.service, [
          proc({
            name: b.service,
            command: b.argv.join(' '),
            argv: b.argv,
            environment: Object.assign({}, ...b.sets.map(({ set }) => set.env)) as Record<
              string,
              string
            >,
            autorestart: 'false',
            startsecs: 0,
          }),
        ]),
      );
      const r = emitCompose(deployment(groups), {
        project: p.name,
        image: h.docker.image,
        images: {},
        envFile: p.envFile,
        swarm: false,
        shellWrap: false,
      });
      writeFilesAtomically(join(tmp, p.name), r.files);
      docker(['docker-compose', '-p', p.name, 'up', '-d'], join(tmp, p.name));
    }
    for (const p of projects) {
      for (const b of p.batches) {
        const id = docker([
          'docker',
          'ps',
          '-aq',
          '--filter',
          `label=com.docker.compose.project=${p.name}`,
          '--filter',
          `label=com.docker.compose.service=${b.service}`,
        ]).trim();
        await waitFor(
          `${b.service} of ${p.name} to exit`,
          () =>
            docker(['docker', 'inspect', '-f', '{{.State.Status}}', id]).trim() === 'exited'
              ? true
              : undefined,
          120_000,
          250,
        );
        const out = parseOutput(docker(['docker', 'logs', id]));
        const entrypoint = JSON.parse(
          docker(['docker', 'inspect', '-f', '{{json .Config.Entrypoint}}', id]),
        ) as string[];
        b.sets.forEach(({ n }) => results.set(n, { ...out, entrypoint }));
        // split this container's argv back into its sets
        for (const { n, set } of b.sets) {
          const start = out.args.indexOf(sepOf(n));
          const nextSep = out.args.findIndex((a, i) => i > start && /^@@SET\d+@@$/.test(a));
          const args = out.args.slice(start + 1, nextSep < 0 ? undefined : nextSep);
          const env = Object.fromEntries(
            Object.entries(out.env).filter(([k]) => k.startsWith(`S${n}_`)),
          );
          results.set(n, { args, env, entrypoint });
          void set;
        }
      }
    }
  };

  after(() => {
    for (const p of projects) {
      spawnSync('docker-compose', ['-p', p.name, 'down', '-t', '1'], { cwd: join(tmp, p.name) });
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  void test(`${SETS} random argv/environment sets: 0 mismatches`, () => {
    ready();
    const mismatches: string[] = [];
    sets.forEach((set, n) => {
      const got = results.get(n);
      if (!got) {
        mismatches.push(`set ${n}: no output`);
        return;
      }
      try {
        assert.deepEqual(got.args, set.argv);
        assert.deepEqual(got.env, set.env);
      } catch {
        mismatches.push(
          `set ${n}: command ${JSON.stringify(set.command)} env ${JSON.stringify(set.env)} → argv ${JSON.stringify(got.args)} env ${JSON.stringify(got.env)}`,
        );
      }
    });
    assert.equal(results.size, SETS);
    assert.deepEqual(mismatches, []);
  });

  void test('Docker holds exactly the argv supervisor would exec (docker inspect Entrypoint)', () => {
    ready();
    for (const p of projects) {
      for (const b of p.batches) {
        assert.deepEqual(results.get(b.sets[0]!.n)?.entrypoint, b.argv, b.service);
      }
    }
  });

  void test('--env-file moved the portable values into 0600 files', () => {
    ready();
    const p = projects[1]!;
    const mode = docker([
      'stat',
      '-c',
      '%a',
      join(tmp, p.name, `${p.batches[0]!.service}.env`),
    ]).trim();
    assert.equal(mode, '600');
  });
});
