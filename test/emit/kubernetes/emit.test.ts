/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- the tests read nested manifest fields */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../../src/config/index.ts';
import { emitKubernetes, KubernetesError } from '../../../src/emit/kubernetes/index.ts';
import { assignNames, dnsName, isDnsLabel } from '../../../src/emit/kubernetes/names.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-k8s-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function emit(conf: string, o: { namespace?: string } = {}) {
  const file = join(dir, 'app.conf');
  writeFileSync(file, conf);
  const d = loadConfig(file, { values: {}, env: {}, hostNodeName: 'node1' });
  return emitKubernetes(d, { project: 'p', namespace: o.namespace, image: 'img', images: {} });
}

const objects = (text: string) =>
  parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);

void test('names are DNS-1123 labels', () => {
  assert.equal(dnsName('My_Prog.v2'), 'my-prog-v2');
  assert.ok(isDnsLabel(dnsName('  x__y  ')));
  assert.equal(isDnsLabel('a'.repeat(64)), false);
});

void test('two programs with one DNS name are refused, not renamed', () => {
  const r = assignNames(['web_a', 'Web-A', 'db']);
  assert.ok(!(r instanceof Map));
  assert.deepEqual(r[0]?.names, ['web_a', 'Web-A']);
  assert.throws(
    () => emit('[program:web_a]\ncommand=/bin/a\n[program:web-a]\ncommand=/bin/b\n'),
    (e: unknown) => e instanceof KubernetesError && e.code === 'E_NAME' && /web-a/.test(e.message),
  );
  assert.throws(() => emit(`[program:${'x'.repeat(53)}]\ncommand=/bin/a\n`), /longer than 52/);
});

void test('distinct programs keep distinct names (injective on what it accepts)', () => {
  const r = assignNames(['a', 'b_c', 'b-d']);
  assert.ok(r instanceof Map);
  assert.equal(new Set(r.values()).size, 3);
});

void test('autorestart=true → Deployment with replicas, grace period, runAsUser, workingDir', () => {
  const r = emit(
    '[program:w]\ncommand=/bin/w\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\nautorestart=true\nstopwaitsecs=42\nuser=1000\ndirectory=/srv\n',
  );
  const [dep] = objects(r.files[0]!.content);
  assert.equal(dep!.kind, 'Deployment');
  assert.equal(dep!.spec.replicas, 2);
  const pod = dep!.spec.template.spec;
  assert.equal(pod.terminationGracePeriodSeconds, 42);
  assert.equal(pod.containers[0].securityContext.runAsUser, 1000);
  assert.equal(pod.containers[0].workingDir, '/srv');
});

void test('a user name is a NONE finding (runAsUser needs a number)', () => {
  const r = emit('[program:w]\ncommand=/bin/w\nuser=www-data\n');
  const f = r.findings.find((x) => x.key === 'user');
  assert.equal(f?.fidelity, 'NONE');
  assert.equal(
    objects(r.files[0]!.content)[0]!.spec.template.spec.containers[0].securityContext,
    undefined,
  );
});

void test('autostart=false → 0 replicas; a stop signal other than TERM is a NONE finding', () => {
  const r = emit(
    '[program:w]\ncommand=/bin/w\nautorestart=true\nautostart=false\nstopsignal=INT\n',
  );
  assert.equal(objects(r.files[0]!.content)[0]!.spec.replicas, 0);
  assert.equal(r.findings.find((x) => x.key === 'stopsignal')?.fidelity, 'NONE');
});

void test('secret-looking keys go to secrets.yaml (0600), `$` stays literal there', () => {
  const r = emit('[program:w]\ncommand=/bin/w $HOME\nenvironment=DB_PASSWORD="a$b",MODE="x"\n', {
    namespace: 'ns',
  });
  const secrets = r.files.find((f) => f.path === 'secrets.yaml');
  assert.equal(secrets?.mode, 0o600);
  assert.deepEqual(objects(secrets.content)[0]!.stringData, { DB_PASSWORD: 'a$b' });
  const manifests = r.files.find((f) => f.path === 'manifests.yaml')!;
  assert.doesNotMatch(manifests.content, /a\$b/);
  const [cm, job] = objects(manifests.content);
  assert.deepEqual(cm!.data, { MODE: 'x' });
  assert.equal(job!.metadata.namespace, 'ns');
  // command args get $(VAR) expansion: a literal $ is written $$
  assert.deepEqual(job!.spec.template.spec.containers[0].command, ['/bin/w', '$$HOME']);
});

void test('--namespace and the project name are checked', () => {
  assert.throws(
    () => emit('[program:w]\ncommand=/bin/w\n', { namespace: 'Bad_NS' }),
    KubernetesError,
  );
});
