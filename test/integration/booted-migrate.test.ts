/**
 * The end-to-end migration of a Debian host, as an operator would do it: the
 * booted host runs Debian's supervisor package with a BK-LOG-shaped stack in
 * /etc/supervisor/conf.d/, started at boot. `supctl migrate --edit-config`
 * moves every group to systemd; after a reboot every program runs under
 * systemd as before (user, environment, directory) and supervisord runs none;
 * `--rollback` and a reboot give back the original host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bootFresh,
  hostUnavailable,
  inside,
  insideOk,
  powerOff,
  reboot,
  writeInside,
} from './booted-host.ts';

const why = hostUnavailable();

const MAIN = '/etc/supervisor/supervisord.conf';
const STACK = '/etc/supervisor/conf.d/bklog.conf';

/** Records what the program sees, per runtime (the parent's name tells which). */
const PROBE = `#!/bin/sh
name=$1
case $(cat /proc/$PPID/comm) in systemd) out=/var/tmp/obs/systemd ;; *) out=/var/tmp/obs/supervisord ;; esac
{ id -un; pwd; umask; env | grep -E '^(MODE|BKLOG_[A-Z_]+|SUPERVISOR_PROCESS_NAME|SUPERVISOR_GROUP_NAME)=' | sort; } >"$out/$name"
trap 'exit 0' TERM
while :; do sleep 1 & wait $!; done
`;

const STACK_CONF = `[program:bklog-api]
command=/opt/bklog/probe.sh bklog-api
user=www-data
directory=/srv/bklog
environment=MODE="prod",BKLOG_DB="mysql://db"
priority=10

[program:grafana]
command=/opt/bklog/probe.sh grafana
directory=/srv/bklog
priority=20

[program:celery_worker]
command=/opt/bklog/probe.sh celery_worker_%(process_num)s
process_name=%(program_name)s_%(process_num)s
numprocs=2
user=www-data
umask=022

[program:celery_beat]
command=/opt/bklog/probe.sh celery_beat

[group:celery]
programs=celery_worker,celery_beat
`;

const NAMES = [
  'bklog-api',
  'grafana',
  'celery:celery_worker_0',
  'celery:celery_worker_1',
  'celery:celery_beat',
];
const observed = (runtime: string, name: string) =>
  insideOk(`cat /var/tmp/obs/${runtime}/${name.split(':').pop() ?? name}`);

async function until(
  cmd: string,
  ok: (out: string) => boolean,
  what: string,
  ms = 90_000,
): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    const r = inside(cmd);
    last = r.stdout + r.stderr;
    if (ok(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`${what}: waited for ${cmd}; last output:\n${last}`);
}

const allRunning = (out: string) =>
  NAMES.every((n) => new RegExp(`^${n}\\s+RUNNING`, 'm').test(out));

describe('the end-to-end migration of a Debian host', { skip: why, timeout: 1_500_000 }, () => {
  let original = '';
  before(async () => {
    bootFresh();
    writeInside('/opt/bklog/probe.sh', PROBE, 0o755);
    writeInside(STACK, STACK_CONF);
    original = STACK_CONF;
    insideOk(
      'mkdir -p /srv/bklog && mkdir -p -m 1777 /var/tmp/obs/supervisord /var/tmp/obs/systemd && systemctl restart supervisor',
    );
    await until('supervisorctl status', allRunning, 'the stack under supervisord');
  });
  after(() => {
    if (why === undefined) powerOff();
  });

  it('migrate --edit-config, reboot: every program under systemd, as before; supervisord runs none', async () => {
    const r = inside(`supctl migrate ${MAIN} --to systemd --edit-config --name bklog`, 600_000);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    insideOk('rm -f /var/tmp/obs/systemd/*');
    reboot();
    await until(`supctl -c ${MAIN} status`, allRunning, 'supctl -c status after the reboot');
    assert.equal(insideOk('systemctl is-active supervisor').trim(), 'active');
    const sup = inside('supervisorctl status');
    assert.equal(sup.stdout.trim(), '', `supervisord still runs: ${sup.stdout}`);
    for (const n of NAMES) {
      await until(`cat /var/tmp/obs/systemd/${n.split(':').pop() ?? n}`, (o) => o.length > 0, n);
      assert.equal(
        observed('systemd', n),
        observed('supervisord', n),
        `${n}: user, directory, umask, environment`,
      );
    }
    assert.match(insideOk(`cat ${STACK}`), /supctl migrate/);
  });

  it('--rollback, reboot: the original host (programs under supervisord, no supctl units)', async () => {
    const r = inside(`supctl migrate ${MAIN} --rollback --name bklog`, 600_000);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    reboot();
    await until('supervisorctl status', allRunning, 'the stack back under supervisord');
    assert.equal(insideOk(`cat ${STACK}`), original);
    assert.doesNotMatch(insideOk('ls -a /etc/systemd/system'), /bklog/);
    assert.doesNotMatch(insideOk('systemctl list-units --all --no-legend'), /bklog/);
  });
});
