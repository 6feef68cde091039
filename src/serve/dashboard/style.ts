/** The dashboard's CSS: a plain table on a desktop, one card per process on a phone. */
export const STYLE = `
:root{color-scheme:light dark;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--line:#8884}
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:0 12px 24px;max-width:1400px}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:8px 0}
h1{font-size:18px;margin:0}
form{display:inline}
button{font:inherit;padding:2px 8px;margin:1px;cursor:pointer}
input[type=search]{font:inherit;padding:3px 6px;min-width:12em}
#live{font-size:12px;opacity:.7}
#notice{white-space:pre-wrap;padding:6px 10px;border-radius:4px;margin:4px 0}
#notice:empty{display:none}
.ok{background:#1a7f3722}.err{background:#cf222e22}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:middle}
tr.grouprow th{background:#8881;font-weight:600}
td[data-col=state]{font-weight:600}
tr[data-state=RUNNING] td[data-col=state]{color:var(--ok)}
tr[data-state=FATAL] td[data-col=state],tr[data-state=BACKOFF] td[data-col=state],tr[data-state=EXITED] td[data-col=state],tr[data-state=UNKNOWN] td[data-col=state]{color:var(--bad)}
tr[data-state=STARTING] td[data-col=state],tr[data-state=STOPPING] td[data-col=state]{color:var(--warn)}
td[data-col=health]{font-size:12px}
svg.spark{width:120px;height:28px;display:block}
svg.spark .cpu{stroke:#0969da;fill:none;stroke-width:1.5}
svg.spark .mem{stroke:#bf8700;fill:none;stroke-width:1.5}
#logview{margin-top:12px;border:1px solid var(--line);border-radius:4px;padding:8px}
#logview pre{max-height:50vh;overflow:auto;margin:6px 0 0;font:12px/1.3 ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
.hidden{display:none}
@media (max-width:760px){
 thead{display:none}
 table,tbody,tr,td,th{display:block;width:auto}
 tr[data-namespec]{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:4px}
 td{display:flex;justify-content:space-between;gap:8px;border:0;padding:2px 4px}
 td::before{content:attr(data-label);opacity:.65}
 td[data-col=namespec]{font-weight:600}
 tr.grouprow th{border-radius:4px;margin-top:12px}
}
`;
