// The Migration panel: moves between classes or stages over the last
// period as a Sankey, and a 12-period projection of new customers, active
// customers and GMV, with the notes on how it follows the calendar.
/* global echarts */

import { state } from './state.js';
import { $ } from './dom.js';
import { t, fill, fmtInt } from './i18n.js';
import { labelOf } from './labels.js';
import { draw, resizeLater, showPanel, tooltip } from './charts.js';

// renderMigration draws the moves between states over the last period as
// a Sankey (states before on the left, now on the right, new customers
// entering) and the projected active customers and GMV.
export function renderMigration() {
  const mg = state.migration;
  $('#migration-off').hidden = state.migrationOn;
  $('#migration-needs').hidden = !(state.migrationOn && state.needsOrders);
  const err = $('#migration-error');
  err.hidden = !state.migrationOn || !state.migrationError || state.needsOrders;
  err.textContent = state.migrationError;
  showPanel('#migration-body', !!mg, 'chart-migration');
  if (!mg) return;
  // The projection shares the panel with the Sankey: fit it too.
  resizeLater('chart-projection');
  const m = mg.matrix;
  const kind = state.migrationBy === 'stage' ? 'stage' : 'class';
  const name = (s) => labelOf(kind, s);
  let n = 0;
  let stay = 0;
  m.counts.forEach((row, i) => row.forEach((c, j) => { n += c; if (i === j) stay += c; }));
  const entered = (m.entered || []).reduce((a, b) => a + b, 0);
  $('#migration-summary').textContent = fill('migration_summary', {
    n: fmtInt(n + entered), stay: fmtInt(stay), moved: fmtInt(n - stay), entered: fmtInt(entered), days: fmtInt(state.migrationDays),
  });
  const proj = mg.projection;
  $('#projection-notes').replaceChildren(...(proj?.notes || []).map((n) => {
    const li = document.createElement('li');
    li.textContent = fill(`proj_note_${n.code}`, { n: fmtInt(n.n || 0) });
    return li;
  }));
  if (typeof echarts === 'undefined') return;
  const left = (s) => `${name(s)} · ${t('before')}`;
  const right = (s) => `${name(s)} · ${t('after')}`;
  const nodes = [];
  const links = [];
  const used = new Set();
  m.counts.forEach((row, i) => row.forEach((c, j) => {
    if (c > 0) { links.push({ source: left(m.states[i]), target: right(m.states[j]), value: c }); used.add(left(m.states[i])); used.add(right(m.states[j])); }
  }));
  const newNode = `${t('new_customers')} · ${t('after')}`;
  (m.entered || []).forEach((c, j) => {
    if (c > 0) { links.push({ source: newNode, target: right(m.states[j]), value: c }); used.add(newNode); used.add(right(m.states[j])); }
  });
  for (const x of used) nodes.push({ name: x });
  draw('chart-migration', [kind, m.counts, m.entered], () => ({
    animation: false,
    tooltip: { ...tooltip },
    series: [{
      type: 'sankey', data: nodes, links, nodeAlign: 'justify', left: 8, right: 140, top: 8, bottom: 8,
      emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
      label: { fontSize: 11 },
    }],
  }));
  const ps = proj?.periods || [];
  draw('chart-projection', ps, () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    legend: { top: 0, data: [t('projection_inflow'), t('active_customers'), t('gmv')] },
    grid: { left: 8, right: 8, top: 32, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: ps.map((p) => p.start || String(p.period)), name: t(ps[0]?.start ? 'period_start' : 'period_n'), nameLocation: 'middle', nameGap: 24 },
    yAxis: [{ type: 'value', name: t('active_customers') }, { type: 'value', name: t('gmv'), splitLine: { show: false } }],
    series: [
      { name: t('projection_inflow'), type: 'bar', data: ps.map((p) => Math.round(p.inflow)), itemStyle: { color: '#5ad8a6' } },
      { name: t('active_customers'), type: 'line', data: ps.map((p) => Math.round(p.active)), itemStyle: { color: '#5b8ff9' } },
      { name: t('gmv'), type: 'line', yAxisIndex: 1, data: ps.map((p) => Math.round(p.gmv)), itemStyle: { color: '#f6bd16' } },
    ],
  }));
}
