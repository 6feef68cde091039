/**
 * A fast-check generator of whole supervisord configurations: a main file
 * (full, or a conf.d fragment without [supervisord]) plus files it may
 * include, the environment supervisord runs with, and its host name.
 *
 * It covers every key of [supervisord], [program:x], [fcgi-program:x],
 * [eventlistener:x], [group:x], [include], the http servers and rpcinterface
 * sections, with valid and invalid values, and the INI dialect's corners:
 * inline comments with and without whitespace, full-line and indented
 * comments, continuation lines with blank and comment lines inside, `=` and
 * `:` with spaces/tabs, upper-case keys, section-name case, duplicate keys
 * and sections, [DEFAULT], quotes, `%%`, every `%(name)s` expansion, unicode,
 * CRLF/CR line ends, BOM, and [include] globs over the other generated files.
 */
import fc from 'fast-check';
import * as V from './values.ts';
import type { ValueGen } from './values.ts';

export interface GeneratedFile {
  /** Path relative to the case directory. */
  path: string;
  text: string;
}

export interface GeneratedCase {
  /** files[0] is the config given to the parser; the others may be included. */
  files: GeneratedFile[];
  env: Record<string, string>;
  host: string;
}

interface Kv {
  t: 'kv';
  key: string;
  value: string;
  keyCase: 'lower' | 'upper' | 'title';
  indent: string;
  delim: string;
  comment: string;
  cont: string;
}
type Line = Kv | { t: 'text'; text: string };
interface Section {
  header: string;
  lines: Line[];
}

const c = (...xs: string[]): fc.Arbitrary<string> => fc.constantFrom(...xs);
const w = <T>(arbitrary: fc.Arbitrary<T>, weight: number): fc.WeightedArbitrary<T> => ({
  arbitrary,
  weight,
});

export const PROGRAM_KEYS: Record<string, ValueGen> = {
  command: V.command,
  process_name: V.processName,
  numprocs: V.numprocs,
  numprocs_start: V.numprocsStart,
  priority: V.int,
  autostart: V.bool,
  startsecs: V.int,
  startretries: V.int,
  autorestart: V.autorestart,
  exitcodes: V.exitcodes,
  stopsignal: V.signal,
  stopwaitsecs: V.int,
  stopasgroup: V.bool,
  killasgroup: V.bool,
  user: V.user,
  redirect_stderr: V.bool,
  stdout_logfile: V.logfile,
  stdout_logfile_maxbytes: V.bytes,
  stdout_logfile_backups: V.int,
  stdout_capture_maxbytes: V.bytes,
  stdout_events_enabled: V.bool,
  stdout_syslog: V.bool,
  stderr_logfile: V.logfile,
  stderr_logfile_maxbytes: V.bytes,
  stderr_logfile_backups: V.int,
  stderr_capture_maxbytes: V.bytes,
  stderr_events_enabled: V.bool,
  stderr_syslog: V.bool,
  environment: V.environment,
  directory: V.dirPath,
  umask: V.octal,
  serverurl: V.serverurl,
};

export const FCGI_KEYS: Record<string, ValueGen> = {
  ...PROGRAM_KEYS,
  socket: V.socket,
  socket_owner: V.socketOwner,
  socket_mode: V.octal,
  socket_backlog: V.socketBacklog,
};

export const LISTENER_KEYS: Record<string, ValueGen> = {
  ...PROGRAM_KEYS,
  events: V.events,
  buffer_size: V.bufferSize,
  result_handler: V.resultHandler,
};

const mainPath: ValueGen = {
  ok: c('/var/log/supervisord.log', '%(here)s/s.log', '/tmp/x', 'rel.log', '~/s.log', '%(ENV_P)s'),
  bad: c('%(program_name)s', '%(nope)s', '/x%y'),
};

