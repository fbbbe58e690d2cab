// Hand-written SVG charts: no library, no build step, nothing fetched from elsewhere.
'use strict';
(() => {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs = {}, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const niceMax = (max) => {
    if (max <= 4) return 4;
    const step = Math.pow(10, Math.floor(Math.log10(max)));
    const n = [1, 2, 2.5, 5, 10].map(m => m * step).find(s => s * 4 >= max);
    return n * 4;
  };
  const axes = (root, w, h, pad, max) => {
    for (let i = 0; i <= 4; i++) {
      const y = pad.top + (h - pad.top - pad.bottom) * (1 - i / 4);
      root.append(svg('line', { x1: pad.left, x2: w - pad.right, y1: y, y2: y, class: 'grid-line' }));
      root.append(svg('text', { x: pad.left - 6, y: y + 3, 'text-anchor': 'end' }, (max * i / 4).toLocaleString()));
    }
  };
  const legend = (items) => {
    const div = document.createElement('div');
    div.className = 'legend';
    for (const [cls, label] of items) {
      const span = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.setAttribute('class', cls);
      span.append(swatch, label);
      div.append(span);
    }
    return div;
  };

  function daily(container, series) {
    const w = 760, h = 240, pad = { top: 10, right: 10, bottom: 28, left: 44 };
    const max = niceMax(Math.max(1, ...series.map(d => Math.max(d.received, d.completed))));
    const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': 'Requests received and completed per day' });
    axes(root, w, h, pad, max);
    const slot = (w - pad.left - pad.right) / series.length, bar = Math.max(1, slot * 0.36);
    const scale = v => (h - pad.top - pad.bottom) * v / max;
    series.forEach((d, i) => {
      const x = pad.left + i * slot + slot * 0.12;
      // The late part of the day's completions is drawn over its completed bar, in red.
      for (const [cls, v, dx] of [['received', d.received, 0], ['completed', d.completed, bar], ['late', d.completed_late, bar]]) {
        const rect = svg('rect', { x: x + dx, y: h - pad.bottom - scale(v), width: bar, height: scale(v), class: cls, rx: 1.5 });
        rect.append(svg('title', {}, `${d.date}: ${v} ${cls === 'late' ? 'completed late' : cls}`));
        root.append(rect);
      }
      if (i % 5 === 0 || i === series.length - 1)
        root.append(svg('text', { x: x + bar, y: h - pad.bottom + 16, 'text-anchor': 'middle' }, d.date.slice(5)));
    });
    container.replaceChildren(root, legend([['received', 'received'], ['completed', 'completed'], ['late', 'completed late']]));
  }

  function histogram(container, buckets) {
    const w = 380, h = 240, pad = { top: 10, right: 10, bottom: 28, left: 36 };
    const max = niceMax(Math.max(1, ...buckets.map(b => b.count)));
    const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': 'Completion time distribution in days, from submission' });
    axes(root, w, h, pad, max);
    const slot = (w - pad.left - pad.right) / buckets.length;
    buckets.forEach((b, i) => {
      const height = (h - pad.top - pad.bottom) * b.count / max, x = pad.left + i * slot + slot * 0.15;
      const label = b.to_days === null ? `${b.from_days}+` : `${b.from_days}–${b.to_days}`;
      const rect = svg('rect', { x, y: h - pad.bottom - height, width: slot * 0.7, height, class: 'bucket', rx: 2 });
      rect.append(svg('title', {}, `${label} days: ${b.count} requests`));
      root.append(rect);
      root.append(svg('text', { x: x + slot * 0.35, y: h - pad.bottom + 16, 'text-anchor': 'middle' }, label));
    });
    container.replaceChildren(root);
  }

  window.Charts = { daily, histogram };
})();
