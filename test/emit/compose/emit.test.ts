import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/load.ts';
import { ComposeError, emitCompose } from '../../../src/emit/compose/index.ts';
import type { ComposeOptions } from '../../../src/emit/compose/types.ts';
import type { Deployment } from '../../../src/model/deployment.ts';
import type { Process } from '../../../src/model/process.ts';
import { tmpConfig } from '../../config/tmpconf.ts';
import { deployment, group, OPTS, proc } from './build.ts';
import { dockerComposeConfig, pyyamlLoad as pyyaml } from './validate.ts';

interface Svc {
  image: string;
  entrypoint: string[];
  command: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  working_dir?: string;
  user?: string;
  init: boolean;
  restart: string;
  stop_signal: string;
  stop_grace_period: string;
  profiles?: string[];
  scale?: number;
  depends_on?: string[];
  logging?: { driver: string; options?: Record<string, string> };
  labels: Record<string, string>;
  deploy?: {
    replicas?: number;
    restart_policy?: { condition: string; delay?: string; max_attempts?: number; window?: string };
  };
}

function emit(d: Deployment, o: Partial<ComposeOptions> = {}) {
  const r = emitCompose(d, { ...OPTS, ...o });
  const file = r.files.find((f) => f.path === 'compose.yaml');
  assert.ok(file, 'compose.yaml emitted');
  const doc = parse(file.content) as { services: Record<string, Svc> };
  return { ...r, file, services: doc.services };
}

function one(p: Partial<Process>, o: Partial<ComposeOptions> = {}) {
  const r = emit(deployment([group('app', [proc({ name: 'app', ...p })])]), o);
  const svc = r.services['app'];
  assert.ok(svc);
  return { ...r, svc };
}

void describe('compose emitter: command and environment', () => {
  void test('argv becomes an exec-form entrypoint, every $ written $$, command emptied', () => {
    const { svc } = one({ argv: ['/bin/sh', '-c', 'echo $HOME ${X} $$', 'a b'] });
    assert.deepEqual(svc.entrypoint, ['/bin/sh', '-c', 'echo $$HOME $${X} $$$$', 'a b']);
    assert.deepEqual(svc.command, []);
  });

  void test('a relative argv0 is APPROX (container PATH), an absolute one EXACT', () => {
    const rel = one({ argv: ['bash', '-c', 'x'], origins: { command: origin('command', 3) } });
    assert.equal(rel.findings.find((f) => f.key === 'command')?.fidelity, 'APPROX');
    const abs = one({ argv: ['/bin/x'], origins: { command: origin('command', 3) } });
    const f = abs.findings.find((x) => x.key === 'command');
    assert.equal(f?.fidelity, 'EXACT');
    assert.equal(f?.origin?.line, 3);
    assert.equal(f?.program, 'app');
  });

  void test('environment goes inline with $ escaped, and compose.yaml becomes 0600', () => {
    const { svc, file } = one({ environment: { A: 'x$y', ON: 'yes', T: '10:20' } });
    assert.deepEqual(svc.environment, { A: 'x$$y', ON: 'yes', T: '10:20' });
    assert.equal(file.mode, 0o600);
    assert.equal(one({}).file.mode, 0o644);
  });

  void test('--env-file writes <service>.env 0600; values no env file reads literally stay inline', () => {
    const { svc, files } = one(
      { environment: { A: 'plain value', B: "it's", C: 'a$b', D: 'x\ny' } },
      { envFile: true },
    );
    const env = files.find((f) => f.path === 'app.env');
    assert.ok(env);
    assert.equal(env.mode, 0o600);
    assert.match(env.content, /^A='plain value'$/m);
    assert.doesNotMatch(env.content, /^[BCD]=/m);
    assert.deepEqual(svc.env_file, ['app.env']);
    assert.deepEqual(svc.environment, { B: "it's", C: 'a$$b', D: 'x\ny' });
  });

  void test('directory → working_dir; supervisord directory applies when it daemonizes', () => {
    assert.equal(one({ directory: '/srv' }).svc.working_dir, '/srv');
    const d = deployment([group('app', [proc({ name: 'app' })])]);
    d.supervisord.directory = '/data';
    assert.equal(emit(d).services['app']?.working_dir, '/data');
    d.supervisord.nodaemon = true;
    assert.equal(emit(d).services['app']?.working_dir, undefined);
  });

  void test('--shell-wrap emulates umask and redirect_stderr; without it they are NONE', () => {
    const plain = one({
      argv: ['/bin/x', 'a'],
      umask: 0o002,
      redirect_stderr: true,
      origins: { umask: origin('umask', 4), redirect_stderr: origin('redirect_stderr', 5) },
    });
    assert.deepEqual(plain.svc.entrypoint, ['/bin/x', 'a']);
    assert.equal(plain.findings.find((f) => f.key === 'umask')?.fidelity, 'NONE');
    assert.equal(plain.findings.find((f) => f.key === 'redirect_stderr')?.fidelity, 'NONE');
    const wrapped = one(
      {
        argv: ['/bin/x', 'a'],
        umask: 0o002,
        redirect_stderr: true,
        origins: { umask: origin('umask', 4), redirect_stderr: origin('redirect_stderr', 5) },
      },
      { shellWrap: true },
    );
    assert.deepEqual(wrapped.svc.entrypoint, [
      '/bin/sh',
      '-c',
      'umask 0002; exec "$$@" 2>&1',
      'sh',
      '/bin/x',
      'a',
    ]);
    assert.equal(wrapped.findings.find((f) => f.key === 'umask')?.fidelity, 'APPROX');
  });
});

