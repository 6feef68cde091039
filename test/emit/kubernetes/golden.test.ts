/**
 * Golden cases (test/golden/kubernetes/<case>/): the emitter's output must
 * equal expected/ byte for byte, every object must validate against the
 * Kubernetes 1.34 schemas (kubernetes-models), kubectl must parse every
 * file client-side, and YAML 1.1 and 1.2 readers must agree.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { readExpected } from '../../support/golden.ts';
import { listCases, runCase } from './golden-lib.ts';
import { hasKubectl, kubectlParse, schemaErrors } from './validate.ts';

const cases = listCases();
const tmp = mkdtempSync(join(tmpdir(), 'supctl-golden-k8s-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const kubectl = hasKubectl();

const docs = (text: string, version: '1.1' | '1.2') =>
  parseAllDocuments(text, { version }).map((d) => d.toJS() as Record<string, unknown>);

let validated = 0;
after(() => console.log(`# ${validated} Kubernetes objects validated against the 1.34 schemas`));

void test('golden cases exist (BK-LOG included)', () => {
  const names = cases.map((c) => c.id);
  assert.ok(names.length >= 10, `only ${names.length} cases`);
  for (const n of ['bklog-api', 'bklog-grafana', 'bklog-saas']) assert.ok(names.includes(n), n);
});

void test('the schema check does reject a broken object', () => {
  const bad = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { replicas: 'two' },
  };
  assert.notDeepEqual(schemaErrors(bad), []);
});

for (const c of cases) {
  const files = runCase(c);
  void describe(`golden kubernetes/${c.id}`, () => {
    void test('output equals expected/', () => {
      assert.ok(existsSync(c.expectedDir), `${c.expectedDir} missing: run make golden`);
      const want = readExpected(c);
      assert.deepEqual([...files.keys()].sort(), [...want.keys()].sort(), 'same file list');
      for (const [path, f] of files) assert.equal(f.content, want.get(path), path);
    });
    for (const [path, f] of files) {
      if (!path.endsWith('.yaml')) continue;
      void test(`${path}: every object validates against the schema, YAML 1.1 = 1.2`, () => {
        const objects = docs(f.content, '1.2');
        assert.deepEqual(docs(f.content, '1.1'), objects);
        for (const o of objects) {
          assert.deepEqual(schemaErrors(o), [], `${String(o.kind)}`);
          validated++;
        }
      });
      void test(
        `${path}: kubectl parses it without a cluster`,
        { skip: !kubectl && 'no kubectl' },
        () => {
          const file = join(tmp, `${c.id}-${path}`);
          writeFileSync(file, f.content);
          const r = kubectlParse(file);
          assert.equal(r.status, 0, r.stderr);
          assert.equal(r.stdout.trim().split('\n').length, docs(f.content, '1.2').length);
        },
      );
    }
  });
}
