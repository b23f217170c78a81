// Downloads: the customer CSV (the rows `segsim score` writes), the
// skipped rows, the segment summary, and the charts as PNG.

import { state } from './state.js';
import { $ } from './dom.js';
import { t } from './i18n.js';
import { actionOf, labelOf, segKind } from './labels.js';
import { call } from './rpc.js';
import { listFilter, segmentGroups, summaryHead } from './tables.js';
import { chartImages } from './charts.js';

// download saves data (a Blob, or text of the given type) as a file.
export function download(name, data, type) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
// csvText writes rows as CSV with a byte order mark (for Excel).
export function csvText(rows) {
  const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\ufeff${rows.map((row) => row.map((c) => q(String(c))).join(',')).join('\n')}\n`;
}

// tableRows reads a table element's header and body as text rows.
export const tableRows = (el) => [...el.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent));

export const baseName = () => (state.name || 'segsim').replace(/\.[^.]+$/, '');

// csvBytes is the customer CSV, with a byte order mark (for Excel) and
// Chinese column names when asked.
export async function csvBytes({ bom = false, chinese = false, filter = '' } = {}) {
  return call('csv', { bom, chinese, filter });
}

// The skipped rows of the last load: line, column, value, reason and the
// raw line, with a byte order mark; the header and the reasons in the
// page's language (in English, the file `segsim score --rejects` writes).
export async function rejectsBytes() {
  const options = {};
  if (state.lang !== 'en') {
    options.header = ['rej_line', 'rej_column', 'rej_value', 'rej_reason', 'rej_raw'].map(t);
    options.reasons = Object.fromEntries(Object.keys(state.dict.en).filter((k) => k.startsWith('skip_')).map((k) => [k.slice(5), t(k)]));
  }
  return call('rejects', { options });
}

// setExports enables or disables what needs a result: the exports, the
// pin of scenario A.
export function setExports(on) {
  for (const id of ['export-csv', 'export-list', 'export-summary', 'export-charts', 'pin-a']) $(`#${id}`).disabled = !on;
}

export function bindExports() {
  // Predictions at 3, 6 and 12 months with 90% intervals, the header in
  // the page's language.
  $('#export-predictions').addEventListener('click', async () => {
    const zh = state.lang === 'zh';
    download(`${baseName()}_predictions.csv`, new Blob([await call('predictions', { chinese: zh })], { type: 'text/csv' }));
  });
  $('#export-csv').addEventListener('click', async () => {
    const zh = $('#csv-lang').value === 'zh';
    download(`${baseName()}_customers.csv`, new Blob([await csvBytes({ bom: true, chinese: zh })], { type: 'text/csv' }));
  });
  // The customer list as filtered: one segment, class, tier, stage or
  // action, in the chosen column language.
  $('#export-list').addEventListener('click', async () => {
    const zh = $('#csv-lang').value === 'zh';
    const filter = listFilter();
    const tag = filter ? `_${filter.replace('=', '_').replace(/[\\/:*?"<>|\s]+/g, '_')}` : '';
    download(`${baseName()}_customers${tag}.csv`, new Blob([await csvBytes({ bom: true, chinese: zh, filter })], { type: 'text/csv' }));
  });
  $('#export-rejects').addEventListener('click', async () => {
    download(`${baseName()}_skipped.csv`, new Blob([await rejectsBytes()], { type: 'text/csv' }));
  });
  $('#export-summary').addEventListener('click', () => {
    const esc = (x) => (/[",\n]/.test(String(x)) ? `"${String(x).replace(/"/g, '""')}"` : String(x));
    const rows = segmentGroups().map((g) => [labelOf(segKind(), g.name), g.customers, g.customer_share.toFixed(4), g.orders, g.revenue.toFixed(2), g.revenue_share.toFixed(4), g.aov.toFixed(2), g.median_recency, g.avg_frequency.toFixed(2), actionOf(g.name)]);
    const text = `\ufeff${[summaryHead(), ...rows].map((r) => r.map(esc).join(',')).join('\n')}\n`;
    download(`${baseName()}_segments.csv`, text, 'text/csv');
  });
  $('#export-charts').addEventListener('click', () => {
    for (const [id, url] of chartImages()) {
      download(`${baseName()}_${id.replace('chart-', '')}.png`, dataURLBlob(url));
    }
  });
}

// dataURLBlob decodes a base64 data: URL (a chart's PNG) into a Blob
// without fetch, which the page's Content-Security-Policy does not allow
// for data: URLs.
export function dataURLBlob(url) {
  const [head, body] = url.split(',', 2);
  const bin = atob(body);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: head.slice(5).split(';')[0] || 'application/octet-stream' });
}