function origin(key: string, line: number) {
  return { file: '/etc/supervisor/conf.d/app.conf', line, section: 'program:app', key };
}

void describe('compose emitter: restart, stop, kill group', () => {
  const cases: [Partial<Process>, string, string | undefined][] = [
    [{ autorestart: 'true' }, 'always', undefined],
    [{ autorestart: 'false' }, 'no', undefined],
    [{ autorestart: 'unexpected', exitcodes: [0] }, 'on-failure', 'EXACT'],
    [{ autorestart: 'unexpected', exitcodes: [0, 2] }, 'on-failure', 'NONE'],
    [{ autorestart: 'unexpected', exitcodes: [2] }, 'always', 'NONE'],
  ];
  for (const [p, restart, exitFidelity] of cases) {
    void test(`autorestart=${p.autorestart} exitcodes=${String(p.exitcodes ?? [0])} → ${restart}`, () => {
      const r = one(p);
      assert.equal(r.svc.restart, restart);
      assert.equal(r.findings.find((f) => f.key === 'exitcodes')?.fidelity, exitFidelity);
      assert.ok(r.findings.some((f) => f.key === 'autorestart'));
    });
  }

  void test('autorestart=false is EXACT only when startsecs=0 (no fast-failure retries)', () => {
    const f = (s: number) =>
      one({ autorestart: 'false', startsecs: s }).findings.find((x) => x.key === 'autorestart');
    assert.equal(f(0)?.fidelity, 'EXACT');
    assert.equal(f(1)?.fidelity, 'APPROX');
  });

  void test('stopsignal, stopwaitsecs, init always; TINI_KILL_PROCESS_GROUP only with stopasgroup', () => {
    const a = one({ stopsignal: 'USR1', stopwaitsecs: 7 }).svc;
    assert.equal(a.stop_signal, 'SIGUSR1');
    assert.equal(a.stop_grace_period, '7s');
    assert.equal(a.init, true);
    assert.equal(a.environment, undefined);
    const b = one({ stopasgroup: true, killasgroup: true, environment: { X: '1' } }).svc;
    assert.equal(b.init, true);
    assert.deepEqual(b.environment, { X: '1', TINI_KILL_PROCESS_GROUP: '1' });
  });

  void test('--swarm adds deploy.restart_policy (window=startsecs, max_attempts=startretries)', () => {
    const { svc } = one({ autorestart: 'true', startsecs: 5, startretries: 7 }, { swarm: true });
    assert.deepEqual(svc.deploy, {
      restart_policy: { condition: 'any', delay: '0s', max_attempts: 7, window: '5s' },
    });
    const none = one({ autorestart: 'false' }, { swarm: true }).svc;
    assert.deepEqual(none.deploy, { restart_policy: { condition: 'none', delay: '0s' } });
    assert.equal(one({ autorestart: 'true' }).svc.deploy, undefined);
  });
});

