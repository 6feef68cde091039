import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, renderPage } from '../../../src/serve/dashboard/page.ts';

test('escapeHtml escapes the five characters that matter in text and attributes', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&amp;</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
  );
});

test('the filter, the notice and a backend error are escaped too', () => {
  const html = renderPage({
    rows: [],
    token: 't"<',
    filter: '"><img src=x>',
    notice: { ok: false, text: '<b>NOT_RUNNING</b>' },
    error: '<i>bus</i>',
    nonce: 'n0nce',
  });
  assert.ok(!html.includes('<img'));
  assert.ok(!html.includes('<b>'));
  assert.ok(!html.includes('<i>'));
  assert.match(html, /value="&quot;&gt;&lt;img src=x&gt;"/);
  assert.match(html, /value="t&quot;&lt;"/);
  assert.match(html, /<script nonce="n0nce">/);
});