export const SUPERVISORD_KEYS: Record<string, ValueGen> = {
  logfile: mainPath,
  logfile_maxbytes: V.bytes,
  logfile_backups: V.int,
  loglevel: V.loglevel,
  pidfile: mainPath,
  umask: V.octal,
  nodaemon: V.bool,
  silent: V.bool,
  minfds: V.int,
  minprocs: V.int,
  nocleanup: V.bool,
  childlogdir: mainPath,
  user: { ok: c('root', 'nobody', '%(ENV_USER)s', ''), bad: c('%(program_name)s') },
  directory: mainPath,
  strip_ansi: V.bool,
  environment: V.mainEnvironment,
  identifier: V.freeText,
};

const DEFAULT_KEYS: Record<string, ValueGen> = {
  autostart: V.bool,
  priority: V.int,
  startsecs: V.int,
  user: V.user,
  stdout_logfile: V.logfile,
  environment: V.environment,
  command: V.command,
  redirect_stderr: V.bool,
  stopsignal: V.signal,
  events: V.events,
  identifier: V.freeText,
  minfds: V.int,
  umask: V.octal,
};

const UNKNOWN_KEYS: Record<string, ValueGen> = {
  group: V.freeText,
  pythonpath: V.freeText,
  critical: V.freeText,
  'stdout logfile': V.freeText,
};

/** One `key = value` line (maybe continued), in one of many spellings. */
function kvArb(key: string, value: fc.Arbitrary<string>, odd = 0): fc.Arbitrary<Kv> {
  return fc.record({
    t: fc.constant('kv' as const),
    key: fc.constant(key),
    value,
    keyCase: fc.oneof(
      w(fc.constant('lower' as const), 20),
      w(fc.constant('upper' as const), 1),
      w(fc.constant('title' as const), 1),
    ),
    // an indented key line continues the previous value
    indent: fc.oneof(w(c(''), 400), w(c(' ', '\t'), odd)),
    delim: fc.oneof(w(c('='), 12), w(c(' = ', ':', ' : ', '\t=\t', '= ', ' =', '\t:'), 3)),
    comment: fc.oneof(
      w(c(''), 25),
      w(c(' ; note', '\t# note', ' ;', ' # x ; y', '\u00a0;nbsp', '\x1f;us', '\u3000#ideo'), 3),
      w(c(';glued', '#glued'), odd),
    ),
    cont: c('  ', '\t', '    ', ' \u00a0'),
  });
}

function valueOf(gen: ValueGen, badWeight: number): fc.Arbitrary<string> {
  if (badWeight === 0) return gen.ok;
  return fc.oneof(w(gen.ok, 30), w(gen.bad, badWeight));
}

/** Comment and blank lines that may appear between keys. */
const filler: fc.Arbitrary<Line> = fc
  .oneof(
    w(c('', '; comment', '# comment', '   ; indented comment', ';;double', '#'), 10),
    w(c('   ', '\t', ' \u00a0 ', '\u00a0; nbsp-led comment', '\x1f# us-led comment'), 1),
  )
  .map((text) => ({ t: 'text' as const, text }));

const junk: fc.Arbitrary<Line> = c('junk without delimiter', '=novalue', ': x', 'k', '[').map(
  (text) => ({ t: 'text' as const, text }),
);

/** The key lines of one section: required keys first, then random (repeatable) keys. */
function bodyArb(
  keys: Record<string, ValueGen>,
  required: string[],
  badWeight: number,
  maxKeys: number,
): fc.Arbitrary<Line[]> {
  const names = Object.keys(keys);
  const anyKv: fc.Arbitrary<Line> = fc
    .constantFrom(...names)
    .chain((k) => kvArb(k, valueOf(keys[k] as ValueGen, badWeight), badWeight));
  const unknownKv: fc.Arbitrary<Line> = fc
    .constantFrom(...Object.keys(UNKNOWN_KEYS))
    .chain((k) => kvArb(k, (UNKNOWN_KEYS[k] as ValueGen).ok));
  const req = required.map((k) =>
    fc.option(kvArb(k, valueOf(keys[k] as ValueGen, badWeight), badWeight), {
      freq: badWeight ? 12 : 40,
      nil: null,
    }),
  );
  const other = fc.array(
    fc.oneof(w(anyKv, 60), w(filler, 12), w(unknownKv, 3), w(junk, badWeight ? 1 : 0)),
    { maxLength: maxKeys },
  );
  return fc
    .tuple(fc.tuple(...req), other)
    .map(([r, o]) => [...r.filter((x): x is Kv => x !== null), ...o]);
}

