import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from '../../src/config/errors.ts';
import { decodeConfigText, parseIni, type IniFile, type IniValue } from '../../src/config/ini.ts';
import { check, isErr, runChecks, type PrimitiveAnswer } from '../oracle/primitives.ts';

/** name → key → value, for compact assertions. */
function plain(ini: IniFile): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, s] of ini.sections)
    out[name] = Object.fromEntries([...s.options].map(([k, v]) => [k, v.value]));
  if (ini.defaults)
    out['(DEFAULT)'] = Object.fromEntries([...ini.defaults.options].map(([k, v]) => [k, v.value]));
  return out;
}

function syntaxError(text: string): ConfigError {
  try {
    parseIni(text, 'f.conf');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

void describe('parseIni', () => {
  void it('reads keys case-insensitively and sections case-sensitively', () => {
    const ini = parseIni('[program:Web]\nCommand = /bin/cat\n[program:web]\nx:1\n', 'f.conf');
    assert.deepEqual(plain(ini), {
      'program:Web': { command: '/bin/cat' },
      'program:web': { x: '1' },
    });
  });

  void it('cuts inline comments only after whitespace', () => {
    const ini = parseIni('[a]\nx = /bin/cat ; c\ny=a;b\nz = "p ;q"\nw = u#v\t#c\n', 'f');
    assert.deepEqual(plain(ini).a, { x: '/bin/cat', y: 'a;b', z: '"p', w: 'u#v' });
  });

  void it('searches ; and # in lock step like configparser', () => {
    // The 1st '#' qualifies in round 1, before the 2nd ';' (which would be earlier) is looked at.
    const ini = parseIni('[a]\nk=a;b ;c #d\n', 'f');
    assert.equal(plain(ini).a?.k, 'a;b ;c');
  });

  void it('splits at the first = or :', () => {
    const ini = parseIni('[a]\na:b=c\nd = e:f\ng  :  h\n', 'f');
    assert.deepEqual(plain(ini).a, { a: 'b=c', d: 'e:f', g: 'h' });
  });

  void it('joins continuation lines, keeps inner blank lines, drops comment lines and trailing blanks', () => {
    const ini = parseIni('[a]\nfiles = a.conf\n  b.conf\n\n  ; note\n\n\tc.conf\n\n\n[b]\n', 'f');
    assert.equal(plain(ini).a?.files, 'a.conf\nb.conf\n\n\nc.conf');
  });

  void it('reads a section header followed by text, and [DEFAULT] as defaults', () => {
    const ini = parseIni('[a] ; c\nx=1\n[b]junk\n[DEFAULT]\nd=4\nx=0\n', 'f');
    assert.deepEqual([...ini.sections.keys()], ['a', 'b']);
    assert.equal(ini.sections.get('a')?.options.get('x')?.value, '1');
    assert.equal(ini.defaults?.options.get('x')?.value, '0');
    assert.deepEqual([...sectionItems(ini, 'a').keys()], ['x', 'd']);
  });

  void it('merges repeated sections and keeps the last value of a key in its first position', () => {
    const ini = parseIni('[a]\nx=1\ny=2\n[b]\n[a]\nx=3\n', 'f');
    assert.deepEqual(Object.entries(plain(ini).a ?? {}), [
      ['x', '3'],
      ['y', '2'],
    ]);
    assert.equal(ini.sections.get('a')?.options.get('x')?.line, 6);
    assert.equal(ini.sections.get('a')?.line, 1);
  });

  void it('handles CRLF, lone CR, no final newline and tabs', () => {
    const ini = parseIni('[a]\r\nx = 1\r\n\ty\rz=2', 'f');
    assert.deepEqual(plain(ini).a, { x: '1\ny', z: '2' });
    assert.equal(ini.sections.get('a')?.options.get('z')?.line, 4);
  });

  void it('records file and line of every value', () => {
    const ini = parseIni('[a]\nx=1\n\n[a]\nx=2\ny=3\n[b]\nz=4\n', 'main.conf');
    const a = ini.sections.get('a');
    assert.equal(a?.file, 'main.conf');
    assert.deepEqual(a?.options.get('x'), { value: '2', line: 5, file: 'main.conf' });
    assert.equal(ini.sections.get('b')?.line, 7);
  });

  void it('rejects an option before any section', () => {
    const e = syntaxError('# c\n\nx=1\n[a]\n');
    assert.equal(e.code, 'E_SYNTAX');
    assert.equal(e.line, 3);
    assert.equal(e.file, 'f.conf');
  });

  void it('rejects a key without a delimiter or a delimiter without a key at the first bad line', () => {
    assert.equal(syntaxError('[a]\nx=1\nflag\n=v\n').line, 3);
    assert.equal(syntaxError('[a]\n= v\n').line, 2);
    assert.equal(syntaxError('[a]\n[]\n').line, 2);
  });

  void it('rejects a byte-order mark as supervisor does (line 1 is not a header)', () => {
    const text = decodeConfigText(
      new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x61, 0x5d, 0x0a]),
      'f.conf',
    );
    assert.equal(text, '\ufeff[a]\n');
    assert.equal(syntaxError(text).line, 1);
    assert.throws(() => decodeConfigText(new Uint8Array([0x5b, 0xff, 0x5d]), 'f.conf'), {
      code: 'E_READ',
    });
  });

  void it('parses 5,000 programs in well under 100 ms', () => {
    const parts = ['[supervisord]\nlogfile=/tmp/x.log\n'];
    for (let i = 0; i < 5000; i++) {
      parts.push(
        `[program:app${i}]\ncommand = /usr/bin/app --id ${i} ; run it\nnumprocs=2\n` +
          `process_name=%(program_name)s_%(process_num)02d\nautostart = true\nautorestart=unexpected\n` +
          `environment=A="1",B="two words"\n  ,C=3\nstdout_logfile=/var/log/app${i}.log\n\n`,
      );
    }
    const text = parts.join('');
    // CPU time, best of 5: the test machines are shared and wall time is noisy.
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const c0 = process.cpuUsage();
      const ini = parseIni(text, 'big.conf');
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000);
      assert.equal(ini.sections.size, 5001);
    }
    assert.ok(best < 100, `took ${best.toFixed(1)} ms of CPU`);
  });
});

