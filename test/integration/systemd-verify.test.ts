/**
 * Every generated unit of every golden case passes `systemd-analyze --user
 * verify` with EMPTY stderr (verify exits 0 even on unknown keys). The only
 * accepted line is "Command X is not executable" for an X the case lists in
 * case.json `missing`: the real BK-LOG configs name binaries that only exist
 * on their production hosts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFilesAtomically } from '../../src/emit/write.ts';
import { generate, goldenCases } from '../emit/systemd/golden-cases.ts';
import { describeWithHarness } from './harness.ts';

describeWithHarness('systemd-analyze --user verify on every golden unit', (h) => {
  const root = mkdtempSync(join(tmpdir(), 'supctl-verify-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let total = 0;
  for (const c of goldenCases()) {
    void test(c.name, () => {
      const dir = join(root, c.name);
      const files = generate(c).filter((f) => f.path !== 'report.txt');
      writeFilesAtomically(dir, files);
      const units = files
        .map((f) => f.path)
        .filter((p) => !p.includes('/') && /\.(service|target|socket)$/.test(p))
        .map((p) => join(dir, p));
      assert.ok(units.length > 0);
      total += units.length;
      const r = spawnSync('systemd-analyze', ['--user', 'verify', ...units], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: h.systemd.runtimeDir },
        timeout: 60_000,
      });
      assert.equal(r.error, undefined);
      const allowed = new Set(
        c.missing.map((m) => `Command ${m} is not executable: No such file or directory`),
      );
      const all = r.stderr.split('\n').filter((l) => l.trim() !== '');
      const lines = all.filter((l) => ![...allowed].some((a) => l.endsWith(a)));
      assert.deepEqual(lines, [], `verify stderr for ${c.name}`);
      // a missing executable is an error (exit 1); nothing else may fail
      assert.equal(r.status, all.length > 0 ? 1 : 0, r.stdout);
    });
  }
  void test('verified units were counted', () => assert.ok(total >= 40, `${total} units`));
});
