/**
 * The booted Debian host (sandbox/booted-host.sh, issue 15): boot of a fresh
 * disk from the cached image (copy + boot to `running`), a reboot of the same
 * disk, and the image build when it was not cached. Alone in the machine's
 * view: there is no peer for booting a host; the figure is what a user of
 * `supctl sandbox up --system` and the test suite wait for.
 *   node --import tsx bench/boot.bench.ts [RUNS]
 * Writes bench/results/boot.md. Needs root, mmdebstrap, systemd-container.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { machine, median, range, run, sec, writeResult } from './lib.ts';

const RUNS = Math.max(3, Number(process.argv[2] ?? 3));
const atStart = machine();
const dir = join('.tmp', 'booted');
mkdirSync(dir, { recursive: true });
const host = (...a: string[]) => run('bash', ['sandbox/booted-host.sh', ...a, '--dir', dir]);
const cached = existsSync(join(dir, 'base.stamp'));
const build = host('build');
const fresh: number[] = [];
const reboot: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    fresh.push(host('up', '--fresh').ms);
    reboot.push(host('reboot').ms);
  }
} finally {
  host('down');
}
writeResult(
  'boot',
  'booted Debian host: boot and reboot (issue 15)',
  [
    `Measured ${new Date().toISOString()}; ${atStart} at start; median of ${RUNS} runs each. Debian 12 minbase + systemd, dbus, supervisor, busybox, logrotate in systemd-nspawn; "boot" ends when \`systemctl is-system-running --wait\` answers \`running\`. No target in the issue (it quotes ~20 s for build + boot by hand).`,
  ],
  [
    '| step | median | min – max |',
    '|---|---:|---:|',
    cached
      ? '| image build (mmdebstrap) | cached | — |'
      : `| image build (mmdebstrap, first run) | ${sec(build.ms)} | — |`,
    `| fresh boot (copy the image, boot to running) | ${sec(median(fresh))} | ${range(fresh)} |`,
    `| reboot (power off, boot the same disk) | ${sec(median(reboot))} | ${range(reboot)} |`,
  ],
);
