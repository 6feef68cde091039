/**
 * supctl touches only its own files (issue 9, items 1 and 2), on the
 * harness's real user manager through bin/supctl:
 *   - a project whose target would be systemd's own (`default.target`) is
 *     refused in one line, before anything is written;
 *   - a unit file supctl did not write, in the unit directory or anywhere
 *     else the manager loads units from, is never overwritten or shadowed;
 *   - projects `a` + [program:b-c] and `a-b` + [program:c] get distinct units,
 *     and removing one leaves the other running;
 *   - `remove` leaves a recorded file whose supctl header is gone, and says so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { describeWithHarness, systemdCliEnv } from './harness.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describeWithHarness('supctl writes and deletes only its own unit files', (h) => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-own-'));
  const tag = `o${process.pid}`;
  const env = systemdCliEnv(h, dir);
  const run = (...args: string[]): Run => {
    const r = spawnSync(process.execPath, ['bin/supctl', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const conf = (name: string, programs: string[]): string => {
    const f = join(dir, `${name}.conf`);
    writeFileSync(
      f,
      programs.map((p) => `[program:${p}]\ncommand=/bin/sleep 1000\nstartsecs=0\n`).join('\n'),
    );
    return f;
  };
  // one error line; progress lines off a terminal (`supctl: stop 1/1 web (0.3s)`) come before it
  const oneLine = (r: Run, pattern: RegExp) => {
    const lines = r.stderr
      .split('\n')
      .filter((l) => l !== '' && !/^supctl: [a-z]+ \d+\/\d+ \S+ \(\d+\.\ds\)$/.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  };
  const projects: string[] = [];
  after(() => {
    for (const p of projects) run('uninstall', '--name', p);
    rmSync(dir, { recursive: true, force: true });
  });

  void test("a project named after systemd's own target is refused before anything is written", () => {
    const r = run('apply', conf('default', ['web']), '--name', 'default');
    assert.equal(r.status, 2, r.stderr);
    oneLine(r, /default\.target.*systemd\.special/);
    assert.equal(existsSync(join(h.systemd.unitDir, 'default.target')), false);
  });

  void test('a unit file supctl did not write is neither overwritten nor removed', () => {
    const project = `${tag}mine`;
    const theirs = join(h.systemd.unitDir, `${project}-web.service`);
    mkdirSync(dirname(theirs), { recursive: true });
    writeFileSync(theirs, '[Service]\nExecStart=/bin/true\n');
    try {
      const r = run('apply', conf(project, ['web']), '--name', project);
      assert.equal(r.status, 1, r.stderr);
      oneLine(r, /exists and supctl did not write it/);
      assert.equal(readFileSync(theirs, 'utf8'), '[Service]\nExecStart=/bin/true\n');
      assert.equal(existsSync(join(h.systemd.unitDir, `${project}.target`)), false);
    } finally {
      rmSync(theirs, { force: true });
    }
  });

  void test('a unit the manager loads from another directory is not shadowed', () => {
    // $XDG_DATA_HOME/systemd/user is on the user manager's unit path, below the unit dir
    const dataUnits = join(h.dir, 'xdg', 'data', 'systemd', 'user');
    const project = `${tag}dist`;
    const theirs = join(dataUnits, `${project}.target`);
    mkdirSync(dataUnits, { recursive: true });
    writeFileSync(theirs, '[Unit]\nDescription=not supctl\n');
    try {
      const r = run('apply', conf(project, ['web']), '--name', project);
      assert.equal(r.status, 1, r.stderr);
      oneLine(r, new RegExp(`systemd already has a unit ${project}\\.target`));
      assert.equal(existsSync(join(h.systemd.unitDir, `${project}.target`)), false);
    } finally {
      rmSync(theirs, { force: true });
    }
  });

  void test('projects a + [program:b-c] and a-b + [program:c] get distinct units; removing one keeps the other', () => {
    const a = `${tag}a`;
    const ab = `${tag}a-b`;
    projects.push(a, ab);
    assert.equal(run('apply', conf('first', ['b-c']), '--name', a).status, 0);
    const second = run('apply', conf('second', ['c']), '--name', ab);
    assert.equal(second.status, 0, second.stderr);
    assert.ok(existsSync(join(h.systemd.unitDir, `${a}-b-c.service`)));
    assert.ok(existsSync(join(h.systemd.unitDir, `${tag}a\\x2db-c.service`)));
    assert.match(run('status', '--name', ab, 'c').stdout, /^c\s+RUNNING/);
    assert.equal(run('uninstall', '--name', a).status, 0);
    assert.match(run('status', '--name', ab, 'c').stdout, /^c\s+RUNNING/);
    assert.ok(existsSync(join(h.systemd.unitDir, `${tag}a\\x2db-c.service`)));
  });

  void test('remove leaves a recorded file that no longer carries the supctl header, and says so', () => {
    const project = `${tag}edit`;
    const r = run('apply', conf(project, ['web']), '--name', project);
    assert.equal(r.status, 0, r.stderr);
    const unit = join(h.systemd.unitDir, `${project}-web.service`);
    writeFileSync(unit, readFileSync(unit, 'utf8').replace(/^# .*\n/, '# mine now\n'));
    try {
      const rm = run('uninstall', '--name', project);
      assert.equal(rm.status, 1, rm.stderr);
      oneLine(rm, /left .*-web\.service: no longer supctl's/);
      assert.ok(existsSync(unit), 'the edited unit file is still there');
      assert.equal(existsSync(join(h.systemd.unitDir, `${project}.target`)), false);
    } finally {
      rmSync(unit, { force: true });
    }
  });
});
