/**
 * Adversarial values through `supctl convert`, both targets (issue 9).
 *
 * Each case writes one hostile text (trailing `\`, newline by continuation,
 * CR, U+0085, U+2028, NUL, `%`, `$`, `;`, `#`, quotes, leading/trailing
 * space, a 6 KB value) into one place of a config: the program name, a
 * command argument, directory, an environment value, stdout_logfile, the
 * config file's own name. supervisor 4.2.5's parser (the oracle) says what
 * the config means. Then `supctl convert` must either refuse it with one
 * line naming the file, section and key (exit 2), or write files that the
 * real runtimes read back as supervisor meant:
 *   - systemd: the user manager loads every unit with the directives we
 *     planned and no others (PartOf= still names the project target, no
 *     line was swallowed by a continuation); the program, started, sees the
 *     argv, environment and working directory supervisor would give it.
 *   - compose: `docker-compose config` accepts the file, and a YAML 1.1
 *     reader (PyYAML) of its output finds the same argv, environment and
 *     working_dir.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import type { EmittedFile } from '../../src/emit/types.ts';
import { isError, runOracle, type Answer } from '../oracle/run-oracle.ts';
import { describeWithHarness, waitFor } from './harness.ts';
import { connectManager, type Manager } from './systemd-manager.ts';

/** The hostile texts, as written into the file. */
const HOSTILE: Record<string, string> = {
  backslash: 'x\\',
  continuation: 'a\n  b',
  cr: 'a\rb',
  nel: 'a\u0085b',
  ls: 'a\u2028b',
  nul: 'a\u0000b',
  percent: '100%',
  percent2: '100%%',
  dollar: '$HOME',
  semicolon: 'a;b',
  comment: 'a ;b',
  hash: 'a#b',
  dquote: '"q"',
  squote: "'q'",
  spaces: '  lead and trail  ',
  big: 'x'.repeat(6144),
};

type Slot = 'name' | 'arg' | 'directory' | 'env' | 'logfile' | 'file';
const SLOTS: Slot[] = ['name', 'arg', 'directory', 'env', 'logfile', 'file'];

const DUMP = `import json, os, sys
out = os.environ["ADV_OUT"]
with open(out + ".tmp", "w", encoding="utf-8") as f:
    json.dump({"argv": sys.orig_argv, "env": dict(os.environ), "cwd": os.getcwd()}, f)
os.rename(out + ".tmp", out)
`;

interface Case {
  id: string;
  slot: Slot;
  text: string;
  dir: string;
  conf: string;
}

interface ProcessJson {
  name: string;
  argv: string[] | null;
  directory: string | null;
  environment: Record<string, string> | null;
  stdout_logfile: string | null;
}

function configText(c: Case, base: string, dump: string): string {
  const s = (slot: Slot, plain: string) => (c.slot === slot ? c.text : plain);
  const out = join(base, 'out', `${c.id}.json`);
  return [
    '[supervisord]',
    `[program:${s('name', 'p')}]`,
    `command=/usr/bin/python3 ${dump} ${s('arg', 'plain')}`,
    `directory=${join(c.dir, 'cwd')}${c.slot === 'directory' ? `/${c.text}` : ''}`,
    `environment=ADV_OUT="${out}",ADV_V=${s('env', 'plain')}`,
    `stdout_logfile=${c.dir}/${s('logfile', 'log')}.out`,
    'autorestart=false',
    'startsecs=0',
    '',
  ].join('\n');
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readTree(dir: string): EmittedFile[] {
  const out: EmittedFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else
        out.push({
          path: relative(dir, p),
          content: readFileSync(p, 'utf8'),
          mode: statSync(p).mode & 0o777,
        });
    }
  };
  walk(dir);
  return out;
}

/**
 * The directive keys systemd sees in a unit file: lines joined where they
 * end in `\` (systemd.syntax(7)), comments skipped.
 */
function directiveKeys(text: string): string[] {
  const keys: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[ \t]+/, '');
    if (pending === '' && (line.startsWith('#') || line.startsWith(';'))) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = pending + line;
    pending = '';
    if (full === '' || full.startsWith('[')) continue;
    keys.push(full.slice(0, full.indexOf('=')).trim());
  }
  return keys;
}

/** A rejection: exit 2, exactly one line naming the file and line, no stack trace. */
function rejectionProblems(
  c: Case,
  r: { status: number | null; stderr: string; stdout: string },
): string[] {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  const out: string[] = [];
  if (r.status !== 2)
    out.push(`${c.id}: exit ${String(r.status)}, not 2: ${r.stderr.slice(0, 200)}`);
  if (lines.length !== 1)
    out.push(`${c.id}: ${lines.length} lines on stderr: ${r.stderr.slice(0, 300)}`);
  else if (!lines[0]!.includes(c.conf))
    out.push(`${c.id}: does not name the file: ${lines[0]!.slice(0, 200)}`);
  return out;
}

