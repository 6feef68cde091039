/**
 * System scope on a booted Debian 12 host (sandbox/booted-host.sh): supctl as
 * root with units in /etc/systemd/system, User= switching to www-data, logs in
 * journald, and programs that must come back after a reboot. Where supervisor
 * itself is the reference (what a program sees), a real supervisord runs the
 * same programs inside the same host and the two are compared.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bootFresh,
  hostUnavailable,
  inside,
  insideBackground,
  insideOk,
  powerOff,
  reboot,
  writeInside,
} from './booted-host.ts';

const why = hostUnavailable();

/** What a program observes, written where the test can read it. */
const PROBE = `#!/bin/sh
name=$1 out=$2
env | grep -E '^(HOME|USER|LOGNAME|SHELL|MODE|API_TOKEN|SUPERVISOR_[A-Z_]+)=' | sort >"$out/$name.env"
umask >"$out/$name.umask"
pwd >"$out/$name.cwd"
id -un >"$out/$name.user"
echo "$name says hello"
echo "$name complains" >&2
trap 'echo "$name tick"' USR1
trap 'exit 0' TERM
while :; do sleep 1 & wait $!; done
`;

/** The same programs for supctl and for the reference supervisord. */
function config(out: string, logs: string, extra = ''): string {
  return `[unix_http_server]
file=/run/demo-${out}.sock
[supervisord]
logfile=/var/tmp/demo-${out}-supervisord.log
pidfile=/run/demo-${out}.pid
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix:///run/demo-${out}.sock

[program:web]
command=/opt/demo/probe.sh web /var/tmp/obs/${out}
user=www-data
directory=/srv/web
umask=027
priority=20
environment=API_TOKEN="s3cret",MODE="prod"
stdout_logfile=/var/log/${logs}/web.out
stderr_logfile=/var/log/${logs}/web.err

[program:worker]
command=/opt/demo/probe.sh worker /var/tmp/obs/${out}
priority=10

[program:off]
command=/bin/sleep 1000
autostart=false
${extra}`;
}

const CONF = '/opt/demo/supctl.conf';
const SUP_CONF = '/opt/demo/supervisord.conf';
const ctl = (args: string) => inside(`supctl -c ${CONF} ${args}`);