/** numprocs > 1 needs %(process_num) in process_name: emit both, usually consistent. */
const numprocsPair = (badWeight: number): fc.Arbitrary<Line[]> =>
  fc
    .tuple(
      kvArb('numprocs', c('2', '3', '%(ENV_N)s', '0'), badWeight),
      kvArb(
        'process_name',
        fc.oneof(
          w(c('%(program_name)s_%(process_num)02d', '%(process_num)d', 'w%(process_num)s'), 10),
          w(c('%(program_name)s', 'fixed'), badWeight),
        ),
        badWeight,
      ),
      fc.boolean(),
    )
    .map(([a, b, swap]) => (swap ? [b, a] : [a, b]));

type Kind = 'program' | 'fcgi-program' | 'eventlistener';

interface ProgramSpec {
  kind: Kind;
  name: string;
}

/** A section header as written, in a few spellings. */
function headerArb(name: string): fc.Arbitrary<string> {
  const [kind, ...rest] = name.split(':');
  const tail = rest.join(':');
  return fc.oneof(
    w(fc.constant(`[${name}]`), 60),
    w(fc.constant(`[${name}] ; comment`), 3),
    w(fc.constant(`[${name}]\t# comment`), 1),
    w(fc.constant(`[${name}]junk`), 1),
    w(fc.constant(`  [${name}]`), 1),
    w(fc.constant(rest.length ? `[${kind ?? ''}: ${tail}]` : `[${name}]`), 3),
    w(fc.constant(rest.length ? `[${(kind ?? '').toUpperCase()}:${tail}]` : `[${name}]`), 1),
  );
}

function programSection(p: ProgramSpec, badWeight: number): fc.Arbitrary<Section> {
  const keys =
    p.kind === 'fcgi-program'
      ? FCGI_KEYS
      : p.kind === 'eventlistener'
        ? LISTENER_KEYS
        : PROGRAM_KEYS;
  const required =
    p.kind === 'fcgi-program'
      ? ['command', 'socket']
      : p.kind === 'eventlistener'
        ? ['command', 'events']
        : ['command'];
  return fc
    .tuple(
      headerArb(`${p.kind}:${p.name}`),
      bodyArb(keys, required, badWeight, 9),
      fc.option(numprocsPair(badWeight), { freq: 4, nil: null }),
    )
    .map(([header, lines, pair]) => ({ header, lines: pair ? [...lines, ...pair] : lines }));
}

function groupSection(members: string[], badWeight: number): fc.Arbitrary<Section> {
  const name = c('grp', 'web', 'g2', ' g ', 'all');
  const member = fc.oneof(
    w(members.length ? c(...members.map((m) => m.trim())) : c('web'), 12),
    w(c('unknown', 'a b', ''), badWeight),
  );
  const programs = fc
    .tuple(fc.array(member, { minLength: 1, maxLength: 3 }), c(',', ', ', ' , ', ',\n  '))
    .map(([ms, sep]) => ms.join(sep));
  return fc
    .tuple(
      name.chain((n) => headerArb(`group:${n}`)),
      fc.option(kvArb('programs', programs, badWeight), { freq: 30, nil: null }),
      fc.array(
        fc.oneof(
          w<Line>(kvArb('priority', valueOf(V.int, badWeight)), 3),
          w(filler, 1),
          w<Line>(kvArb('autostart', V.bool.ok), 1),
        ),
        { maxLength: 2 },
      ),
    )
    .map(([header, p, rest]) => ({ header, lines: p ? [p, ...rest] : rest }));
}

