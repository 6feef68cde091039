/**
 * Crash safety of the Docker backend (issue 9), against the harness's
 * dockerd: for every failpoint in src/control/docker (read from the source,
 * so a new one cannot go untested), `supctl apply` (fresh project) and
 * `supctl update` (one group changed, one kept) are killed there with
 * SIGKILL; the next `update` must exit 0 and leave exactly the config's
 * containers running with the new config, containers it could keep kept
 * (same id), no `*.supctl-next` container and no lock or journal file.
 * The same for `remove`, finished by the next `remove`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { lockPath } from '../../src/control/docker/lock-path.ts';
import { describeWithHarness } from './harness.ts';

const PROJECT = `crash${process.pid}`;
const SRC = 'src/control/docker';

/** Every failpoint name written in the Docker backend's source. */
function failpointsInSource(): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(SRC)) {
    const text = readFileSync(join(SRC, f), 'utf8');
    for (const m of text.matchAll(/failpoint\('([^']+)'\)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

/** A fresh apply replaces nothing, so it renames no temp container. */
const NOT_ON_FRESH_APPLY = new Set(['docker:apply:renamed-first']);

/** Group a (two processes) carries the version in its environment; b never changes. */
const conf = (mark: string, extra = '') => `[program:a]
command=/bin/sleep 1001
${extra}numprocs=2
process_name=%(program_name)s_%(process_num)s
environment=MARK="${mark}"
startsecs=0
stopsignal=KILL

[program:b]
command=/bin/sleep 1002
startsecs=0
stopsignal=KILL
`;

interface Container {
  id: string;
  name: string;
  hash: string;
}

describeWithHarness('docker: a SIGKILL at any step, then update converges', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-crashd-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: h.docker.host };
  delete env['SUPCTL_FAILPOINT'];
  const v1 = join(dir, 'v1.conf');
  const v2 = join(dir, 'v2.conf');
  writeFileSync(v1, conf('v1'));
  writeFileSync(v2, conf('v2'));
  // the daemon refuses to start a container whose user is not in the image
  const unstartable = join(dir, 'unstartable.conf');
  writeFileSync(unstartable, conf('v3', 'user=nosuchuser\n'));
  const lock = lockPath(h.docker.host, PROJECT);

  const supctl = (failpoint: string | undefined, verb: string, ...args: string[]) => {
    const r = spawnSync(
      process.execPath,
      [
        'bin/supctl',
        verb,
        ...args,
        '--backend',
        'docker',
        '--name',
        PROJECT,
        ...(verb === 'apply' || verb === 'update' ? ['--image', h.docker.image] : []),
      ],
      {
        env: failpoint ? { ...env, SUPCTL_FAILPOINT: failpoint } : env,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    return { status: r.status, signal: r.signal, out: r.stdout + r.stderr, stdout: r.stdout };
  };
  const ok = (verb: string, ...args: string[]) => {
    const r = supctl(undefined, verb, ...args);
    assert.equal(r.status, 0, `${verb} ${args.join(' ')}: ${r.out}`);
    return r;
  };
  const crash = (failpoint: string, verb: string, ...args: string[]) => {
    const r = supctl(failpoint, verb, ...args);
    assert.equal(r.signal, 'SIGKILL', `${verb} never reached failpoint ${failpoint}: ${r.out}`);
  };
  const docker = (...args: string[]) => {
    const r = spawnSync('docker', args, { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean);
  };
  const containers = (): Container[] =>
    docker(
      'ps',
      '-a',
      '--no-trunc',
      '--filter',
      `label=io.supctl.project=${PROJECT}`,
      '--format',
      '{{.ID}} {{.Names}} {{.Label "io.supctl.config-hash"}}',
    ).map((l) => {
      const [id, name, hash] = l.split(' ');
      return { id: id!, name: name!, hash: hash! };
    });
  /** Files of this project's lock (the lock, its journal, temp and takeover files). */
  const lockFiles = () => {
    try {
      return readdirSync(dirname(lock)).filter((f) => f.startsWith(basename(lock)));
    } catch {
      return [];
    }
  };

  /** The project is exactly config `mark`, running; containers the crash left as v2 wants them kept their ids. */
  const assertConverged = (atCrash: Container[], what: string, mark = 'v2') => {
    const st = supctl(undefined, 'status');
    assert.equal(st.status, 0, `${what}: status: ${st.out}`);
    assert.deepEqual(
      st.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      ['a:a_0 RUNNING', 'a:a_1 RUNNING', 'b RUNNING'],
      what,
    );
    const now = containers();
    assert.equal(now.length, 3, `${what}: ${JSON.stringify(now)}`);
    assert.ok(
      now.every((c) => !c.name.endsWith('.supctl-next')),
      `${what}: ${JSON.stringify(now)}`,
    );
    const env = docker(
      'inspect',
      '--format',
      '{{.Name}} {{json .Config.Env}}',
      ...now.map((c) => c.id),
    );
    const marks = env.filter((l) => l.includes('MARK='));
    assert.equal(marks.length, 2, `${what}: ${env.join('\n')}`);
    assert.ok(
      marks.every((l) => l.includes(`"MARK=${mark}"`)),
      `${what}: ${env.join('\n')}`,
    );
    for (const c of now) {
      const before = atCrash.find((x) => x.name === c.name && x.hash === c.hash);
      if (before) assert.equal(c.id, before.id, `${what}: ${c.name} was recreated`);
    }
    assert.deepEqual(lockFiles(), [], `${what}: lock files left`);
  };

  after(() => {
    supctl(undefined, 'uninstall');
    rmSync(dir, { recursive: true, force: true });
  });

  const all = failpointsInSource();
  const applyPoints = all.filter((n) => n.startsWith('docker:apply:'));
  const removePoints = all.filter((n) => n.startsWith('docker:remove:'));

  test('the source has failpoints for apply and remove, each tested below', () => {
    assert.ok(applyPoints.length >= 8, all.join(' '));
    assert.ok(removePoints.length >= 3, all.join(' '));
    assert.deepEqual(
      all.filter((n) => !applyPoints.includes(n) && !removePoints.includes(n)),
      [],
    );
    for (const n of NOT_ON_FRESH_APPLY) assert.ok(applyPoints.includes(n), n);
  });

  for (const point of applyPoints) {
    test(`fresh apply killed at ${point}`, () => {
      ok('uninstall');
      if (NOT_ON_FRESH_APPLY.has(point)) {
        // not on this path: the run must pass it by
        ok('apply', v2);
      } else {
        crash(point, 'apply', v2);
      }
      const atCrash = containers();
      ok('update', v2);
      assertConverged(atCrash, point);
    });

    test(`update killed at ${point}`, () => {
      ok('update', v1);
      const b = containers().find((c) => c.name.endsWith('_b_1'));
      assert.ok(b, JSON.stringify(containers()));
      crash(point, 'update', v2);
      const atCrash = containers();
      ok('update', v2);
      assertConverged(atCrash, point);
      assert.equal(containers().find((c) => c.name === b.name)?.id, b.id, 'b was recreated');
    });
  }

  test('update killed after stopping the old containers, then an update back to the old config restarts them', () => {
    ok('update', v1);
    const before = containers();
    crash('docker:apply:stopped', 'update', v2);
    ok('update', v1);
    assertConverged(before, 'back to v1', 'v1');
    assert.deepEqual(
      containers()
        .map((c) => c.id)
        .sort(),
      before.map((c) => c.id).sort(),
    );
  });

  test('a failed update undoes exactly what it did: a container it did not stop stays stopped', () => {
    ok('update', v1);
    ok('stop', 'a:a_0');
    const before = containers();
    const r = supctl(undefined, 'update', unstartable);
    assert.notEqual(r.status, 0, r.out);
    const st = supctl(undefined, 'status');
    assert.deepEqual(
      st.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      ['a:a_0 STOPPED', 'a:a_1 RUNNING', 'b RUNNING'],
      r.out + st.out,
    );
    assert.deepEqual(containers(), before);
    assert.deepEqual(lockFiles(), [], 'lock files left');
  });

  for (const point of removePoints) {
    test(`remove killed at ${point}, then remove finishes`, () => {
      ok('update', v2);
      crash(point, 'uninstall');
      ok('uninstall');
      assert.deepEqual(containers(), []);
      assert.deepEqual(
        docker('network', 'ls', '--filter', `name=${PROJECT}_default`, '--format', '{{.Name}}'),
        [],
      );
      assert.deepEqual(lockFiles(), [], 'lock files left');
    });
  }
});
