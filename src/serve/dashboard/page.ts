/**
 * The dashboard page, rendered on the server so the table and the action
 * forms work without JavaScript; the script in client.ts then keeps it
 * live. Every value is HTML-escaped here, and nowhere else.
 */
import type { Row } from './rows.ts';
import { CLIENT_JS } from './client.ts';
import { STYLE } from './style.ts';
import { VERBS } from './actions.ts';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** The table's columns: a Row key (or a computed cell) and its heading. */
const COLUMNS: readonly [keyof Row | 'chart', string][] = [
  ['namespec', 'Name'],
  ['group', 'Group'],
  ['state', 'State'],
  ['pid', 'PID'],
  ['uptime', 'Uptime'],
  ['restarts', 'Restarts'],
  ['cpu', 'CPU'],
  ['memory', 'Memory'],
  ['chart', 'CPU / memory'],
  ['health', 'Health'],
  ['backend', 'Backend'],
];

interface PageInput {
  rows: Row[];
  token: string;
  filter: string;
  notice: { ok: boolean; text: string } | null;
  /** The backend's error when the last sample failed. */
  error?: string | undefined;
  /** The Content-Security-Policy nonce of the page's own style and script. */
  nonce: string;
}

function actionForm(token: string, target: string, label: string): string {
  const buttons = VERBS.map(
    (v) =>
      `<button type="submit" name="action" value="${v}" data-action="${v}" title="${v} ${escapeHtml(label)}">${v}</button>`,
  ).join('');
  return (
    `<form class="act" method="post" action="/dashboard/action">` +
    `<input type="hidden" name="csrf" value="${escapeHtml(token)}">` +
    `<input type="hidden" name="target" value="${escapeHtml(target)}">${buttons}</form>`
  );
}

function rowHtml(r: Row, token: string): string {
  const cells = COLUMNS.map(([key, label]) => {
    const inner =
      key === 'chart' ? '<svg class="spark" viewBox="0 0 120 28"></svg>' : escapeHtml(r[key]);
    const title = key === 'state' ? ` title="${escapeHtml(r.description)}"` : '';
    return `<td data-col="${key}" data-label="${label}"${title}>${inner}</td>`;
  }).join('');
  const spec = encodeURIComponent(r.namespec);
  const logs =
    `<a href="/logtail/${spec}/stdout" data-log="${escapeHtml(r.namespec)}" data-channel="stdout">stdout</a> ` +
    `<a href="/logtail/${spec}/stderr" data-log="${escapeHtml(r.namespec)}" data-channel="stderr">stderr</a>`;
  return (
    `<tr data-namespec="${escapeHtml(r.namespec)}" data-state="${escapeHtml(r.state)}">${cells}` +
    `<td data-label="Actions">${actionForm(token, r.namespec, r.namespec)} ${logs}</td></tr>`
  );
}

function groupsOf(rows: Row[]): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(r.group, [...(m.get(r.group) ?? []), r]);
  return m;
}

export function renderPage(p: PageInput): string {
  const f = p.filter.toLowerCase();
  const shown = f === '' ? p.rows : p.rows.filter((r) => r.namespec.toLowerCase().includes(f));
  const bodies = [...groupsOf(shown)]
    .map(([g, rows]) => {
      // a header only for a real group: a lone process is its own group of one
      const lone = rows.length === 1 && rows[0]!.namespec === g;
      const head = lone
        ? ''
        : `<tr class="grouprow"><th colspan="${COLUMNS.length + 1}">${escapeHtml(g)} ${actionForm(p.token, `${g}:*`, `group ${g}`)}</th></tr>`;
      return `<tbody data-group="${escapeHtml(g)}">${head}${rows.map((r) => rowHtml(r, p.token)).join('')}</tbody>`;
    })
    .join('');
  const notice =
    p.notice === null
      ? '<p id="notice" role="status"></p>'
      : `<p id="notice" role="status" class="${p.notice.ok ? 'ok' : 'err'}">${escapeHtml(p.notice.text)}</p>`;
  const error = p.error === undefined ? '' : `<p class="err">backend: ${escapeHtml(p.error)}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>supctl</title><style nonce="${p.nonce}">${STYLE}</style></head>
<body>
<header><h1>supctl</h1>
<form method="get" action="/" role="search"><input type="search" id="filter" name="filter" value="${escapeHtml(p.filter)}" placeholder="filter by name" aria-label="filter by name"><noscript><button type="submit">filter</button></noscript></form>
<span>all: ${actionForm(p.token, 'all', 'all')}</span>
<span id="live">static page (reload to refresh)</span></header>
${notice}${error}
<table id="procs"><thead><tr>${COLUMNS.map(([, l]) => `<th>${l}</th>`).join('')}<th>Actions</th></tr></thead>
${bodies}</table>
<section id="logview" class="hidden"><strong id="logtitle"></strong> <button type="button" id="logclose">close</button><pre id="logtext"></pre></section>
<script nonce="${p.nonce}">${CLIENT_JS}</script>
</body></html>
`;
}
