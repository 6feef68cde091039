/**
 * Generated compose projects on the real dockerd (test/harness/up.sh), run
 * with Debian's docker-compose 1.29.2: `docker inspect` shows what the key
 * table says, and the behaviour matches supervisor's (kill group, restart
 * decision, stop signal).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ComposeProject, leftoverContainers, uniqueProject } from '../emit/compose/project.ts';
import { describeWithHarness, waitFor } from './harness.ts';

const INSPECT_CONFIG = `
[program:web]
command=/bin/sh -c 'echo READY; while true; do sleep 1; done'
autorestart=true
stopsignal=INT
stopwaitsecs=7
stopasgroup=true
environment=GREETING="hello $USER ok",ON="on",TIME="10:20"
directory=/tmp

[program:job]
command=/bin/sleep 1000
autorestart=false
startsecs=0
stopsignal=HUP
stopwaitsecs=3

[program:svc]
command=/bin/sleep 1000
autorestart=unexpected
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=2

[program:manual]
command=/bin/sleep 1000
autostart=false

[program:pool]
command=/bin/sleep 1000
process_name=%(program_name)s_%(process_num)s
numprocs=2
`;

// A parent that traps TERM and waits for its child; the child prints when it gets TERM.
const FORKER = `/bin/sh -c 'trap "echo PARENT_GOT_TERM; wait; exit 0" TERM; /bin/sh -c "trap \\"echo CHILD_GOT_TERM; exit 0\\" TERM; echo CHILD_READY; while true; do sleep 1; done" & echo PARENT_READY; wait'`;
const EXIT3 = `/bin/sh -c 'echo RUN; sleep 1; exit 3'`;

const BEHAVIOUR_CONFIG = `
[program:grp]
command=${FORKER}
stopasgroup=true
stopwaitsecs=4
autorestart=false
startsecs=0

[program:solo]
command=${FORKER}
stopasgroup=false
stopwaitsecs=4
autorestart=false
startsecs=0

[program:sig]
command=/bin/sh -c 'for s in TERM INT HUP QUIT USR1 USR2; do trap "echo GOT_$s; exit 0" $s; done; echo READY; while true; do sleep 1; done'
stopsignal=USR1
autorestart=false
startsecs=0

[program:exit-unexpected]
command=${EXIT3}
autorestart=unexpected
startsecs=0

[program:exit-true]
command=${EXIT3}
autorestart=true
startsecs=0

[program:exit-false]
command=${EXIT3}
autorestart=false
startsecs=0

[program:wrapped]
command=/bin/sh -c 'umask; echo TO_STDERR >&2'
umask=077
redirect_stderr=true
autorestart=false
startsecs=0
`;

function envOf(env: string[] | null): Record<string, string> {
  return Object.fromEntries(
    (env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

/**
 * A failing before() hook only "cancels" the tests (node prints # fail 0):
 * keep its error and fail every test with it instead.
 */
function guardedProject(make: () => Promise<ComposeProject>): () => ComposeProject {
  let project: ComposeProject | undefined;
  let error: unknown;
  before(async () => {
    try {
      project = await make();
    } catch (e) {
      error = e ?? new Error('setup failed');
    }
  });
  after(() => project?.down());
  return () => {
    if (error !== undefined)
      throw error instanceof Error ? error : new Error(JSON.stringify(error));
    assert.ok(project, 'project set up');
    return project;
  };
}

