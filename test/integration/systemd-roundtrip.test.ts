/**
 * Escaping round trip on the real systemd user manager: random commands and
 * environments (quotes, backslashes, %, $, ;, #, spaces, unicode, empty
 * strings, newlines) → generated units whose program dumps its argv and
 * environment as JSON → compared with supervisor's own split of the same
 * command (Python's shlex.split, which is what supervisor calls) and with
 * the configured environment. Half of the units use the EnvironmentFile,
 * half --inline-env.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { shlexSplit } from '../../src/config/shlex.ts';
import { emitSystemd } from '../../src/emit/systemd/index.ts';
import { deployment, program, proc } from '../emit/systemd/fixture.ts';
import { describeWithHarness, waitFor } from './harness.ts';
import { connectManager, type Manager } from './systemd-manager.ts';

const SEED = 20240611;
const PER_MODE = 160; // × 2 modes = 320 units

const CHARS = [
  'a',
  'b',
  'i',
  'n',
  'H',
  '0',
  ' ',
  ' ',
  '"',
  "'",
  '\\',
  '%',
  '$',
  ';',
  '#',
  '{',
  '}',
  '\n',
  '\t',
  'é',
  '€',
  '中',
  '𝄞',
  '=',
  ':',
  ',',
  '@',
  '!',
  '*',
  '?',
  '~',
  '`',
  '&',
  '|',
  '-',
];
const word = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((a) => a.join(''));

/** One argument written in a random supervisor-legal way (python decides what it means). */
const quoted = fc
  .tuple(word, fc.constantFrom('single', 'double', 'backslash', 'bare'))
  .map(([w, style]) => {
    switch (style) {
      case 'single':
        return w.includes("'") ? `"${w.replace(/["\\]/g, (c) => `\\${c}`)}"` : `'${w}'`;
      case 'double':
        return `"${w.replace(/["\\]/g, (c) => `\\${c}`)}"`;
      case 'backslash':
        return w === '' ? "''" : w.replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`);
      default:
        // bare words only from characters shlex leaves alone
        return w.replace(/[^A-Za-z0-9%$;#{}=:,@!*?~&|é€中𝄞-]/gu, '') || "''";
    }
  });
const argsArb = fc.array(quoted, { maxLength: 6 }).map((a) => a.join(' '));
const envArb = fc.dictionary(
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/).map((k) => `V_${k}`),
  word,
  { maxKeys: 4 },
);
const caseArb = fc.record({ args: argsArb, env: envArb, relative: fc.boolean() });

const DUMP = `import json, os, sys
out = os.environ["RT_OUT"]
with open(out + ".tmp", "w", encoding="utf-8") as f:
    json.dump({"argv": sys.orig_argv, "env": dict(os.environ)}, f)
os.rename(out + ".tmp", out)
`;

function pythonSplit(commands: string[]): string[][] {
  const out = execFileSync(
    '/usr/bin/python3',
    [
      '-c',
      'import json,shlex,sys; print(json.dumps([shlex.split(c) for c in json.load(sys.stdin)]))',
    ],
    { input: JSON.stringify(commands), encoding: 'utf8' },
  );
  return JSON.parse(out) as string[][];
}

describeWithHarness('systemd escaping round trip', (h) => {
  let m: Manager;
  const dir = mkdtempSync(join(tmpdir(), 'supctl-rt-'));
  before(async () => {
    m = await connectManager(h);
  });
  after(async () => {
    await m.cleanup();
    m.close();
    rmSync(dir, { recursive: true, force: true });
  });

  void test(`${PER_MODE * 2} random argv/environment sets: 0 mismatches with shlex.split (seed ${SEED})`, async () => {
    writeFileSync(join(dir, 'dump.py'), DUMP);
    const cases = fc.sample(caseArb, { seed: SEED, numRuns: PER_MODE * 2 });
    const commands = cases.map(
      (c) => `${c.relative ? 'python3' : '/usr/bin/python3'} ${join(dir, 'dump.py')} ${c.args}`,
    );
    const expected = pythonSplit(commands);
    const tag = `rt${process.pid}`;
    const units: string[] = [];
    for (const inline of [false, true]) {
      const project = `${tag}${inline ? 'i' : 'f'}`;
      const groups = cases
        .map((c, i) => ({ c, i }))
        .filter(({ i }) => i % 2 === (inline ? 1 : 0))
        .map(({ c, i }) => {
          const name = `c${i}`;
          const env = { ...c.env, RT_OUT: join(dir, `${i}.json`) };
          return program(name, [
            proc(name, {
              command: commands[i]!,
              argv: shlexSplit(commands[i]!),
              environment: env,
              autorestart: 'false',
              startsecs: 0,
              stdout_logfile: null,
              stderr_logfile: null,
            }),
          ]);
        });
      const r = emitSystemd(deployment(groups), {
        project,
        scope: 'user',
        inlineEnv: inline,
        logrotate: false,
      });
      await m.install(r.files);
      units.push(...groups.map((g) => `${project}-${g.name}.service`));
    }
    // our reader's split is supervisor's split (a precondition, not the point)
    cases.forEach((_, i) => assert.deepEqual(shlexSplit(commands[i]!), expected[i]));

    const results = await m.start(units);
    const failedJobs = Object.entries(results).filter(([, r]) => r !== 'done');
    assert.deepEqual(failedJobs, [], 'every unit started');
    await waitFor(
      'every program to dump its argv',
      () => (cases.every((_, i) => existsSync(join(dir, `${i}.json`))) ? true : undefined),
      60_000,
    );
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const got = JSON.parse(readFileSync(join(dir, `${i}.json`), 'utf8')) as {
        argv: string[];
        env: Record<string, string>;
      };
      const want = expected[i]!;
      if (JSON.stringify(got.argv) !== JSON.stringify(want)) {
        mismatches.push(
          `#${i} argv ${JSON.stringify(commands[i])}: got ${JSON.stringify(got.argv)} want ${JSON.stringify(want)}`,
        );
      }
      for (const [k, v] of Object.entries(c.env)) {
        if (got.env[k] !== v) {
          mismatches.push(
            `#${i} env ${k}: got ${JSON.stringify(got.env[k])} want ${JSON.stringify(v)} (${i % 2 ? 'inline' : 'file'})`,
          );
        }
      }
      if (got.env['SUPERVISOR_ENABLED'] !== '1') mismatches.push(`#${i} SUPERVISOR_ENABLED`);
    });
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches`);
  });
});
