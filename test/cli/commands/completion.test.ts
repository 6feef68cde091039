/**
 * `supctl completion bash|zsh`: the bash script run in a real bash with
 * COMP_WORDS/COMP_CWORD set (verbs, options, process names from the test
 * backend through `__complete names`); the zsh script checked by `zsh -n`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { completeNames, completionScript } from '../../../src/cli/commands/completion.ts';
import { VERBS } from '../../../src/cli/verbs.ts';
import { FakeBackend, proc, recordIO } from '../../control/fake-backend.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-completion-'));
// supctl with the test-only backend (test/cli/fixtures), as the script's COMP_WORDS[0]
const SUPCTL = join(dir, 'supctl');
writeFileSync(
  SUPCTL,
  // from the repository, where node finds tsx
  `#!/bin/sh\ncd '${process.cwd()}' && exec '${process.execPath}' --import tsx '${resolve('test/cli/fixtures/supctl-registered.ts')}' "$@"\n`,
);
chmodSync(SUPCTL, 0o755);
const BASH = join(dir, 'supctl.bash');
writeFileSync(BASH, completionScript('bash', VERBS));

/** The candidates bash offers for `words` (the last one is being completed). */
function complete(words: string[]): string[] {
  const line = [SUPCTL, ...words].join(' ');
  // the words as bash splits them: ':' breaks a word
  const compWords = [SUPCTL, ...words.flatMap((w) => w.split(/(:)/).filter((x) => x !== ''))];
  if (words.at(-1) === '') compWords.push('');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    `source ${q(BASH)}`,
    `COMP_WORDS=(${compWords.map(q).join(' ')})`,
    `COMP_CWORD=${compWords.length - 1}`,
    `COMP_LINE=${q(line)}`,
    `COMP_POINT=${line.length}`,
    '_supctl_complete',
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    encoding: 'utf8',
    cwd: dir,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

test('bash: verbs from the verb table, hidden ones left out', () => {
  assert.deepEqual(complete(['st']).sort(), ['start', 'status', 'stop']);
  const all = complete(['']);
  assert.ok(all.includes('completion') && all.includes('convert') && all.includes('uninstall'));
  assert.ok(!all.some((v) => v.startsWith('__')), all.join(' '));
});

test("bash: a verb's options, positionals left out", () => {
  assert.deepEqual(complete(['status', '--ba']), ['--backend']);
  assert.deepEqual(complete(['apply', '--dr']), ['--dry-run']);
  assert.ok(complete(['status', '--']).includes('--wide'));
  assert.deepEqual(complete(['status', '--nam']), ['--name'], '--names is a positional');
  assert.deepEqual(complete(['convert', 'x.conf', '--sw']), ['--swarm']);
});

test('bash: process names from the backend the line names (__complete names)', () => {
  assert.deepEqual(complete(['status', '--backend', 'testbackend', '']), ['g:*', 'g:a', 'web']);
  assert.deepEqual(complete(['restart', '--backend', 'testbackend', 'w']), ['web']);
  // after a ':' bash completes the part after it
  assert.deepEqual(complete(['stop', '--backend', 'testbackend', 'g:']), ['*', 'a']);
});

test('bash: file verbs complete file names', () => {
  writeFileSync(join(dir, 'app.conf'), '');
  assert.deepEqual(complete(['apply', 'app.c']), ['app.conf']);
});

test('__complete names: every namespec and GROUP:* once, sorted', async () => {
  const b = new FakeBackend([proc('w', 'w_1'), proc('w', 'w_0'), proc('web', 'web')]);
  const r = recordIO();
  assert.equal(await completeNames(b, r.io), 0);
  assert.deepEqual(r.out, ['w:*', 'w:w_0', 'w:w_1', 'web']);
});

test('bash: the script passes shellcheck', () => {
  // shellcheck is installed by test/harness/install.sh (make lint needs it too)
  const r = spawnSync('shellcheck', ['-s', 'bash', BASH], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'shellcheck not found: run test/harness/install.sh');
  assert.equal(r.status, 0, r.stdout);
});

test('zsh: the script is valid zsh (zsh -n) and names every verb', () => {
  const file = join(dir, '_supctl');
  const script = completionScript('zsh', VERBS);
  writeFileSync(file, script);
  const r = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
  // zsh is installed by test/harness/install.sh; its absence is a failure, not a skip
  assert.equal(r.error, undefined, 'zsh not found: run test/harness/install.sh');
  assert.equal(r.status, 0, r.stderr);
  assert.match(script, /verbs=\(status start stop restart .* completion\)/);
  assert.match(script, /^#compdef supctl supervisorctl$/m);
});