/** Polls a command inside until its stdout matches. */
async function until(cmd: string, re: RegExp, what: string, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    const r = inside(cmd);
    last = r.stdout + r.stderr;
    if (re.test(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`${what}: ${cmd} never matched ${re}; last output:\n${last}`);
}

const statusOf = (name: string) =>
  until(
    `supctl -c ${CONF} status ${name}`,
    new RegExp(`^${name}\\s+RUNNING`, 'm'),
    `${name} RUNNING`,
  );

describe('system scope on a booted Debian host', { skip: why, timeout: 1_200_000 }, () => {
  before(() => {
    bootFresh();
    writeInside('/opt/demo/probe.sh', PROBE, 0o755);
    writeInside(CONF, config('supctl', 'demo'));
    writeInside(SUP_CONF, config('sup', 'demo-sup'));
    insideOk(
      'mkdir -p /srv/web /var/log/demo /var/log/demo-sup && chown www-data /srv/web && ' +
        'mkdir -p -m 1777 /var/tmp/obs/supctl /var/tmp/obs/sup',
    );
  });
  after(() => {
    if (why === undefined) powerOff();
  });

  it('apply --scope system writes units to /etc/systemd/system and starts the autostart programs', async () => {
    const r = inside(`supctl apply ${CONF} --name demo --scope system`);
    assert.equal(r.code, 0, r.stderr);
    const units = insideOk('ls /etc/systemd/system');
    for (const u of [
      'demo-web.service',
      'demo-worker.service',
      'demo-off.service',
      'demo.target',
    ]) {
      assert.match(units, new RegExp(`^${u.replace('.', '\\.')}$`, 'm'));
    }
    await statusOf('web');
    await statusOf('worker');
    assert.match(ctl('status off').stdout, /^off\s+STOPPED\s+Not started$/m);
  });

  it('user=, umask, directory and the environment as a real supervisord gives them', async () => {
    insideOk(`supervisord -c ${SUP_CONF}`);
    for (const out of ['supctl', 'sup']) {
      await until(
        `cat /var/tmp/obs/${out}/web.user /var/tmp/obs/${out}/worker.user`,
        /www-data\nroot/,
        out,
      );
    }
    const seen = (out: string, what: string) => insideOk(`cat /var/tmp/obs/${out}/${what}`);
    for (const what of [
      'web.user',
      'web.umask',
      'web.cwd',
      'worker.user',
      'worker.umask',
      'worker.cwd',
    ]) {
      assert.equal(seen('supctl', what), seen('sup', what), what);
    }
    assert.equal(seen('supctl', 'web.user').trim(), 'www-data');
    assert.equal(seen('supctl', 'web.umask').trim(), '0027');
    assert.equal(seen('supctl', 'web.cwd').trim(), '/srv/web');
    // The documented difference (key table: user is APPROX): systemd's User=
    // sets HOME, USER, LOGNAME (and SHELL) for the user; supervisor leaves
    // supervisord's own. Everything else must be the same.
    const envOf = (out: string) =>
      new Map(
        seen(out, 'web.env')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
    const ours = envOf('supctl');
    const theirs = envOf('sup');
    const userKeys = new Set(['HOME', 'USER', 'LOGNAME', 'SHELL']);
    const differ = [...new Set([...ours.keys(), ...theirs.keys()])].filter(
      (k) => ours.get(k) !== theirs.get(k),
    );
    assert.deepEqual(
      differ.filter((k) => !userKeys.has(k) && k !== 'SUPERVISOR_SERVER_URL'),
      [],
      `env differs: ${differ.join(', ')}`,
    );
    assert.equal(ours.get('USER'), 'www-data');
    assert.equal(ours.get('HOME'), '/var/www');
    assert.notEqual(theirs.get('USER'), 'www-data');
    insideOk(`supervisorctl -c ${SUP_CONF} shutdown`);
  });

  it('log files: owned as supervisord creates them; mode from UMask= (the documented difference)', () => {
    const stat = (p: string) => insideOk(`stat -c '%U:%G %a' ${p}`).trim().split(' ');
    for (const f of ['web.out', 'web.err']) {
      const [ourOwner, ourMode] = stat(`/var/log/demo/${f}`);
      const [theirOwner, theirMode] = stat(`/var/log/demo-sup/${f}`);
      assert.equal(ourOwner, theirOwner, f);
      // supervisord opens it with its own umask (022), systemd with the
      // program's UMask=027: the umask row's APPROX finding says so.
      assert.equal(theirMode, '644', f);
      assert.equal(ourMode, '640', f);
    }
    const report = inside(
      `supctl convert ${CONF} --to systemd --name demo --scope system --out /tmp/demo-convert`,
    );
    assert.match(
      report.stdout + report.stderr,
      /systemd also creates the stdout\/stderr log file with it/,
    );
    assert.deepEqual(stat('/etc/systemd/system/demo-web.service.d/supctl.env'), [
      'root:root',
      '600',
    ]);
    assert.doesNotMatch(insideOk('cat /etc/systemd/system/demo-web.service'), /s3cret/);
  });

  it('status --wide fills CPU and memory under this system manager', () => {
    const r = ctl('status --wide web');
    const line = r.stdout.split('\n').find((l) => l.startsWith('web ')) ?? '';
    assert.match(line, /RUNNING/);
    // CPU time as H:MM:SS.ss, then resident memory (e.g. 4.0M)
    assert.match(
      line,
      /\s\d+:\d\d:\d\d\.\d\d\s+\d+(\.\d+)?[KMG]\s/,
      `no CPU/MEM figures in: ${r.stdout}`,
    );
  });

  it('stop, start, restart with supervisorctl lines', async () => {
    const pid = (n: string) => ctl(`pid ${n}`).stdout.trim();
    const before = pid('worker');
    assert.match(before, /^\d+$/);
    assert.equal(ctl('stop worker').stdout, 'worker: stopped\n');
    assert.match(ctl('status worker').stdout, /^worker\s+STOPPED/m);
    assert.equal(ctl('start worker').stdout, 'worker: started\n');
    const r = ctl('restart worker');
    assert.equal(r.stdout, 'worker: stopped\nworker: started\n');
    await statusOf('worker');
    assert.notEqual(pid('worker'), before);
  });

  it('tail reads journald for AUTO logs, stderr too, and tail -f follows a new line', async () => {
    await until(`supctl -c ${CONF} tail worker`, /worker says hello/, 'tail stdout');
    await until(`supctl -c ${CONF} tail worker stderr`, /worker complains/, 'tail stderr');
    const child = insideBackground(`timeout 90 supctl -c ${CONF} tail -f worker`);
    let got = '';
    child.stdout?.on('data', (b: Buffer) => (got += b.toString()));
    try {
      const end = Date.now() + 60_000;
      while (!got.includes('says hello') && Date.now() < end)
        await new Promise((r) => setTimeout(r, 200));
      assert.equal(ctl('signal USR1 worker').stdout, 'worker: signalled\n');
      while (!got.includes('worker tick') && Date.now() < end)
        await new Promise((r) => setTimeout(r, 200));
      assert.match(got, /worker tick/);
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    }
  });

  it('reread and update take a new program from the config', async () => {
    writeInside(
      CONF,
      config(
        'supctl',
        'demo',
        '\n[program:extra]\ncommand=/opt/demo/probe.sh extra /var/tmp/obs/supctl\npriority=30\n',
      ),
    );
    assert.equal(ctl('reread').stdout, 'extra: available\n');
    assert.equal(ctl('update').stdout, 'extra: added process group\n');
    await statusOf('extra');
  });

  it('after a reboot: autostart programs back in priority order, autostart=false stopped', async () => {
    reboot();
    for (const n of ['worker', 'web', 'extra']) await statusOf(n);
    assert.match(ctl('status off').stdout, /^off\s+STOPPED/m);
    // After= orders the exec of each program (what supervisord's priority
    // orders too), not the first line each then writes: read systemd's
    // exec time of this boot
    const started = (n: string) =>
      BigInt(
        insideOk(
          `systemctl show -p ExecMainStartTimestampMonotonic --value demo-${n}.service`,
        ).trim(),
      );
    const order = ['extra', 'web', 'worker'].sort((a, b) => (started(a) < started(b) ? -1 : 1));
    assert.deepEqual(order, ['worker', 'web', 'extra']);
  });

  it('uninstall leaves no unit and no process behind', () => {
    const r = inside('supctl uninstall --name demo --scope system');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(
      insideOk('ls -a /etc/systemd/system /etc/systemd/system/.supctl 2>/dev/null || true'),
      /demo/,
    );
    assert.equal(inside("pgrep -f '/opt/demo/probe[.]sh'").code, 1);
  });
});