describeWithHarness('compose on the real dockerd: docker inspect', (h) => {
  const project = guardedProject(async () => {
    const p = new ComposeProject(uniqueProject('inspect'), INSPECT_CONFIG, {
      image: h.docker.image,
    });
    try {
      // no -p: the project name must come from the generated .env
      p.up([], false);
    } catch (e) {
      p.down();
      throw e;
    }
    return Promise.resolve(p);
  });

  void test('the project name comes from .env; compose and supctl labels are set', () => {
    const p = project();
    const web = p.inspect('web');
    assert.equal(web.Config.Labels['com.docker.compose.project'], p.name);
    assert.equal(web.Config.Labels['com.docker.compose.service'], 'web');
    assert.equal(web.Config.Labels['io.supctl.project'], p.name);
    assert.equal(web.Config.Labels['io.supctl.program'], 'web');
    assert.equal(web.Config.Labels['io.supctl.group'], 'web');
    assert.equal(web.Config.Labels['io.supctl.process'], 'web');
  });

  void test('web: restart always, SIGINT, 7 s, init, TINI_KILL_PROCESS_GROUP, env, argv, cwd', () => {
    const c = project().inspect('web');
    assert.equal(c.HostConfig.RestartPolicy.Name, 'always');
    assert.equal(c.Config.StopSignal, 'SIGINT');
    assert.equal(c.Config.StopTimeout, 7);
    assert.equal(c.HostConfig.Init, true);
    const env = envOf(c.Config.Env);
    assert.equal(env['GREETING'], 'hello $USER ok');
    assert.equal(env['ON'], 'on');
    assert.equal(env['TIME'], '10:20');
    assert.equal(env['TINI_KILL_PROCESS_GROUP'], '1');
    assert.deepEqual(c.Config.Entrypoint, [
      '/bin/sh',
      '-c',
      'echo READY; while true; do sleep 1; done',
    ]);
    assert.ok(c.Config.Cmd === null || c.Config.Cmd.length === 0, 'image CMD not appended');
    assert.equal(c.Config.WorkingDir, '/tmp');
    // PID 1 is Docker's init (tini), the program its child
    const top = spawnSync('docker', ['top', c.Id, '-o', 'pid,args'], { encoding: 'utf8' }).stdout;
    assert.match(top, /docker-init -- \/bin\/sh -c/);
  });

  void test('job: restart no, SIGHUP, 3 s, init, no process-group kill', () => {
    const c = project().inspect('job');
    assert.equal(c.HostConfig.RestartPolicy.Name, 'no');
    assert.equal(c.Config.StopSignal, 'SIGHUP');
    assert.equal(c.Config.StopTimeout, 3);
    assert.equal(c.HostConfig.Init, true);
    assert.equal(envOf(c.Config.Env)['TINI_KILL_PROCESS_GROUP'], undefined);
  });

  void test('svc: restart on-failure without a count, SIGTERM, 10 s, json-file rotation', () => {
    const c = project().inspect('svc');
    assert.equal(c.HostConfig.RestartPolicy.Name, 'on-failure');
    assert.equal(c.HostConfig.RestartPolicy.MaximumRetryCount, 0);
    assert.equal(c.Config.StopSignal, 'SIGTERM');
    assert.equal(c.Config.StopTimeout, 10);
    assert.equal(c.HostConfig.LogConfig.Type, 'json-file');
    assert.deepEqual(c.HostConfig.LogConfig.Config, { 'max-size': '1048576', 'max-file': '3' });
  });

  void test('autostart=false (profiles: [manual]) is not started by a plain up', () => {
    assert.deepEqual(project().containerIds('manual'), []);
  });

  void test('numprocs=2 without %(process_num) in the command: scale 2 gives two containers', () => {
    assert.equal(project().containerIds('pool').length, 2);
  });

  void test('down leaves no container behind', () => {
    const p = project();
    p.down();
    assert.deepEqual(leftoverContainers(p.name), []);
  });
});

describeWithHarness('compose on the real dockerd: behaviour', (h) => {
  const project = guardedProject(async () => {
    // --shell-wrap only changes programs with umask / redirect_stderr (here: wrapped)
    const p = new ComposeProject(uniqueProject('behaviour'), BEHAVIOUR_CONFIG, {
      image: h.docker.image,
      shellWrap: true,
    });
    try {
      p.up();
      for (const s of ['grp', 'solo']) {
        await waitFor(
          `${s} ready`,
          () => {
            const l = p.logs(s);
            return l.includes('PARENT_READY') && l.includes('CHILD_READY') ? true : undefined;
          },
          60_000,
          200,
        );
      }
      await waitFor(
        'sig ready',
        () => (p.logs('sig').includes('READY') ? true : undefined),
        60_000,
        200,
      );
      // compose stops with each service's stop_signal and stop_grace_period
      p.compose(['stop', 'grp', 'solo', 'sig']);
    } catch (e) {
      p.down();
      throw e;
    }
    return p;
  });

  void test('stopasgroup=true: the forked child gets the stop signal too (tini -g)', () => {
    const p = project();
    const l = p.logs('grp');
    assert.match(l, /PARENT_GOT_TERM/);
    assert.match(l, /CHILD_GOT_TERM/);
    assert.equal(p.inspect('grp').State.ExitCode, 0, 'parent exited after its child');
  });

  void test('stopasgroup=false: only the main process gets it; the child does not', () => {
    const p = project();
    const l = p.logs('solo');
    assert.match(l, /PARENT_GOT_TERM/);
    assert.doesNotMatch(l, /CHILD_GOT_TERM/);
    assert.equal(p.inspect('solo').State.ExitCode, 137, 'killed at stop_grace_period');
  });

  void test('the program receives the configured stop signal (USR1), not TERM', () => {
    const l = project().logs('sig');
    assert.match(l, /GOT_USR1/);
    assert.doesNotMatch(l, /GOT_(TERM|INT|HUP|QUIT|USR2)/);
  });

  void test('exit 3: restarted with autorestart=unexpected and =true, not with =false', async () => {
    const p = project();
    for (const s of ['exit-unexpected', 'exit-true']) {
      await waitFor(
        `${s} restarted twice`,
        () => (p.inspect(s).RestartCount >= 2 ? true : undefined),
        60_000,
        200,
      );
    }
    // By now exit-false (started at the same time) has been exited for well
    // over Docker's first restart delay.
    const f = p.inspect('exit-false');
    assert.equal(f.State.Status, 'exited');
    assert.equal(f.State.ExitCode, 3);
    assert.equal(f.RestartCount, 0);
    assert.equal(p.logs('exit-false').match(/RUN/g)?.length, 1);
    assert.ok((p.logs('exit-true').match(/RUN/g)?.length ?? 0) >= 2);
  });

  void test('--shell-wrap: umask=077 is set and stderr goes to stdout (redirect_stderr=true)', async () => {
    const p = project();
    await waitFor(
      'wrapped to exit',
      () => (p.inspect('wrapped').State.Status === 'exited' ? true : undefined),
      60_000,
      200,
    );
    const { stdout, stderr } = p.streams('wrapped');
    assert.match(stdout, /^0077$/m);
    assert.match(stdout, /^TO_STDERR$/m);
    assert.equal(stderr, '');
  });
});
