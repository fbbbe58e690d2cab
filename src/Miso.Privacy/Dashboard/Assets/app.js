// The key lives in sessionStorage (gone when the tab closes); the summary is polled with If-None-Match so an idle poll costs a 304.
'use strict';
(() => {
  const KEY = 'miso-privacy-api-key', POLL_MS = 15000;
  const $ = (id) => document.getElementById(id);
  let etag = null, timer = null;

  async function api(path, headers = {}) {
    const response = await fetch(path, { cache: 'no-store', headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY)}`, ...headers } });
    if (response.status === 401 || response.status === 403) { askKey(response.status === 401 ? 'That key was not accepted.' : 'That key lacks the erasure:read scope.'); throw new Error('auth'); }
    return response;
  }
  const json = async (path) => (await api(path)).json();

  function askKey(message) {
    clearTimeout(timer);
    sessionStorage.removeItem(KEY);
    etag = null;
    $('key-error').hidden = !message;
    $('key-error').textContent = message || '';
    if (!$('key-dialog').open) $('key-dialog').showModal();
    $('key-input').focus();
  }

  async function poll() {
    clearTimeout(timer);
    try {
      const response = await api('/api/v1/dashboard/summary', etag ? { 'If-None-Match': etag } : {});
      if (response.status === 200) {
        etag = response.headers.get('ETag');
        const summary = await response.json();
        Views.tiles($('tiles'), summary);
        Views.environments($('environments'), $('counts'), summary);
        Charts.histogram($('histogram'), summary.completion_time.histogram);
        await Promise.all([loadDaily(), loadLists()]);
        $('as-of').textContent = `as of ${Views.when(summary.as_of)}`;
        document.body.dataset.loaded = 'true';
      }
      $('live').className = 'dot ok';
    } catch (error) {
      if (error.message === 'auth') return;
      $('live').className = 'dot bad';
    }
    timer = setTimeout(poll, POLL_MS);
  }

  async function loadDaily() {
    const daily = await json('/api/v1/dashboard/daily?days=30');
    Charts.daily($('daily-chart'), daily.series);
  }

  async function loadLists() {
    const [overdue, failed] = await Promise.all([
      json('/api/v1/erasure-requests?overdue=true&limit=50'), json('/api/v1/erasure-requests?status=failed&limit=50')]);
    Views.requests($('overdue-list'), overdue.items, 'Nothing overdue.', openRequest);
    Views.requests($('failed-list'), failed.items, 'No failed requests.', openRequest);
  }

  async function openRequest(id) {
    const response = await api(`/api/v1/erasure-requests/${encodeURIComponent(id)}`);
    if (response.ok) Views.detail($('detail'), await response.json(), () => { $('detail').hidden = true; });
  }

  async function search(event) {
    event.preventDefault();
    const value = $('search-input').value.trim();
    if (!value) return;
    $('search-input').value = '';
    if ($('search-kind').value === 'ticket') {
      const page = await json(`/api/v1/erasure-requests?ticket=${encodeURIComponent(value)}&limit=50`);
      Views.results($('results'), `Requests with ticket ${value}`, page.items, openRequest);
      return;
    }
    const response = await api(`/api/v1/subjects/user_id/${encodeURIComponent(value)}`);
    const found = response.ok ? await response.json() : null;
    // The typed id is not echoed back on the page: only the answer and the requests that cover it.
    const title = !found ? 'That user id could not be looked up.'
      : found.suppressed ? `User id is suppressed since ${Views.when(found.suppressed_since)} (hash ${found.hash.slice(0, 12)}…)`
      : found.requests.length ? 'User id is not suppressed now (its suppression was lifted or cancelled).' : 'No erasure request covers that user id.';
    Views.results($('results'), title, (found?.requests || []).map(r => ({ ...r, overdue: false })), openRequest);
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('key-input').value.trim());
    $('key-input').value = '';
    $('key-dialog').close();
    poll();
  });
  $('key-dialog').addEventListener('cancel', (event) => event.preventDefault());
  $('sign-out').addEventListener('click', () => askKey());
  $('search').addEventListener('submit', search);
  if (sessionStorage.getItem(KEY)) poll(); else askKey();
})();
