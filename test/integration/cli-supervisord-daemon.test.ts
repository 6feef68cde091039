/**
 * supervisorctl's verbs about supervisord itself over `--backend
 * supervisord`, against real supervisord 4.2.5 daemons and compared with
 * the real supervisorctl: clear (one, several, all, unknown names),
 * maintail (the last bytes, usage errors), usage lines of shutdown/reload/
 * fg/open, reload (supervisord restarts: the same daemon pid answers with
 * the programs running again) and shutdown (the daemon exits; a second
 * shutdown finds no server), each with supervisorctl's exit code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeWithHarness, startSupervisord, waitFor, type Supervisord } from './harness.ts';
import { norm, supervisorctl } from './supervisorctl.ts';

const T = 60_000;

function supctl(args: string[]): { code: number | null; lines: string[]; stderr: string } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SUPCTL_')),
  );
  const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

const SECTIONS = `
[program:talk]
command=/bin/sh -c 'while true; do echo out-line; echo err-line >&2; sleep 0.2; done'
startsecs=0

[program:quiet]
command=/bin/sleep 1000
startsecs=0
`;

describeWithHarness('supervisord-only verbs = supervisorctl (bin/supctl)', (h) => {
  let sd: Supervisord;
  const on = (...args: string[]) =>
    supctl(['--backend', 'supervisord', '-s', `unix://${sd.socketPath}`, ...args]);
  const compare = (args: string[]) => {
    const got = on(...args);
    const want = supervisorctl(h, sd.configPath, args);
    assert.deepEqual(norm(got.lines), norm(want.lines), `${args.join(' ')}: ${got.stderr}`);
    assert.equal(got.code, want.code, `${args.join(' ')}: exit code`);
    return got;
  };
  const logOf = (name: string) => path.join(sd.dir, readdirLog(sd.dir, name));
  const running = async (n: string) =>
    ((await sd.call('supervisor.getProcessInfo', [n])) as Record<string, unknown>)['statename'] ===
    'RUNNING';

  before(async () => {
    sd = await startSupervisord({ sections: SECTIONS });
    await waitFor('both RUNNING', async () =>
      (await running('talk')) && (await running('quiet')) ? true : undefined,
    );
    await waitFor('talk has logged', () =>
      statSync(logOf('talk-stdout')).size > 0 ? true : undefined,
    );
  });
  after(async () => {
    await sd?.stop();
  });

  test('clear: one, several, all, unknown names, none', { timeout: 2 * T }, async () => {
    for (const args of [
      ['clear', 'talk'],
      ['clear', 'talk', 'quiet'],
      ['clear', 'nosuch'],
      ['clear', 'talk', 'nosuch', 'grp:*'],
      ['clear', 'all'],
      ['clear'],
    ]) {
      compare(args);
    }
    // supctl's clear empties the log (supervisord reopens it; the program goes on writing)
    await waitFor('talk logs again', () =>
      statSync(logOf('talk-stdout')).size > 0 ? true : undefined,
    );
    const r = on('clear', 'talk');
    assert.deepEqual(r.lines, ['talk: cleared']);
    assert.ok(statSync(logOf('talk-stdout')).size < 200, 'the log was emptied');
  });

  test('maintail: the last bytes of supervisord.log; usage errors', { timeout: 2 * T }, () => {
    for (const args of [
      ['maintail'],
      ['maintail', '-200'],
      ['maintail', 'x'],
      ['maintail', '-1', '-2'],
    ]) {
      compare(args);
    }
    const tail = on('maintail', '-300');
    assert.ok(
      readFileSync(path.join(sd.dir, 'supervisord.log'), 'utf8').includes(tail.lines.at(-1)!),
    );
  });

  test('usage lines: shutdown/reload with arguments, fg, open', { timeout: 2 * T }, () => {
    for (const args of [
      ['shutdown', 'x'],
      ['reload', 'x'],
      ['fg'],
      ['fg', 'a', 'b'],
      ['fg', 'nosuch'],
      ['open', 'ftp://x'],
    ]) {
      compare(args);
    }
  });

  test('reload restarts supervisord; shutdown stops it', { timeout: 4 * T }, async () => {
    const before = await sd.call('supervisor.getPID');
    const r = on('reload');
    assert.deepEqual(r.lines, ['Restarted supervisord'], r.stderr);
    assert.equal(r.code, 0);
    await waitFor(
      'the programs RUNNING again',
      async () => {
        try {
          return (await running('talk')) ? true : undefined;
        } catch {
          return undefined;
        }
      },
      30_000,
    );
    assert.equal(await sd.call('supervisor.getPID'), before, 'the same daemon restarted in place');

    const s = on('shutdown');
    assert.deepEqual(s.lines, ['Shut down'], s.stderr);
    assert.equal(s.code, 0);
    await waitFor('the socket gone', () => (existsSync(sd.socketPath) ? undefined : true), 30_000);
    const again = on('shutdown');
    const want = supervisorctl(h, sd.configPath, ['shutdown']);
    assert.deepEqual(
      again.lines,
      want.lines.map((l) => l.replace(/^ERROR: \S+/, `ERROR: unix://${sd.socketPath}`)),
    );
    assert.equal(again.code, want.code);
  });
});

function readdirLog(dir: string, prefix: string): string {
  const f = spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n');
  const hit = f.find((n) => n.startsWith(prefix));
  if (hit === undefined) throw new Error(`no ${prefix} log in ${dir}`);
  return hit;
}
