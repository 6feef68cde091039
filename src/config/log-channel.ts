/**
 * One log channel's keys of a program section (`stdout_*` / `stderr_*`),
 * read inside the per-process loop with supervisor 4.2.5's expansions and
 * warnings.
 */
import { boolean, byteSize, integer, logfileName } from './memoized-datatypes.ts';
import { convert, convertError, type ConfigSource, type SectionReader } from './config-source.ts';
import { expandError, expandRaw, type Mapping } from './expansions.ts';
import { pyExpanduser } from './pypath.ts';

const MB = 1024 * 1024;

type LogChannel = 'stdout' | 'stderr';

/** The loop's expansion names: in supervisor's dict order, and in saneget's. */
export interface LoopLayers {
  dict: Mapping[];
  sane: Mapping[];
}

const LOG_KEYS = {
  stdout: {
    logfile: 'stdout_logfile',
    backups: 'stdout_logfile_backups',
    maxbytes: 'stdout_logfile_maxbytes',
    syslog: 'stdout_syslog',
  },
  stderr: {
    logfile: 'stderr_logfile',
    backups: 'stderr_logfile_backups',
    maxbytes: 'stderr_logfile_maxbytes',
    syslog: 'stderr_syslog',
  },
} as const;

interface LogChannelValues {
  logfile: string | null;
  maxbytes: number;
  backups: number;
  syslog: boolean;
}

/** `<ch>_logfile` (expanded twice in 4.2.5), `_logfile_backups`, `_logfile_maxbytes`, `_syslog`. */
export function readLogChannel(
  src: ConfigSource,
  r: SectionReader,
  layers: LoopLayers,
  ch: LogChannel,
): LogChannelValues {
  const { logfile: lfKey, backups: buKey, maxbytes: mbKey, syslog: syKey } = LOG_KEYS[ch];
  const once = r.getWith(lfKey, layers.sane);
  let logfile: string | null = 'AUTO';
  if (once !== undefined) {
    let named: string | null;
    try {
      named = logfileName(expandRaw(once, layers.dict));
    } catch (err) {
      const where = r.origin(lfKey);
      throw convertError(expandError(err, once, layers.dict, lfKey, where), where);
    }
    logfile =
      named === null || named === 'AUTO' || named === 'syslog'
        ? named
        : pyExpanduser(named, src.env);
  }
  const buRaw = r.getWith(buKey, layers.sane);
  const backups = buRaw === undefined ? 10 : convert(integer, buRaw, () => r.origin(buKey));
  const mbRaw = r.getWith(mbKey, layers.sane);
  const maxbytes = mbRaw === undefined ? 50 * MB : convert(byteSize, mbRaw, () => r.origin(mbKey));
  const syRaw = r.getWith(syKey, layers.sane);
  let syslog = syRaw === undefined ? false : convert(boolean, syRaw, () => r.origin(syKey));
  const section = r.name;
  if (logfile === 'syslog') {
    src.warnings.push({
      message:
        `For [${section}], ${lfKey}=syslog but this is deprecated and will be removed.  ` +
        `Use ${syKey}=true to enable syslog instead.`,
      origin: r.origin(lfKey),
    });
    logfile = null;
    syslog = true;
  }
  if (logfile === 'AUTO' && !maxbytes) {
    src.warnings.push({
      message:
        `For [${section}], AUTO logging used for ${lfKey} without rollover, ` +
        'set maxbytes > 0 to avoid filling up filesystem unintentionally',
      origin: r.origin(mbKey),
    });
  }
  return { logfile, maxbytes, backups, syslog };
}
