/**
 * Writes a realistic supervisord config with N programs (gunicorn/celery-like
 * stacks: commands with quoting, environment, numprocs, groups, logs).
 *   node --import tsx bench/gen-config.ts N OUT
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function generateConfig(n: number): string {
  const out: string[] = [
    '[unix_http_server]',
    'file=/tmp/supctl-bench.sock',
    '',
    '[supervisord]',
    'logfile=/tmp/supctl-bench.log',
    'environment=APP_ENV="production",TZ="UTC"',
    'minfds=4096',
    '',
    '[supervisorctl]',
    'serverurl=unix:///tmp/supctl-bench.sock',
    '',
  ];
  for (let i = 0; i < n; i++) {
    const name = `app${String(i).padStart(5, '0')}`;
    const kind = i % 4;
    out.push(`[program:${name}]`);
    if (kind === 0) {
      out.push(
        `command=/usr/bin/gunicorn -c /etc/${name}/gunicorn.py --bind "127.0.0.1:${8000 + (i % 1000)}" wsgi:application ; web`,
      );
      out.push('stopasgroup=true', 'killasgroup=true', 'stopsignal=QUIT');
    } else if (kind === 1) {
      out.push(
        `command=/usr/bin/python3 manage.py celery worker -n %(program_name)s_%(process_num)02d -Q q${i} -c 4`,
      );
      out.push('process_name=%(program_name)s_%(process_num)02d', 'numprocs=2');
    } else if (kind === 2) {
      out.push(`command=bash -c "sleep 1 && exec /usr/bin/worker --id ${i} 'arg with spaces'"`);
      out.push('autorestart=unexpected', 'exitcodes=0,2', 'startsecs=3', 'startretries=5');
    } else {
      out.push(`command=/usr/sbin/daemon-${i} --config=%(here)s/conf/${name}.ini`);
      out.push('priority=' + String(100 + (i % 800)), 'autostart=false');
    }
    out.push(
      `directory=/srv/${name}`,
      `environment=NAME="${name}",PORT="${8000 + (i % 1000)}",PATH="/usr/local/bin:/usr/bin:/bin"`,
      `stdout_logfile=%(here)s/logs/${name}.log`,
      'stdout_logfile_maxbytes=50MB',
      'stdout_logfile_backups=5',
      'redirect_stderr=true',
      'stopwaitsecs=30',
      '',
    );
  }
  const groups = Math.floor(n / 50);
  for (let g = 0; g < groups; g++) {
    // each group takes programs whose index ≡ 3 (mod 4) in its 50-program block
    const members: string[] = [];
    for (let i = g * 50 + 3; i < (g + 1) * 50; i += 4)
      members.push(`app${String(i).padStart(5, '0')}`);
    out.push(`[group:grp${g}]`, `programs=${members.join(',')}`, 'priority=500', '');
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2]);
  const file = process.argv[3];
  if (!Number.isInteger(n) || n < 0 || file === undefined) {
    console.error('usage: gen-config.ts N OUT');
    process.exit(2);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, generateConfig(n));
}