const simpleSection = (
  header: string,
  keys: Record<string, ValueGen>,
  required: string[],
  badWeight: number,
  maxKeys: number,
): fc.Arbitrary<Section> =>
  fc
    .tuple(headerArb(header), bodyArb(keys, required, badWeight, maxKeys))
    .map(([h, lines]) => ({ header: h, lines }));

/** Sections that are not programs: servers, ctl, rpcinterface, DEFAULT, ignored ones. */
function otherSection(badWeight: number): fc.Arbitrary<Section> {
  // username without password (or the reverse) is an error: only in bad mode
  const auth: Record<string, ValueGen> = badWeight
    ? { username: V.freeText, password: V.freeText }
    : {};
  return fc.oneof(
    w(
      simpleSection(
        'unix_http_server',
        {
          file: { ok: c('/tmp/s.sock', '%(here)s/s.sock', '~/s.sock'), bad: c('%(nope)s') },
          chmod: V.octal,
          chown: V.socketOwner,
          ...auth,
        },
        ['file'],
        badWeight,
        3,
      ),
      3,
    ),
    w(simpleSection('inet_http_server', { port: V.inetPort, ...auth }, ['port'], badWeight, 3), 2),
    w(
      simpleSection(
        'supervisorctl',
        { serverurl: V.serverurl, prompt: V.freeText, ...auth },
        [],
        badWeight,
        3,
      ),
      2,
    ),
    w(
      simpleSection(
        'rpcinterface:supervisor',
        { 'supervisor.rpcinterface_factory': V.rpcFactory, retries: V.freeText },
        ['supervisor.rpcinterface_factory'],
        badWeight,
        2,
      ),
      2,
    ),
    w(simpleSection('DEFAULT', DEFAULT_KEYS, [], badWeight, 2), 2),
    w(
      fc
        .constantFrom('foo', 'Program:ignored', 'eventlistener', 'default', 'Supervisord')
        .chain((h) => simpleSection(h, PROGRAM_KEYS, [], badWeight, 2)),
      1,
    ),
  );
}

const INCLUDE_PATTERNS = [
  'conf.d/*.conf',
  'conf.d/*',
  'conf.d/?.conf',
  'conf.d/[ab].conf',
  'conf.d/[!a].conf',
  '%(here)s/conf.d/*.conf',
  'conf.d/*.conf conf.d/*.ini',
  'missing/*.conf',
  'conf.d',
  'conf.d/*.conf\n  conf.d/*.ini',
  'conf.d/**/*.conf',
  'conf.d/*/*.conf',
  '*.conf',
  'conf.d/%(host_node_name)s.conf',
  '',
  'conf.d/a.conf conf.d/a.conf',
  'conf.d/*.ini\tconf.d/b.conf',
  'conf.d/[a-c-e].conf',
  'conf.d/[]a-].conf',
  'conf.d/[!]b]*',
  'conf.d/[z-a]*',
  'conf.d/.*',
  './conf.d//a.conf',
];

const INCLUDED_NAMES = [
  'conf.d/a.conf',
  'conf.d/b.conf',
  'conf.d/c.ini',
  'conf.d/.hidden.conf',
  'conf.d/sub/d.conf',
  'conf.d/node1.conf',
  'conf.d/x.conf.bak',
  'conf.d/-.conf',
  'conf.d/].conf',
];

interface FileStyle {
  eol: '\n' | '\r\n' | '\r' | 'mixed';
  finalEol: boolean;
  bom: boolean;
}

