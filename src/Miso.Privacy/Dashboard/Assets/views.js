// Rendering only; every value goes in through textContent, never as HTML. Subjects are shown as hashes, never raw ids.
'use strict';
(() => {
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') node.className = v; else if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    node.append(...children.filter(c => c !== null && c !== undefined).map(c => typeof c === 'object' ? c : String(c)));
    return node;
  };
  const num = (n) => n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
  const days = (n) => n === null || n === undefined ? '–' : `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} d`;
  const when = (t) => t ? new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '–';
  const ago = (t) => {
    if (!t) return 'never';
    const m = Math.round((Date.now() - new Date(t)) / 60000);
    return m < 1 ? 'just now' : m < 60 ? `${m} min ago` : m < 2880 ? `${Math.round(m / 60)} h ago` : `${Math.round(m / 1440)} d ago`;
  };
  const regulation = (r) => ({ gdpr: 'GDPR', uk_gdpr: 'UK GDPR', ccpa: 'CCPA', other: 'other' })[r] || r;
  const lateBy = (due) => {
    const d = (Date.now() - new Date(due)) / 86400000;
    return d >= 1 ? `${Math.floor(d)} d late` : `${Math.max(1, Math.round(d * 24))} h late`;
  };

  function tiles(container, s) {
    const tile = (key, label, value, sub, cls = '') =>
      el('div', { class: `tile ${cls}`, 'data-tile': key }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value), el('div', { class: 'sub' }, sub));
    container.replaceChildren(
      tile('open', 'Open', num(s.open), `${num(s.by_status.pending)} pending · ${num(s.by_status.in_progress)} in progress · ${num(s.by_status.failed)} failed`),
      tile('overdue', 'Overdue', num(s.overdue), 'open past their due date', s.overdue > 0 ? 'alert' : 'good'),
      tile('due-soon', 'Due within 7 days', num(s.due_within7_days), 'open, not yet overdue', s.due_within7_days > 0 ? 'warn' : ''),
      tile('completed-30d', 'Completed · 30 d', num(s.completed.last30d), `${num(s.completed.last24h)} in 24 h · ${num(s.completed.last7d)} in 7 d`, 'good'),
      tile('completed-late-30d', 'Completed late · 30 d', num(s.completed.late30d), 'after their (extended) due date', s.completed.late30d > 0 ? 'alert' : 'good'),
      tile('p95-days', 'p95 completion', days(s.completion_time.p95_days), `p50 ${days(s.completion_time.p50_days)} · max ${days(s.completion_time.max_days)} · from submission`),
      tile('extended', 'Extended', num(s.extended.open), `open on an extended deadline · ${num(s.extended.last30d)} extended in 30 d`, s.extended.open > 0 ? 'warn' : ''),
      tile('failed-items', 'Failed Miso items', num(s.failed_work_items), 'need attention', s.failed_work_items > 0 ? 'alert' : ''),
      tile('failed-webhooks', 'Failed webhook deliveries', num(s.failed_webhook_deliveries), 'gave up after retries; redeliver them', s.failed_webhook_deliveries > 0 ? 'alert' : ''),
      tile('suppressed', 'Suppressed subjects', num(s.suppressed_subjects), 'kept out of uploads'),
      tile('blocked-30d', 'Uploads blocked after erasure · 30 d', num(s.retention.blocked_uploads30d),
        `records naming an erased subject, dropped · ${num(s.retention.failed_sweeps)} failed sweeps`, s.retention.failed_sweeps > 0 ? 'alert' : ''));
  }

  function environments(table, counts, s) {
    table.replaceChildren(el('tr', {}, el('th', {}, 'Environment'), el('th', {}, 'Last successful call'), el('th', {}, 'Backlog')),
      ...(s.environments.length ? s.environments.map(e => el('tr', {},
        el('td', {}, e.name), el('td', { title: when(e.last_successful_call_at) }, ago(e.last_successful_call_at)), el('td', { class: 'n' }, num(e.backlog))))
        : [el('tr', {}, el('td', { colspan: 3, class: 'empty' }, 'No Miso work yet.'))]));
    const r = s.by_regulation, st = s.by_status;
    const t = s.by_type;
    counts.textContent = `GDPR ${num(r.gdpr)} · UK GDPR ${num(r.uk_gdpr)} · CCPA ${num(r.ccpa)} · other ${num(r.other)} — erase ${num(t.erase)} · suppress ${num(t.suppress)} · delete ${num(t.delete)} — completed ${num(st.completed)}, cancelled ${num(st.cancelled)}`;
  }

  function requests(list, items, emptyText, open) {
    if (!items.length) { list.replaceChildren(el('li', { class: 'empty' }, emptyText)); return; }
    list.replaceChildren(...items.map(r => el('li', {}, el('a', { href: `#request/${r.id}`, 'data-id': r.id, onclick: (e) => { e.preventDefault(); open(r.id); } },
      el('span', {}, el('span', { class: `pill ${r.status}` }, r.status.replace('_', ' ')), ' ', r.ticket || r.id.slice(0, 8), ' ',
        el('span', { class: 'muted small' }, [regulation(r.regulation), r.type, r.requested_by].filter(Boolean).join(' · '))),
      r.overdue ? el('span', { class: 'late' }, lateBy(r.due_at))
        : el('span', { class: 'muted small' }, r.due_at ? `due ${when(r.due_at).slice(0, 10)}` : `received ${when(r.received_at).slice(0, 10)}`)))));
  }

  function detail(section, r, close) {
    const subjects = r.subjects.map(s => el('li', {}, el('span', { class: `pill ${s.status}` }, s.status.replace('_', ' ')), ' ', s.kind.replace('_', ' '), ' ', el('code', {}, s.hash.slice(0, 16) + '…')));
    section.replaceChildren(
      el('h2', {}, `Request ${r.ticket || ''} `, el('span', { class: `pill ${r.overdue ? 'overdue' : r.status}` }, r.overdue ? 'overdue' : r.status.replace('_', ' ')),
        ' ', el('button', { class: 'link close', type: 'button', onclick: close }, 'close')),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Id'), el('dd', {}, el('code', {}, r.id)),
        el('dt', {}, 'Regulation'), el('dd', {}, regulation(r.regulation)),
        el('dt', {}, 'Type'), el('dd', {}, r.type),
        el('dt', {}, 'Requested by'), el('dd', {}, r.requested_by),
        el('dt', {}, 'Submitted'), el('dd', {}, when(r.submitted_at)),
        el('dt', {}, 'Received'), el('dd', {}, when(r.received_at)),
        el('dt', {}, 'Due'), el('dd', { class: r.overdue ? 'error' : '', 'data-fact': 'due' }, when(r.due_at),
          r.original_due_at ? el('span', { class: 'muted small' }, ` · extended from ${when(r.original_due_at)}`) : null),
        ...(r.extended_at ? [el('dt', {}, 'Extension'), el('dd', { 'data-fact': 'extension' },
          `${when(r.extended_at)}, person told ${when(r.notified_at)}: ${r.extension_reason}`)] : []),
        el('dt', {}, 'Completed'), el('dd', { 'data-fact': 'completed' }, when(r.completed_at),
          r.completion_days === null || r.completion_days === undefined ? null
            : el('span', { class: r.late ? 'late' : 'muted small' }, ` · ${days(r.completion_days)}${r.late ? ', late' : ', on time'}`)),
        ...((r.sweeps || []).length ? [el('dt', {}, 'Sweeps'), el('dd', { 'data-fact': 'sweeps' }, el('ul', { class: 'requests' },
          ...r.sweeps.map(w => el('li', {}, el('span', { class: `pill ${w.state === 'failed' ? 'failed' : w.state === 'deleted' ? 'completed' : 'pending'}` }, w.state),
            ' ', w.round ? `#${w.round}` : 'replay', ' · due ', when(w.due_at), w.swept_at ? ` · swept ${when(w.swept_at)}` : ''))))] : []),
        el('dt', {}, 'Identifiers'), el('dd', { 'data-fact': 'shredded' }, r.shredded_at ? `shredded ${when(r.shredded_at)}: only keyed hashes remain`
          : r.status === 'completed' ? 'kept encrypted until the last sweep' : 'kept until the request completes'),
        el('dt', {}, 'Blocked uploads'), el('dd', { 'data-fact': 'blocked' }, num(r.blocked_records),
          r.last_blocked_at ? el('span', { class: 'muted small' }, ` · last ${when(r.last_blocked_at)}`) : null),
        el('dt', {}, 'Subjects'), el('dd', {}, el('ul', { class: 'requests' }, ...subjects))),
      el('h2', {}, 'Timeline'),
      el('ol', { id: 'timeline', class: 'timeline' }, ...r.timeline.map(e => el('li', {},
        el('span', { class: 'action' }, e.action), ' ', el('span', { class: 'muted small' }, `#${e.seq} · ${when(e.occurred_at)} · ${e.actor}`),
        Object.keys(e.details || {}).length ? el('pre', {}, JSON.stringify(e.details)) : null))));
    section.hidden = false;
    section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function results(section, title, items, open) {
    const list = el('ul', { class: 'requests' });
    requests(list, items, 'No erasure request found.', open);
    section.replaceChildren(el('h2', {}, title), list);
    section.hidden = false;
  }

  window.Views = { el, tiles, environments, requests, detail, results, when };
})();