void describe('compose emitter: services, autostart, numprocs, priority', () => {
  void test('autostart=false → profiles [manual]; with --swarm → deploy.replicas 0', () => {
    assert.deepEqual(one({ autostart: false }).svc.profiles, ['manual']);
    const s = one({ autostart: false }, { swarm: true }).svc;
    assert.equal(s.profiles, undefined);
    assert.equal(s.deploy?.replicas, 0);
  });

  void test('identical numprocs processes → one scaled service (deploy.replicas with --swarm)', () => {
    const procs = [0, 1, 2].map((n) => proc({ name: `w_${n}`, processNum: n }));
    const d = deployment([group('w', procs)]);
    const plain = emit(d).services;
    assert.deepEqual(Object.keys(plain), ['w']);
    assert.equal(plain['w']?.scale, 3);
    assert.equal(plain['w']?.labels['io.supctl.process'], undefined);
    const swarm = emit(d, { swarm: true }).services['w'];
    assert.equal(swarm?.scale, undefined, 'docker-compose 1.29.2 refuses scale + replicas');
    assert.equal(swarm?.deploy?.replicas, 3);
  });

  void test('numprocs processes that differ (process_num in argv) → PROGRAM_NN services', () => {
    const procs = [0, 1].map((n) =>
      proc({ name: `w_${n}`, processNum: n, argv: ['/bin/w', `--port=${8000 + n}`] }),
    );
    const s = emit(deployment([group('w', procs)])).services;
    assert.deepEqual(Object.keys(s), ['w_00', 'w_01']);
    assert.deepEqual(s['w_01']?.entrypoint, ['/bin/w', '--port=8001']);
    assert.equal(s['w_01']?.labels['io.supctl.process'], 'w_1');
  });

  void test('priority → depends_on the next lower level; autostart=false takes no part', () => {
    const d = deployment([
      group('a', [proc({ name: 'a', priority: 10 })]),
      group('b', [proc({ name: 'b', priority: 20 })]),
      group('c', [proc({ name: 'c', priority: 20 })]),
      group('d', [proc({ name: 'd', priority: 30 })]),
      group('m', [proc({ name: 'm', priority: 5, autostart: false })]),
    ]);
    const s = emit(d).services;
    assert.equal(s['a']?.depends_on, undefined);
    assert.deepEqual(s['b']?.depends_on, ['a']);
    assert.deepEqual(s['c']?.depends_on, ['a']);
    assert.deepEqual(s['d']?.depends_on, ['b', 'c']);
    assert.equal(s['m']?.depends_on, undefined);
  });

  void test('labels name project, group, program, process', () => {
    assert.deepEqual(one({}).svc.labels, {
      'io.supctl.project': 'app',
      'io.supctl.group': 'app',
      'io.supctl.program': 'app',
      'io.supctl.process': 'app',
    });
  });

  void test('service names are compose-safe and unique', () => {
    const d = deployment([
      group('a b', [proc({ name: 'a b' })]),
      group('a-b', [proc({ name: 'a-b' })]),
    ]);
    assert.deepEqual(Object.keys(emit(d).services).sort(), ['a-b', 'a-b-2']);
  });

  void test('a command supervisor cannot split gets no service but a NONE finding', () => {
    const d = deployment([
      group('bad', [{ ...proc({ name: 'bad', argv: [] }), argvError: 'No closing quotation' }]),
      group('x', [proc({ name: 'x' })]),
    ]);
    const r = emit(d);
    assert.deepEqual(Object.keys(r.services), ['x']);
    const f = r.findings.find((x) => x.key === 'command' && x.program === 'bad');
    assert.equal(f?.fidelity, 'NONE');
    assert.match(f?.message ?? '', /No closing quotation/);
  });

  void test('eventlisteners get no service but a NONE finding', () => {
    const d = deployment([
      group('ev', [proc({ name: 'ev' })], { kind: 'eventlistener' }),
      group('x', [proc({ name: 'x' })]),
    ]);
    const r = emit(d);
    assert.deepEqual(Object.keys(r.services), ['x']);
    assert.equal(r.findings.find((f) => f.key === 'eventlistener')?.fidelity, 'NONE');
  });

  void test('images: --image PROGRAM=IMAGE overrides; missing or unknown programs are errors', () => {
    assert.equal(one({}, { images: { app: 'mine:1' } }).svc.image, 'mine:1');
    assert.throws(() => one({}, { image: undefined }), ComposeError);
    assert.throws(() => one({}, { images: { nope: 'x' } }), ComposeError);
  });

  void test('.env carries COMPOSE_PROJECT_NAME (1.29.2 rejects top-level name:)', () => {
    const r = one({}, { project: 'proj-1' });
    assert.equal(
      r.files.find((f) => f.path === '.env')?.content.match(/^COMPOSE_PROJECT_NAME=(.*)$/m)?.[1],
      'proj-1',
    );
    assert.doesNotMatch(r.file.content, /^name:/m);
  });
});

