/**
 * The matrix's pure parts, without runtimes: judging a value, finding the
 * contradicted EXACT claims, the generated sections, the claims read from
 * the key tables, and that the program really runs (busybox sh on the host).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { dockerClaim, systemdClaim } from './claims.ts';
import { command } from './program.ts';
import { contradictions, matches, sections, type Row } from './run.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const scenario = (id: string): Scenario => SCENARIOS.find((s) => s.id === id)!;

void test('a value matches a string exactly, a number within [min, max]; no expectation is no verdict', () => {
  assert.equal(matches('EXITED', 'EXITED'), true);
  assert.equal(matches('STOPPED', 'EXITED'), false);
  assert.equal(matches('2.2', [1.5, 4.5]), true);
  assert.equal(matches('4.6', [1.5, 4.5]), false);
  assert.equal(matches('none', [1.5, 4.5]), false);
  assert.equal(matches('1.0', undefined), undefined);
});

void test('only a ✗ under an EXACT claim (or under supervisord) is a contradiction; facade rows never', () => {
  const s = scenario('process-setup');
  const row = (
    measure: number,
    docker: string,
    fidelity: 'EXACT' | 'NONE',
    facade?: string,
  ): Row => {
    const m = { ...s.measures[measure]!, ...(facade === undefined ? {} : { facade }) };
    const ok = (v: string) => ({ value: v, ok: matches(v, m.expect) });
    return {
      scenario: s,
      measure: m,
      cells: {
        supervisord: ok(String(m.expect)),
        systemd: ok(String(m.expect)),
        docker: ok(docker),
      },
      claims: { systemd: { fidelity: 'EXACT', text: '' }, docker: { fidelity, text: '' } },
    };
  };
  assert.deepEqual(contradictions([row(2, '0022', 'NONE')]), []);
  assert.deepEqual(contradictions([row(2, '0022', 'EXACT', 'why')]), []);
  const [c, ...rest] = contradictions([row(2, '0022', 'EXACT')]);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    { runtime: c?.runtime, key: c?.key, got: c?.got, scenario: c?.scenario },
    { runtime: 'docker', key: 'umask', got: '0022', scenario: 'process-setup' },
  );
});

void test('claims come from the key tables for the scenario config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-fid-unit-'));
  try {
    const conf = join(dir, 'supervisord.conf');
    writeFileSync(conf, sections(scenario('process-setup'), '/fid'));
    const d = loadConfig(conf, { env: {}, hostNodeName: 'fidelity' });
    // the program logs to a file: systemd creates it with UMask= too (the umask row)
    assert.equal(systemdClaim(d, 'umask', 'setup').fidelity, 'APPROX');
    assert.match(systemdClaim(d, 'umask', 'setup').text, /UMask=0027; systemd also creates/);
    assert.equal(dockerClaim(d, 'umask', 'setup').fidelity, 'NONE');
    // an unwritten EXACT key reports nothing: the row's own best and target
    assert.deepEqual(systemdClaim(d, 'stopsignal', 'setup').fidelity, 'EXACT');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('every scenario loads as a supervisord config, and every measured process exists in it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-fid-unit-'));
  try {
    for (const s of SCENARIOS) {
      const conf = join(dir, `${s.id}.conf`);
      writeFileSync(conf, sections(s, '/fid'));
      const d = loadConfig(conf, { env: {}, hostNodeName: 'fidelity' });
      const names = d.groups.flatMap((g) =>
        g.processes.map((p) => (g.name === p.name ? p.name : `${g.name}:${p.name}`)),
      );
      for (const m of s.measures.filter((x) => x.proc !== undefined)) {
        assert.ok(
          names.includes(m.proc!),
          `${s.id}: ${m.proc} is not a process of ${names.join(',')}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('the program records its start and its exit status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-fid-unit-'));
  try {
    const argv = command(dir, 'p', 'exit:3').replace(
      /^\/bin\/busybox sh -c '(.*)' fid (.*)$/s,
      '$1\u0000$2',
    );
    const [script, args] = argv.split('\u0000');
    assert.throws(() =>
      execFileSync('/bin/busybox', ['sh', '-c', script!, 'fid', ...args!.split(' ')], {
        stdio: 'ignore',
      }),
    );
    const ev = readFileSync(join(dir, 'p.ev'), 'utf8');
    assert.match(
      ev,
      /^start pid=\d+ cwd=\S+ umask=0\d{3} var=unset t=[\d.]+\nexit code=3 t=[\d.]+\n$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