/** configparser's `items(section)`: the section's options, then [DEFAULT]'s others. */
function sectionItems(ini: IniFile, section: string): Map<string, IniValue> {
  const out = new Map(ini.sections.get(section)?.options ?? []);
  for (const [k, v] of ini.defaults?.options ?? []) if (!out.has(k)) out.set(k, v);
  return out;
}

/** Our answer in the oracle's shape. */
function mineIni(texts: string[]): PrimitiveAnswer {
  let ini: IniFile | undefined;
  try {
    ini = parseIni(texts[0] ?? '', 'f0');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const type = e.why.startsWith('File contains no section headers')
      ? 'MissingSectionHeaderError'
      : 'ParsingError';
    return { err: type, type, lineno: e.line, file: Number(e.file.slice(1)) };
  }
  const got = ini ?? parseIni('', 'f0');
  const sections = [...got.sections.values()].map((s) => [
    s.name,
    [...s.options].map(([k, v]) => [k, v.value]),
    Number(s.file.slice(1)),
  ]);
  const defaults = [...(got.defaults?.options ?? [])].map(([k, v]) => [k, v.value]);
  const items = Object.fromEntries(
    [...got.sections.keys()].map((name) => [
      name,
      [...sectionItems(got, name)].map(([k, v]) => [k, v.value]),
    ]),
  );
  return { ok: { sections, defaults, items } };
}

function sameIni(python: PrimitiveAnswer, mine: PrimitiveAnswer): boolean {
  if (isErr(python) || isErr(mine)) {
    return (
      isErr(python) &&
      isErr(mine) &&
      python.type === mine.type &&
      python.lineno === mine.lineno &&
      python.file === mine.file
    );
  }
  return JSON.stringify(python.ok) === JSON.stringify(mine.ok);
}

const LINES = [
  '[a]',
  '[b]',
  '[DEFAULT]',
  '[a] ; c',
  '[a];c',
  '  [a]',
  '[]',
  '[]]',
  '[a]b]',
  '[ a ]',
  '[A]',
  '[a=b]',
  '\ufeff[a]',
  'k=v',
  'K = V',
  'k: v',
  'k:v=w',
  'k =',
  '=v',
  'k',
  'k = v ;c',
  'k = v;c',
  'k = v #c',
  'k=a;b #c ;d',
  'k=a#b;c ;d #e',
  ' k = cont',
  '\tcont',
  '  ;comment',
  '#c',
  ';c',
  '',
  '   ',
  '\t',
  'k = "x;y"',
  'é = ü',
  'İ=1',
  'ΣΑΣ=1',
  'x\u00a0=\u00a0y',
  'k=\u2028v\u2028',
  'k\x0c=v',
  ' ',
  'a: b',
  'url = http://h/p#frag',
  'q = %(here)s',
  'q=;',
  'q =#',
  'z\x1c=\x1cz',
];
const PIECES = [
  '[',
  ']',
  '=',
  ':',
  ';',
  '#',
  ' ',
  '\t',
  'a',
  'K',
  'é',
  '\u00a0',
  '\u0085',
  '\x0b',
  '😀',
];
const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LINES) },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((a) => a.join('')),
  },
);
const indent = fc.constantFrom('', '', '', ' ', '  ', '\t', '\u00a0', '\x0c');
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const iniText = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(indent, line, eol), { maxLength: 14 }), fc.boolean())
  .map(([header, lines, finalEol]) => {
    const body = lines.map(([i, l, e]) => i + l + e).join('');
    const text = (header ? '[a]\n' : '') + body;
    return finalEol ? text : text.replace(/(\r\n|\r|\n)$/, '');
  });

const singles = fc.sample(iniText, { numRuns: 2500, seed: 21 }).map((t) => [t]);
const iniRequest = (t: string[]) => ({ fn: 'ini', args: [t] });
const results = runChecks({
  singles: check(singles, iniRequest, mineIni, sameIni),
});

void describe('differential against Python configparser (supervisor settings)', () => {
  void it('parseIni agrees on 2,500 generated files', () => {
    const r = results().singles;
    assert.deepEqual(r.diffs, []);
    assert.equal(r.agreed, singles.length);
    const accepted = singles.filter((t) => !isErr(mineIni(t))).length;
    assert.ok(accepted > 400 && accepted < singles.length - 400, `${accepted} accepted`);
  });
});