void describe('compose emitter: logging', () => {
  void test('maxbytes/backups → json-file max-size / max-file=backups+1', () => {
    const { svc } = one({ stdout_logfile_maxbytes: 1024, stdout_logfile_backups: 2 });
    assert.deepEqual(svc.logging, {
      driver: 'json-file',
      options: { 'max-size': '1024', 'max-file': '3' },
    });
    assert.deepEqual(one({ stdout_logfile_maxbytes: 0 }).svc.logging, { driver: 'json-file' });
  });

  void test('both streams discarded → driver none; only stdout → a NONE finding', () => {
    assert.deepEqual(one({ stdout_logfile: null, stderr_logfile: null }).svc.logging, {
      driver: 'none',
    });
    assert.deepEqual(one({ stdout_logfile: '/dev/null', redirect_stderr: true }).svc.logging, {
      driver: 'none',
    });
    const r = one({
      stdout_logfile: '/dev/null',
      stderr_logfile: '/var/log/x.err',
      origins: { stdout_logfile: origin('stdout_logfile', 9) },
    });
    assert.equal(r.svc.logging?.driver, 'json-file');
    assert.equal(r.findings.find((f) => f.key === 'stdout_logfile')?.fidelity, 'NONE');
  });
});

void describe('compose emitter: nothing to run, unsafe names and line breaks', () => {
  const code = (c: string) => (e: unknown) => e instanceof ComposeError && e.code === c;

  void test('services: {} is what docker-compose 1.29.2 rejects: an empty set is refused instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'supctl-empty-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), 'services: {}\n');
      const r = dockerComposeConfig(dir);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /neither an image nor a build context/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void test('an eventlistener-only config: nothing to run, naming the listeners', () => {
    const d = deployment([group('ev', [proc({ name: 'ev' })], { kind: 'eventlistener' })]);
    assert.throws(
      () => emitCompose(d, OPTS),
      (e: unknown) =>
        code('E_EMPTY')(e) &&
        /^nothing to run in .*: it defines no \[program:x\] or \[fcgi-program:x\]; eventlisteners get no service \(Docker has no supervisor events\): ev; no compose file written$/.test(
          (e as Error).message,
        ),
    );
  });

  void test('an [include] that matches nothing: nothing to run, naming the pattern', () => {
    const dir = tmpConfig({
      'supervisord.conf': '[supervisord]\n[include]\nfiles = conf.d/*.conf\n',
    });
    const d = loadConfig(join(dir, 'supervisord.conf'));
    assert.throws(
      () => emitCompose(d, OPTS),
      (e: unknown) =>
        code('E_EMPTY')(e) &&
        (e as Error).message.includes(`[include] matched no file: ${join(dir, 'conf.d/*.conf')}`),
    );
  });

  void test('programs whose commands cannot be split: nothing to run, pointing at the findings', () => {
    const d = deployment([group('bad', [proc({ name: 'bad', argv: [], argvError: 'x' })])]);
    assert.throws(() => emitCompose(d, OPTS), /no program's command can be split/);
  });

  void test('--name must be a Compose project name (it lands in .env and a comment)', () => {
    const d = deployment([group('app', [proc({ name: 'app' })])]);
    for (const project of ['App', 'a\nB=1', 'a\u2028b', '-a', '', 'a b']) {
      assert.throws(() => emitCompose(d, { ...OPTS, project }), code('E_NAME'), project);
    }
    assert.doesNotThrow(() => emitCompose(d, { ...OPTS, project: 'a_b-1' }));
  });

  void test('U+0085, U+2028, U+2029 in values and the config name stay in place for PyYAML', () => {
    const breaks = 'a\u0085b\u2028c\u2029d';
    const d = deployment([group('app', [proc({ name: 'app', argv: ['/bin/echo', breaks] })])], {
      configFile: `/etc/x${breaks}.conf`,
    });
    const text = emitCompose(d, OPTS).files.find((f) => f.path === 'compose.yaml')!.content;
    assert.doesNotMatch(text, /[\u0085\u2028\u2029]/);
    const read = pyyaml(text) as { services: Record<string, Svc> };
    assert.deepEqual(read.services['app']?.entrypoint, ['/bin/echo', breaks]);
    assert.deepEqual(parse(text, { version: '1.1' }), read);
    const dir = mkdtempSync(join(tmpdir(), 'supctl-breaks-'));
    try {
      for (const f of emitCompose(d, OPTS).files) writeFileSync(join(dir, f.path), f.content);
      const r = dockerComposeConfig(dir);
      assert.equal(r.status, 0, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void test('--env-file keeps values with U+0085/U+2028/U+2029 inline (line breaks to some readers)', () => {
    const env = { A: 'x\u2028y', B: 'plain' };
    const { svc } = one({ environment: env }, { envFile: true });
    assert.deepEqual(svc.environment, { A: 'x\u2028y' });
    assert.deepEqual(svc.env_file, ['app.env']);
  });
});
