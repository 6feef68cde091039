import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/errors.ts';
import { findGoPlaceholder, parseValuesText, renderTemplate } from '../../src/config/template.ts';

const catchError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail('expected a ConfigError');
};

test('parseValuesText: KEY=VALUE, value verbatim after the first =, comments and blanks skipped', () => {
  const v = parseValuesText(
    '# comment\n\n  app_code = bklog\nenvironment=BK_ENV="production",X=a=b\r\nsp= x \n',
    'v',
  );
  assert.deepEqual(v, { app_code: ' bklog', environment: 'BK_ENV="production",X=a=b', sp: ' x ' });
});

test('parseValuesText: a line without a key is an E_TEMPLATE error naming file and line', () => {
  const err = catchError(() => parseValuesText('a=1\nnot a pair\n', 'vals.txt'));
  assert.equal(err.code, 'E_TEMPLATE');
  assert.equal(err.file, 'vals.txt');
  assert.equal(err.line, 2);
});

test('parseValuesText: __proto__ is an ordinary key', () => {
  const v = parseValuesText('__proto__=x\n', 'v');
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, 'x');
});

test('renderTemplate: {{.name}}, {{ .name }} and __NAME__ (key __NAME__ or NAME)', () => {
  const out = renderTemplate(
    '[program: {{.app}}_web]\ncommand={{ .path }}/bin __BK_HOME__/x __OTHER__\n',
    'f',
    { app: 'bk', path: '/srv', __BK_HOME__: '/data/bkee', OTHER: 'o' },
  );
  assert.equal(out, '[program: bk_web]\ncommand=/srv/bin /data/bkee/x o\n');
});

test('renderTemplate: a text without placeholders comes back byte-identical', () => {
  const text = '[program:x]\r\ncommand=/bin/cat %(here)s {{ not.a.placeholder }} __lower__\r\n';
  assert.equal(renderTemplate(text, 'f', {}), text);
});

test('renderTemplate: placeholders on full-line comments are left alone', () => {
  const text = '; {{.missing}}\n  # __MISSING__\ncommand={{.x}} ; {{.y}}\n';
  assert.equal(
    renderTemplate(text, 'f', { x: '1', y: '2' }),
    '; {{.missing}}\n  # __MISSING__\ncommand=1 ; 2\n',
  );
});

test('renderTemplate: an unfilled placeholder is E_TEMPLATE naming it, the file and the line', () => {
  const err = catchError(() => renderTemplate('[a]\nx=1\ny=__BK_HOME__/z\n', '/etc/x.conf', {}));
  assert.equal(err.code, 'E_TEMPLATE');
  assert.equal(err.file, '/etc/x.conf');
  assert.equal(err.line, 3);
  assert.match(err.why, /__BK_HOME__/);
});

test('renderTemplate: line numbers follow universal newlines (\\r, \\r\\n, \\n)', () => {
  const err = catchError(() => renderTemplate('a=1\rb=2\r\nc={{.nope}}\n', 'f', { other: 'x' }));
  assert.equal(err.line, 3);
});

test('renderTemplate: a value holding a line break is rejected (it could inject keys)', () => {
  const err = catchError(() => renderTemplate('command={{.cmd}}\n', 'f', { cmd: 'a\nuser=root' }));
  assert.equal(err.code, 'E_TEMPLATE');
  assert.match(err.why, /line break/);
  assert.throws(() => renderTemplate('command=__CMD__\n', 'f', { CMD: 'a\rb' }), ConfigError);
});

test('renderTemplate: values are inserted raw and not rendered again', () => {
  assert.equal(
    renderTemplate('x={{.a}}\n', 'f', { a: '{{.b}} $1 %(here)s' }),
    'x={{.b}} $1 %(here)s\n',
  );
});

test('renderTemplate: __A__B__ is the placeholder __A__ followed by text', () => {
  assert.equal(renderTemplate('x=__A__B__\n', 'f', { A: '1' }), 'x=1B__\n');
});

test('findGoPlaceholder: finds {{.name}} outside comments, with its line', () => {
  assert.deepEqual(findGoPlaceholder('; {{.a}}\nx={{ .b }}\n'), {
    line: 2,
    placeholder: '{{ .b }}',
  });
  assert.equal(findGoPlaceholder('x=__A__\n'), null);
});
