/**
 * Golden cases (test/golden/compose/<case>/, found by glob): the emitter's
 * output must equal expected/ byte for byte, validate against the vendored
 * compose-spec schema, be accepted by docker-compose 1.29.2 (and, for
 * --swarm, by docker's stack loader), and read the same in YAML 1.1 and 1.2.
 * Regenerate with `make golden` and review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { writeFilesAtomically } from '../../../src/emit/write.ts';
import { readExpected } from '../../support/golden.ts';
import { caseOptions, listCases, runCase, type GoldenOutput } from './golden-lib.ts';
import {
  dockerComposeConfig,
  dockerComposeConfigMany,
  dockerStackConfig,
  pyyamlLoadMany,
  schemaErrors,
} from './validate.ts';

const cases = listCases();
const tmp = mkdtempSync(join(tmpdir(), 'supctl-golden-compose-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Emit every case into its own directory, then validate all of them with one
// docker-compose process and one PyYAML process (their start-up dominates).
const outputs = new Map<string, { out: GoldenOutput; dir: string; compose: string }>();
for (const c of cases) {
  const out = runCase(c);
  const outDir = join(tmp, c.id);
  writeFilesAtomically(
    outDir,
    [...out.files]
      .filter(([p]) => p !== 'report.txt' && p !== 'modes.txt')
      .map(([path, f]) => ({ path, ...f })),
  );
  outputs.set(c.id, { out, dir: outDir, compose: out.files.get('compose.yaml')?.content ?? '' });
}
const all = [...outputs.values()];
const composeResults = dockerComposeConfigMany(all.map((o) => o.dir));
const pyDocs = pyyamlLoadMany(all.map((o) => o.compose));

void test('golden cases exist (one per mapping row, BK-LOG included)', () => {
  const names = cases.map((c) => c.id);
  assert.ok(names.length >= 10, `only ${names.length} cases`);
  for (const n of ['bklog-api', 'bklog-grafana', 'bklog-saas']) assert.ok(names.includes(n), n);
});

void test('the batched docker-compose run agrees with the real CLI (bklog-saas, and a broken file)', () => {
  const i = all.findIndex((o) => o.dir.endsWith('/bklog-saas'));
  assert.ok(i >= 0);
  const cli = dockerComposeConfig(all[i]!.dir);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(composeResults[i]?.status, 0);
  // the batch runner does report errors: a file 1.29.2 rejects (top-level name:)
  const bad = join(tmp, 'broken');
  writeFilesAtomically(bad, [
    { path: 'compose.yaml', content: 'name: "x"\nservices: {}\n', mode: 0o644 },
  ]);
  const [r] = dockerComposeConfigMany([bad]);
  assert.notEqual(r?.status, 0);
  assert.equal(dockerComposeConfig(bad).status === 0, false);
});

all.forEach((o, i) => {
  const name = basename(o.dir);
  const c = cases[i]!;
  void describe(`golden compose/${name}`, () => {
    void test('output equals expected/', () => {
      assert.ok(existsSync(c.expectedDir), `${c.expectedDir} missing: run make golden`);
      const want = readExpected(c);
      assert.deepEqual([...o.out.files.keys()].sort(), [...want.keys()].sort(), 'same file list');
      for (const [path, f] of o.out.files) assert.equal(f.content, want.get(path), path);
    });

    void test('validates against the compose-spec JSON schema (ajv)', () => {
      assert.deepEqual(schemaErrors(parse(o.compose)), []);
    });

    void test('docker-compose 1.29.2 accepts it (config -q), without warnings', () => {
      const r = composeResults[i];
      assert.equal(r?.status, 0, r?.stderr);
      assert.equal(r?.stderr, '');
    });

    if (caseOptions(c).swarm) {
      void test('docker stack config accepts it (--swarm)', () => {
        const r = dockerStackConfig(o.dir);
        assert.equal(r.status, 0, r.stderr);
      });
    }

    void test('YAML 1.1 (PyYAML) and 1.2 read the same document', () => {
      assert.deepEqual(pyDocs[i], parse(o.compose, { version: '1.2' }));
    });
  });
});
