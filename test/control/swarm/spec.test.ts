import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/index.ts';
import { swarmSpecs } from '../../../src/control/swarm/spec.ts';
import { splitSecrets } from '../../../src/control/swarm/secrets.ts';

function specs(conf: string) {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-swspec-'));
  const file = join(dir, 'app.conf');
  writeFileSync(file, conf);
  return swarmSpecs(loadConfig(file, { env: {}, values: {}, hostNodeName: 'node1' }), {
    project: 'p',
    image: 'img',
    images: {},
  });
}

test('numprocs → replicas; %(process_num) in the command → one service per process', () => {
  const s = specs(`[program:w]
command=/bin/sleep 1000
numprocs=3
process_name=%(program_name)s_%(process_num)s

[program:i]
command=/bin/echo %(process_num)s
numprocs=2
process_name=%(program_name)s_%(process_num)s
`);
  assert.deepEqual(
    s.map((x) => x.name),
    ['p_i_00', 'p_i_01', 'p_w'],
  );
  assert.deepEqual(s[2]!.spec.Mode, { Replicated: { Replicas: 3 } });
  assert.equal(s[2]!.spec.Labels!['io.supctl.processes'], 'w_0,w_1,w_2');
  assert.equal(s[0]!.spec.Labels!['com.docker.stack.namespace'], 'p');
});

test('restart policy, stop signal and grace, init, group kill, user, dir, autostart=false', () => {
  const [s] = specs(`[program:a]
command=/bin/sleep 1000
autorestart=false
stopsignal=INT
stopwaitsecs=7
stopasgroup=true
user=nobody
directory=/tmp
autostart=false
`);
  const tt = s!.spec.TaskTemplate as {
    ContainerSpec: Record<string, unknown>;
    RestartPolicy: Record<string, unknown>;
  };
  assert.equal(tt.RestartPolicy.Condition, 'none');
  assert.equal(tt.ContainerSpec.StopSignal, 'SIGINT');
  assert.equal(tt.ContainerSpec.StopGracePeriod, 7_000_000_000);
  assert.equal(tt.ContainerSpec.Init, true);
  assert.ok((tt.ContainerSpec.Env as string[]).includes('TINI_KILL_PROCESS_GROUP=1'));
  assert.equal(tt.ContainerSpec.User, 'nobody');
  assert.equal(tt.ContainerSpec.Dir, '/tmp');
  assert.deepEqual(s!.spec.Mode, { Replicated: { Replicas: 0 } });
  assert.equal(s!.spec.UpdateConfig!.FailureAction, 'rollback');
});

test('the hash ignores replicas and changes with the command', () => {
  const a = specs('[program:a]\ncommand=/bin/sleep 1\n')[0]!;
  const b = specs('[program:a]\ncommand=/bin/sleep 1\nautostart=false\n')[0]!;
  const c = specs('[program:a]\ncommand=/bin/sleep 2\n')[0]!;
  assert.notEqual(a.hash, c.hash);
  // autostart is also a container label (avail reads it): only replicas are outside
  assert.notEqual(a.spec.Mode, b.spec.Mode);
});

test('secret-looking keys become secrets read back by a /bin/sh wrapper; others stay', () => {
  const r = splitSecrets(
    'p_web',
    ['/bin/app', '-x'],
    { DB_PASSWORD: 'a$b\n', PLAIN: '1', 'bad-TOKEN': 'v' },
    undefined,
  );
  assert.deepEqual(r.env, { PLAIN: '1', 'bad-TOKEN': 'v' });
  assert.equal(r.secrets.length, 1);
  assert.match(r.secrets[0]!.name, /^p_web_DB_PASSWORD_[0-9a-f]{12}$/);
  assert.equal(r.secrets[0]!.ref.File!.Mode, 0o400);
  assert.deepEqual(r.command.slice(0, 2), ['/bin/sh', '-c']);
  assert.deepEqual(r.command.slice(3), ['sh', '/bin/app', '-x']);
  const again = splitSecrets('p_web', [], { DB_PASSWORD: 'other' }, 'nobody');
  assert.notEqual(again.secrets[0]!.name, r.secrets[0]!.name);
  assert.equal(again.secrets[0]!.ref.File!.Mode, 0o444);
});