/**
 * PyYAML (YAML 1.1, what docker-compose 1.29.2 itself loads the file with);
 * `$$` is undone as compose's interpolation does before a value reaches the
 * container.
 */
const PYYAML = `import json, sys, yaml
def undo(v):
    if isinstance(v, str): return v.replace("$$", "$")
    if isinstance(v, list): return [undo(x) for x in v]
    if isinstance(v, dict): return {k: undo(x) for k, x in v.items()}
    return v
print(json.dumps(undo(yaml.safe_load(sys.stdin.read()))))`;

describeWithHarness('adversarial values through convert', (h) => {
  let m: Manager;
  const base = mkdtempSync(join(tmpdir(), 'supctl-adv-'));
  const dump = join(base, 'dump.py');
  const cases: Case[] = [];
  let answers: Answer[] = [];

  before(async () => {
    m = await connectManager(h);
    writeFileSync(dump, DUMP);
    mkdirSync(join(base, 'out'));
    let n = 0;
    for (const slot of SLOTS) {
      for (const [label, text] of Object.entries(HOSTILE)) {
        const id = `c${n++}`;
        // a file name holds neither NUL nor '/', and at most 255 bytes
        if (slot === 'file' && (text.includes('\u0000') || Buffer.byteLength(text) > 200)) continue;
        const dir = join(base, id);
        mkdirSync(join(dir, 'cwd'), { recursive: true });
        const conf = join(dir, slot === 'file' ? `${text}.conf` : 'app.conf');
        cases.push({ id: `${id}-${slot}-${label}`, slot, text, dir, conf });
      }
    }
    for (const c of cases) writeFileSync(c.conf, configText(c, base, dump));
    answers = runOracle(cases.map((c) => ({ file: c.conf, env: { HOME: '/root' }, host: 'h' })));
  });
  after(async () => {
    await m.cleanup();
    m.close();
    rmSync(base, { recursive: true, force: true });
  });

  const expectedOf = (a: Answer): ProcessJson => {
    const doc = a as { groups: { processes: ProcessJson[] }[] };
    return doc.groups[0]!.processes[0]!;
  };

  void test('systemd: refused in one line, or read back by the real manager as supervisor means it', async () => {
    const started: { c: Case; unit: string; want: ProcessJson }[] = [];
    const files: EmittedFile[] = [];
    const problems: string[] = [];
    let refused = 0;
    cases.forEach((c, i) => {
      const out = join(c.dir, 'systemd');
      const r = run([
        'convert',
        c.conf,
        '--to',
        'systemd',
        '--scope',
        'user',
        '--name',
        `adv${i}`,
        '--out',
        out,
      ]);
      const a = answers[i]!;
      if (isError(a) || r.status !== 0) {
        problems.push(...rejectionProblems(c, r));
        refused++;
        return;
      }
      const emitted = readTree(out);
      for (const f of emitted) {
        if (!/\.(service|target|socket)$/.test(f.path)) continue;
        const keys = directiveKeys(f.content);
        // every key is one systemd knows and we write; a swallowed line would show as a missing PartOf=
        for (const k of keys)
          if (!/^[A-Z][A-Za-z]+$/.test(k))
            problems.push(`${c.id} ${f.path}: key ${JSON.stringify(k.slice(0, 80))}`);
        if (f.path.endsWith('.service')) {
          for (const k of ['PartOf', 'ExecStart', 'WorkingDirectory', 'StandardOutput'])
            if (!keys.includes(k)) problems.push(`${c.id} ${f.path}: ${k}= lost`);
          started.push({ c, unit: f.path, want: expectedOf(a) });
        }
      }
      files.push(...emitted);
    });
    assert.deepEqual(problems, [], `${problems.length} problems in the written files`);
    assert.ok(started.length > 0, 'some cases were accepted');
    await m.install(files);
    const unrunnable: string[] = [];
    for (const s of started) {
      const partOf = (await m.prop(s.unit, 'Unit', 'PartOf')) as string[];
      assert.equal(partOf.length, 1, `${s.c.id}: PartOf= as written`);
      const want = s.want;
      if (want.directory === null) continue;
      assert.equal(
        await m.prop(s.unit, 'Service', 'WorkingDirectory'),
        want.directory,
        `${s.c.id}: WorkingDirectory= as supervisor reads directory=`,
      );
      try {
        mkdirSync(want.directory, { recursive: true });
      } catch (e) {
        // a 6 KB path cannot exist here: supervisor's chdir fails as systemd's does
        if ((e as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') throw e;
        unrunnable.push(s.unit);
      }
    }
    started.splice(0, started.length, ...started.filter((s) => !unrunnable.includes(s.unit)));
    const results = await m.start(started.map((s) => s.unit));
    const mismatches: string[] = [];
    for (const s of started) {
      if (results[s.unit] !== 'done') mismatches.push(`${s.c.id}: start ${results[s.unit]}`);
    }
    await waitFor(
      'every accepted program to dump its view',
      () =>
        started.every((s) => existsSync(join(base, 'out', `${s.c.id}.json`))) ? true : undefined,
      60_000,
    ).catch(() => undefined);
    for (const s of started) {
      const path = join(base, 'out', `${s.c.id}.json`);
      if (!existsSync(path)) {
        mismatches.push(`${s.c.id}: the program did not run`);
        continue;
      }
      const got = JSON.parse(readFileSync(path, 'utf8')) as {
        argv: string[];
        env: Record<string, string>;
        cwd: string;
      };
      const want = s.want;
      if (JSON.stringify(got.argv) !== JSON.stringify(want.argv))
        mismatches.push(
          `${s.c.id}: argv ${JSON.stringify(got.argv)} ≠ ${JSON.stringify(want.argv)}`,
        );
      for (const [k, v] of Object.entries(want.environment ?? {})) {
        if (got.env[k] !== v)
          mismatches.push(
            `${s.c.id}: env ${k}=${JSON.stringify(got.env[k])} ≠ ${JSON.stringify(v)}`,
          );
      }
      if (want.directory !== null && got.cwd !== want.directory)
        mismatches.push(
          `${s.c.id}: cwd ${JSON.stringify(got.cwd)} ≠ ${JSON.stringify(want.directory)}`,
        );
    }
    assert.deepEqual(mismatches, [], `${mismatches.length} mismatches`);
    // both outcomes happen: the suite exercises refusals and round trips
    assert.ok(refused > 0 && started.length > 0, `refused ${refused}, started ${started.length}`);
  });

  void test('compose: refused in one line, or read back by docker-compose and a YAML 1.1 reader as supervisor means it', () => {
    const mismatches: string[] = [];
    let accepted = 0;
    cases.forEach((c, i) => {
      const out = join(c.dir, 'compose');
      const r = run([
        'convert',
        c.conf,
        '--to',
        'compose',
        '--image',
        'busybox',
        '--name',
        `adv${i}`,
        '--out',
        out,
      ]);
      const a = answers[i]!;
      if (isError(a) || r.status !== 0) {
        mismatches.push(...rejectionProblems(c, r));
        return;
      }
      accepted++;
      const cfg = spawnSync('/usr/bin/docker-compose', ['config', '-q'], {
        cwd: out,
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: '/root' },
      });
      if (cfg.status !== 0) {
        mismatches.push(`${c.id}: docker-compose config: ${cfg.stderr.slice(0, 300)}`);
        return;
      }
      // values from the file itself: `config` re-serializes, and its own writer folds U+0085
      const y = spawnSync('/usr/bin/python3', ['-c', PYYAML], {
        input: readFileSync(join(out, 'compose.yaml'), 'utf8'),
        encoding: 'utf8',
      });
      const doc = JSON.parse(y.stdout) as {
        services: Record<
          string,
          { entrypoint?: string[]; environment?: Record<string, string>; working_dir?: string }
        >;
      };
      const svcs = Object.values(doc.services);
      if (svcs.length !== 1) {
        mismatches.push(`${c.id}: ${svcs.length} services`);
        return;
      }
      const svc = svcs[0]!;
      const want = expectedOf(a);
      if (JSON.stringify(svc.entrypoint) !== JSON.stringify(want.argv))
        mismatches.push(
          `${c.id}: entrypoint ${JSON.stringify(svc.entrypoint)} ≠ ${JSON.stringify(want.argv)}`,
        );
      for (const [k, v] of Object.entries(want.environment ?? {})) {
        if (svc.environment?.[k] !== v)
          mismatches.push(
            `${c.id}: env ${k}=${JSON.stringify(svc.environment?.[k])} ≠ ${JSON.stringify(v)}`,
          );
      }
      if (want.directory !== null && svc.working_dir !== want.directory)
        mismatches.push(
          `${c.id}: working_dir ${JSON.stringify(svc.working_dir)} ≠ ${JSON.stringify(want.directory)}`,
        );
    });
    assert.deepEqual(mismatches, [], `${mismatches.length} mismatches`);
    assert.ok(accepted > 0, 'some cases were accepted');
  });
});