const styleArb: fc.Arbitrary<FileStyle> = fc.record({
  eol: fc.oneof(
    w(fc.constant('\n' as const), 40),
    w(fc.constant('\r\n' as const), 6),
    w(fc.constant('mixed' as const), 3),
    w(fc.constant('\r' as const), 1),
  ),
  finalEol: fc.oneof(w(fc.constant(true), 5), w(fc.constant(false), 1)),
  bom: fc.oneof(w(fc.constant(false), 150), w(fc.constant(true), 1)),
});

function renderKv(kv: Kv): string[] {
  const key =
    kv.keyCase === 'upper'
      ? kv.key.toUpperCase()
      : kv.keyCase === 'title'
        ? kv.key.charAt(0).toUpperCase() + kv.key.slice(1)
        : kv.key;
  const [first = '', ...rest] = kv.value.split('\n');
  return [`${kv.indent}${key}${kv.delim}${first}${kv.comment}`, ...rest.map((r) => kv.cont + r)];
}

export function renderFile(sections: Section[], style: FileStyle, preamble: string[]): string {
  const lines: string[] = [...preamble];
  for (const s of sections) {
    lines.push(s.header);
    for (const l of s.lines) lines.push(...(l.t === 'kv' ? renderKv(l) : [l.text]));
    lines.push('');
  }
  let text = '';
  lines.forEach((l, i) => {
    const eol = style.eol === 'mixed' ? (i % 3 === 1 ? '\r\n' : '\n') : style.eol;
    text += l + (i < lines.length - 1 || style.finalEol ? eol : '');
  });
  return (style.bom ? '\ufeff' : '') + text;
}

/** Values that fit how the generator uses each variable, then ones that do not. */
const ENV_VALUES: Record<string, [string[], string[]]> = {
  W: [['w', 'two words', ''], []],
  N: [['2', '0', '1', ' 3 ', '\u0662'], ['x']],
  B: [
    ['true', 'off', 'YES'],
    ['maybe', ' true'],
  ],
  P: [['/srv/p', 'rel', '~/p'], []],
  Q: [['"a b"', 'plain', "it's"], []],
  PCT: [
    ['%%', '%%%%'],
    ['100%', '%(here)s'],
  ],
  SIG: [['HUP', 'sigint', '9'], ['bogus']],
  USER: [['alice', ''], []],
  PE: [['envval', 'x y'], ['%']],
};

const envArb: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    ...Object.entries(ENV_VALUES).map(([k, [good, odd]]) =>
      fc.option(
        fc
          .oneof(w(c(...good), 12), w(odd.length ? c(...odd) : c(...good), 1))
          .map((v) => [k, v] as const),
        { freq: 12, nil: null },
      ),
    ),
  )
  .map((pairs) => {
    const env: Record<string, string> = { HOME: '/home/u' };
    for (const p of pairs) if (p) env[p[0]] = p[1];
    return env;
  });

const hostArb = c('node1', 'web-01.example.com', 'HOST', 'h\u00f6st', '');

/** Program sections of one file, plus groups over the programs of the whole case. */
function sectionsArb(
  programs: ProgramSpec[],
  allNames: string[],
  badWeight: number,
  withOthers: boolean,
): fc.Arbitrary<Section[]> {
  return fc
    .tuple(
      programs.length
        ? fc.tuple(...programs.map((p) => programSection(p, badWeight)))
        : fc.constant([]),
      fc.array(groupSection(allNames, badWeight), { maxLength: 1 }),
      withOthers ? fc.array(otherSection(badWeight), { maxLength: 2 }) : fc.constant([]),
    )
    .chain(([ps, gs, os]) =>
      fc
        .shuffledSubarray([...gs, ...os])
        .chain((extra) =>
          fc.shuffledSubarray([...ps, ...extra], { minLength: ps.length + extra.length }),
        ),
    );
}

