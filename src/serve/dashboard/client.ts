/**
 * The dashboard's script, sent inline with the page (no build step): it
 * follows /dashboard/events (server-sent events) to keep the table and the
 * charts current, posts the action forms with fetch, filters rows as you
 * type and follows a process's log through /logtail like `tail -f`. Values
 * only ever go into the page as textContent, never as HTML.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var KEEP = 180;
  var live = document.getElementById('live');
  var notice = document.getElementById('notice');
  var filter = document.getElementById('filter');
  var logview = document.getElementById('logview');
  var logtext = document.getElementById('logtext');
  var logtitle = document.getElementById('logtitle');
  var points = {};
  var lastKeys = null;
  var logAbort = null;
  live.textContent = 'connecting';

  function rows() { return Array.prototype.slice.call(document.querySelectorAll('tr[data-namespec]')); }
  function rowOf(ns) {
    var rs = rows();
    for (var i = 0; i < rs.length; i++) if (rs[i].getAttribute('data-namespec') === ns) return rs[i];
    return null;
  }

  function applyFilter() {
    var f = filter.value.toLowerCase();
    document.querySelectorAll('#procs tbody').forEach(function (tb) {
      var any = false;
      tb.querySelectorAll('tr[data-namespec]').forEach(function (tr) {
        var hit = tr.getAttribute('data-namespec').toLowerCase().indexOf(f) >= 0;
        tr.classList.toggle('hidden', !hit);
        any = any || hit;
      });
      tb.classList.toggle('hidden', !any);
    });
  }
  filter.addEventListener('input', applyFilter);
  filter.form.addEventListener('submit', function (e) { e.preventDefault(); applyFilter(); });

  var SVG = 'http://www.w3.org/2000/svg';
  function line(ps, get, max, cls) {
    var pts = [];
    for (var i = 0; i < ps.length; i++) {
      var v = get(ps[i]);
      if (v === null || v === undefined) continue;
      var x = ps.length === 1 ? 120 : (120 * i) / (ps.length - 1);
      pts.push(x.toFixed(1) + ',' + (27 - (26 * v) / max).toFixed(1));
    }
    var el = document.createElementNS(SVG, 'polyline');
    el.setAttribute('class', cls);
    el.setAttribute('points', pts.join(' '));
    return el;
  }
  function draw(tr) {
    var svg = tr.querySelector('svg.spark');
    if (!svg) return;
    var ps = points[tr.getAttribute('data-namespec')] || [];
    var maxCpu = 5, maxMem = 1;
    ps.forEach(function (p) {
      if (p.cpuPct > maxCpu) maxCpu = p.cpuPct;
      if (p.mem > maxMem) maxMem = p.mem;
    });
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var title = document.createElementNS(SVG, 'title');
    title.textContent = 'CPU % (blue, max ' + maxCpu.toFixed(1) + '%) and memory (amber) over the last ' + ps.length + ' samples';
    svg.appendChild(title);
    svg.appendChild(line(ps, function (p) { return p.cpuPct; }, maxCpu, 'cpu'));
    svg.appendChild(line(ps, function (p) { return p.mem; }, maxMem, 'mem'));
  }

  function update(snap) {
    snap.rows.forEach(function (r) {
      var p = snap.points[r.namespec];
      if (p) {
        var a = points[r.namespec] || (points[r.namespec] = []);
        a.push(p);
        if (a.length > KEEP) a.shift();
      }
      var tr = rowOf(r.namespec);
      if (!tr) return;
      tr.setAttribute('data-state', r.state);
      Object.keys(r).forEach(function (k) {
        var td = tr.querySelector('td[data-col="' + k + '"]');
        if (td && td.textContent !== r[k]) td.textContent = r[k];
      });
      var st = tr.querySelector('td[data-col="state"]');
      if (st) st.title = r.description;
      draw(tr);
    });
    var keys = snap.rows.map(function (r) { return r.namespec; }).join('\n');
    // a process added or removed (update): the server renders the new table
    if (lastKeys !== null && lastKeys !== keys) location.reload();
    lastKeys = keys;
    live.textContent = snap.error ? 'backend: ' + snap.error : 'live, ' + new Date(snap.at).toLocaleTimeString();
  }

  if (window.EventSource) {
    var es = new EventSource('/dashboard/events');
    es.addEventListener('history', function (e) {
      points = JSON.parse(e.data);
      rows().forEach(draw);
    });
    es.addEventListener('snapshot', function (e) { update(JSON.parse(e.data)); });
    es.onerror = function () { live.textContent = 'reconnecting'; };
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains('act')) return;
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    if (e.submitter && e.submitter.name) body.set(e.submitter.name, e.submitter.value);
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    notice.className = '';
    notice.textContent = body.get('action') + ' ' + body.get('target') + '...';
    // form.action would be the button named action: the attribute is the URL
    fetch(form.getAttribute('action'), { method: 'POST', body: body, headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        notice.className = j.ok ? 'ok' : 'err';
        notice.textContent = j.message;
      })
      .catch(function (err) {
        notice.className = 'err';
        notice.textContent = String(err);
      })
      .then(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  });

  function append(s) {
    var atEnd = logtext.scrollTop + logtext.clientHeight >= logtext.scrollHeight - 4;
    var t = logtext.textContent + s;
    if (t.length > 200000) t = t.slice(t.length - 200000);
    logtext.textContent = t;
    if (atEnd) logtext.scrollTop = logtext.scrollHeight;
  }
  function closeLog() {
    if (logAbort) logAbort.abort();
    logAbort = null;
    logview.classList.add('hidden');
  }
  document.getElementById('logclose').addEventListener('click', closeLog);
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[data-log]') : null;
    if (!a) return;
    e.preventDefault();
    closeLog();
    var ctl = new AbortController();
    logAbort = ctl;
    logview.setAttribute('data-log', a.getAttribute('data-log'));
    logview.setAttribute('data-channel', a.getAttribute('data-channel'));
    logtitle.textContent = a.getAttribute('data-log') + ' ' + a.getAttribute('data-channel');
    logtext.textContent = '';
    logview.classList.remove('hidden');
    fetch(a.href, { signal: ctl.signal })
      .then(function (r) {
        var reader = r.body.getReader();
        var dec = new TextDecoder();
        function pump() {
          return reader.read().then(function (c) {
            if (c.done) return;
            append(dec.decode(c.value, { stream: true }));
            return pump();
          });
        }
        return pump();
      })
      .catch(function (err) { if (err.name !== 'AbortError') append('\n[' + err + ']\n'); });
  });
})();
`;
