/**
 * `supctl migrate` on the real runtimes: a real supervisord runs three
 * groups; one moves to the harness's systemd user manager, one to its
 * dockerd, the third keeps running (same pid). bin/supctl is killed with
 * SIGKILL at migrate's failpoints, and a rerun or --rollback converges;
 * --edit-config comments the moved section out of the included file that
 * holds it and a rollback restores that file byte for byte; --dry-run
 * changes nothing; both groups are rolled back.
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
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  describeWithHarness,
  startSupervisord,
  systemdCliEnv,
  waitFor,
  type Supervisord,
  type XmlRpcValue,
} from './harness.ts';

const PROJECT = `mig${process.pid}`;

describeWithHarness('supctl migrate: supervisord → systemd and Docker, and back', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-migrate-'));
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  // the Docker-bound program lives in an included file: --edit-config edits that file
  const included = join(confd, 'todk.conf');
  const INCLUDED = `; the Docker-bound program\n[program:todk]\ncommand=/bin/sleep 1002\nstartsecs=0\nstopsignal=KILL\n`;
  writeFileSync(included, INCLUDED);
  const env = systemdCliEnv(h, dir, {
    DOCKER_HOST: h.docker.host,
    SUPCTL_STATE_DIR: join(dir, 'state'),
  });
  delete env['SUPCTL_FAILPOINT'];
  delete env['SUPCTL_NAME'];
  delete env['SUPCTL_BACKEND'];
  let sd: Supervisord;

  const supctl = (args: string[], failpoint?: string) => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
      env: failpoint === undefined ? env : { ...env, SUPCTL_FAILPOINT: failpoint },
      encoding: 'utf8',
      timeout: 180_000,
    });
    return { status: r.status, signal: r.signal, out: r.stdout + r.stderr, stdout: r.stdout };
  };
  const ok = (args: string[]) => {
    const r = supctl(args);
    assert.equal(r.status, 0, `supctl ${args.join(' ')}: ${r.out}`);
    return r;
  };
  const crash = (args: string[], failpoint: string) => {
    const r = supctl(args, failpoint);
    assert.equal(r.signal, 'SIGKILL', `never reached ${failpoint}: ${r.out}`);
  };
  const toSystemd = (...more: string[]) => [
    'migrate',
    sd.configPath,
    'tosd',
    '--to',
    'systemd',
    '--name',
    PROJECT,
    ...more,
  ];
  const toDocker = (...more: string[]) => [
    'migrate',
    sd.configPath,
    'todk',
    '--to',
    'docker',
    '--name',
    PROJECT,
    '--image',
    h.docker.image,
    ...more,
  ];

  /** supervisord's processes: name → [state, pid]. */
  const supervised = async (): Promise<Record<string, [string, number]>> => {
    const all = (await sd.call('supervisor.getAllProcessInfo')) as Record<string, XmlRpcValue>[];
    return Object.fromEntries(
      all.map((p) => [p['name'] as string, [p['statename'] as string, p['pid'] as number]]),
    );
  };
  const states = async () =>
    Object.fromEntries(Object.entries(await supervised()).map(([n, [s]]) => [n, s]));
  /** The new side's status lines ("NAME STATE"). */
  const newSide = (backend: 'systemd' | 'docker') => {
    const r = supctl(['status', '--backend', backend, '--name', PROJECT]);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  };
  const units = () =>
    readdirSync(h.systemd.unitDir)
      .filter((f) => f.includes(PROJECT))
      .sort();
  const containers = () => {
    const r = spawnSync(
      'docker',
      [
        'ps',
        '-a',
        '--filter',
        `label=io.supctl.project=${PROJECT}`,
        '--format',
        '{{.Names}} {{.State}}',
      ],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };
  const waitSupervised = (want: Record<string, string>, what: string) =>
    waitFor(
      what,
      async () => {
        const s = await states();
        return Object.entries(want).every(([n, st]) => s[n] === st) ? s : undefined;
      },
      60_000,
    );

  let stayPid = 0;
  before(async () => {
    sd = await startSupervisord({
      sections: `
[program:tosd]
command=/bin/sleep 1001
startsecs=1
stopsignal=KILL

[program:stay]
command=/bin/sleep 1003
startsecs=0

[include]
files=${confd}/*.conf
`,
    });
    await waitSupervised(
      { tosd: 'RUNNING', todk: 'RUNNING', stay: 'RUNNING' },
      'three groups RUNNING',
    );
    stayPid = (await supervised())['stay']![1];
  });
  after(async () => {
    supctl(['migrate', sd.configPath, '--rollback']);
    supctl(['uninstall', '--backend', 'systemd', '--name', PROJECT]);
    supctl(['uninstall', '--backend', 'docker', '--name', PROJECT]);
    await sd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--dry-run prints the plan and findings and changes nothing', async () => {
    const before = { procs: await supervised(), units: units(), containers: containers() };
    const r = ok(toSystemd('--dry-run'));
    assert.match(r.stdout, /would migrate tosd \(priority 999\) to systemd: tosd/);
    const d = ok(toDocker('--dry-run'));
    assert.match(d.stdout, /would migrate todk .* to docker: todk/);
    assert.deepEqual(
      { procs: await supervised(), units: units(), containers: containers() },
      before,
    );
    assert.equal(existsSync(join(dir, 'state')), false, 'no journal');
  });

  test('to systemd: killed after supervisord stopped the group, a rerun converges', async (t) => {
    crash(toSystemd(), 'migrate:stopped-old');
    assert.equal((await states())['tosd'], 'STOPPED');
    const r = ok(toSystemd());
    assert.match(r.stdout, /tosd: started-new \(downtime \d+ ms\)/);
    t.diagnostic(r.stdout.trim());
    assert.match(r.stdout, /remove from .*supervisord\.conf: lines \d+-\d+ \[program:tosd\]/);
    assert.deepEqual(newSide('systemd'), ['tosd RUNNING']);
    const s = await supervised();
    assert.equal(s['tosd'], undefined, 'gone from supervisord');
    assert.deepEqual(s['stay'], ['RUNNING', stayPid], 'stay kept its pid');
    // a rerun of a finished migration changes nothing
    assert.match(ok(toSystemd()).stdout, /tosd: done: already migrated/);
  });

  test('a failed step puts the group back under supervisord, untouched, and names the step', async () => {
    const pid = (await supervised())['todk']![1];
    const args = toDocker();
    args[args.indexOf(h.docker.image)] = 'supctl-test/no-such-image:none';
    const r = supctl(args);
    assert.equal(r.status, 1, r.out);
    assert.match(
      r.out,
      /migrate todk: step installed failed: .*no-such-image.*; todk runs under supervisord again/,
    );
    assert.deepEqual((await supervised())['todk'], ['RUNNING', pid], 'never stopped');
    assert.deepEqual(containers(), []);
  });

  test('to Docker: killed after installing, --rollback converges; then --edit-config', async (t) => {
    crash(toDocker('--edit-config'), 'migrate:installed');
    assert.equal(containers().length, 1, 'installed');
    ok(['migrate', sd.configPath, '--rollback', '--to', 'docker']);
    assert.deepEqual(containers(), []);
    assert.equal((await states())['todk'], 'RUNNING');
    assert.equal(readFileSync(included, 'utf8'), INCLUDED);

    const r = ok(toDocker('--edit-config'));
    assert.match(r.stdout, /todk: started-new \(downtime \d+ ms\)/);
    t.diagnostic(r.stdout.trim());
    assert.deepEqual(newSide('docker'), ['todk RUNNING']);
    const s = await supervised();
    assert.equal(s['todk'], undefined);
    assert.deepEqual(s['stay'], ['RUNNING', stayPid]);
    assert.equal(readFileSync(`${included}.supctl-bak`, 'utf8'), INCLUDED);
    const edited = readFileSync(included, 'utf8');
    assert.match(
      edited,
      new RegExp(
        `; supctl migrate: moved to docker \\(project ${PROJECT}\\) on \\d{4}-\\d\\d-\\d\\d\\n; \\[program:todk\\]\\n; command=/bin/sleep 1002\\n`,
      ),
    );
    // supervisord, rereading the edited file, does not bring it back
    await sd.call('supervisor.reloadConfig');
    await sd.call('supervisor.addProcessGroup', ['todk']).then(
      () => assert.fail('todk came back'),
      (e: Error) => assert.match(e.message, /BAD_NAME/),
    );
  });

  test('rollback of both, killed once half-way, converges', async () => {
    crash(['migrate', sd.configPath, '--rollback'], 'migrate:rollback:stopped-new');
    ok(['migrate', sd.configPath, '--rollback']);
    await waitSupervised({ tosd: 'RUNNING', todk: 'RUNNING', stay: 'RUNNING' }, 'all back');
    assert.deepEqual((await supervised())['stay'], ['RUNNING', stayPid]);
    assert.deepEqual(units(), [], 'no unit left');
    assert.deepEqual(containers(), [], 'no container left');
    assert.equal(readFileSync(included, 'utf8'), INCLUDED, 'byte-identical');
    assert.equal(existsSync(`${included}.supctl-bak`), false);
    assert.deepEqual(readdirSync(join(dir, 'state', 'migrate')), [], 'no journal left');
  });
});