const programSpecArb = (badWeight: number): fc.Arbitrary<ProgramSpec> =>
  fc.record({
    kind: fc.oneof(
      w(fc.constant('program' as const), 8),
      w(fc.constant('fcgi-program' as const), 2),
      w(fc.constant('eventlistener' as const), 2),
    ),
    name: fc.oneof(w(c(...V.programNames), 30), w(c(...V.badProgramNames), badWeight)),
  });

/** A whole case: main file, included files, env and host. badWeight 0 = valid values only. */
export function caseArb(badWeight: number): fc.Arbitrary<GeneratedCase> {
  return fc
    .record({
      mainPrograms: fc.array(programSpecArb(badWeight), { maxLength: 3 }),
      incPrograms: fc.array(fc.array(programSpecArb(badWeight), { maxLength: 2 }), {
        maxLength: 3,
      }),
      incNames: fc.shuffledSubarray(INCLUDED_NAMES, { maxLength: 3 }),
      fragment: fc.oneof(w(fc.constant(false), 4), w(fc.constant(true), 1)),
      supervisord: bodyArb(SUPERVISORD_KEYS, [], badWeight, 3),
      include: fc.option(
        kvArb('files', fc.oneof(w(c(...INCLUDE_PATTERNS), 20), w(c('%(nope)s'), badWeight))),
        { freq: 2, nil: null },
      ),
      includeKeyMissing: fc.oneof(w(fc.constant(false), 30), w(fc.constant(true), badWeight)),
      styles: fc.array(styleArb, { minLength: 4, maxLength: 4 }),
      preamble: fc.array(c('; header comment', '# hash comment', ''), { maxLength: 2 }),
      env: envArb,
      host: hostArb,
    })
    .chain((r) => {
      const incCount = Math.min(r.incNames.length, r.incPrograms.length);
      const all = [...r.mainPrograms, ...r.incPrograms.slice(0, incCount).flat()];
      // group members: mostly the main file's programs (included ones may not match the glob)
      const names = (ps: ProgramSpec[]): string[] =>
        ps.filter((p) => p.kind !== 'eventlistener').map((p) => p.name);
      const mainNames = names(r.mainPrograms);
      const allNames = [...new Set([...mainNames, ...mainNames, ...mainNames, ...names(all)])];
      const mainSections = sectionsArb(r.mainPrograms, allNames, badWeight, true);
      const incSections = r.incPrograms
        .slice(0, incCount)
        .map((ps) => sectionsArb(ps, allNames, badWeight, false));
      const incSupervisord = fc.array(
        fc.oneof(w(bodyArb(SUPERVISORD_KEYS, [], badWeight, 2), 1), w(fc.constant(null), 5)),
        { minLength: incCount, maxLength: incCount },
      );
      return fc
        .tuple(
          mainSections,
          incSections.length ? fc.tuple(...incSections) : fc.constant([]),
          incSupervisord,
        )
        .map(([main, incs, incSup]) => {
          const head: Section[] = [];
          if (!r.fragment) head.push({ header: '[supervisord]', lines: r.supervisord });
          if (r.include || r.includeKeyMissing) {
            head.push({ header: '[include]', lines: r.include ? [r.include] : [] });
          }
          const style = (i: number): FileStyle => r.styles[i % r.styles.length] as FileStyle;
          const files: GeneratedFile[] = [
            { path: 'main.conf', text: renderFile([...head, ...main], style(0), r.preamble) },
          ];
          incs.forEach((sections: Section[], i: number) => {
            const sup = incSup[i];
            const extra = sup ? [{ header: '[supervisord]', lines: sup }] : [];
            files.push({
              path: r.incNames[i] as string,
              text: renderFile([...extra, ...sections], style(i + 1), []),
            });
          });
          return { files, env: r.env, host: r.host };
        });
    });
}

/** The mix the differential test samples: half valid values only, half with bad values. */
export const configCaseArb: fc.Arbitrary<GeneratedCase> = fc.oneof(
  w(caseArb(0), 3),
  w(caseArb(1), 2),
  w(caseArb(2), 1),
);
