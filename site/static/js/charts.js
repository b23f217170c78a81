// The charts (Apache ECharts, loaded by its own script as the global
// echarts): one instance per chart element, an option set again only when
// its data or the language changed, and the charts of the main view and of
// the prediction and plan panels.
/* global echarts */

import { state } from './state.js';
import { $, later } from './dom.js';
import { t, fmtInt, fmtPct } from './i18n.js';
import { labelOf, segKind, stageOrder, tierOrder } from './labels.js';
import { segmentGroups } from './tables.js';

// charts holds the chart instances by element id; drawn the data each was
// last drawn from.
const charts = {};
const drawn = {};

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(`#${id}`), null, { renderer: 'canvas' });
  return charts[id];
}

// draw sets a chart's option only when its data or the language changed:
// a slider on R, F or M leaves the Pareto curve and the funnel as they were.
export function draw(id, data, option) {
  const key = JSON.stringify([state.lang, data]);
  if (drawn[id] === key) return;
  drawn[id] = key;
  chart(id).setOption(option(), { replaceMerge: ['series', 'xAxis', 'yAxis', 'visualMap'] });
}
export const tooltip = { renderMode: 'richText', trigger: 'item' };

// clearCharts empties every chart; the next draw draws it again.
export function clearCharts() {
  for (const [id, c] of Object.entries(charts)) { c.clear(); delete drawn[id]; }
}

// resizeCharts fits every chart to its element (the window was resized).
export function resizeCharts() {
  Object.values(charts).forEach((c) => c.resize());
}

// resizeLater fits a chart to its element in the next frame, once drawn.
export function resizeLater(id) {
  if (charts[id]) later(`resize-${id}`, () => charts[id].resize(), 0);
}

// chartImages gives each chart made so far, by id, as a PNG data URL.
export function* chartImages() {
  for (const [id, c] of Object.entries(charts)) yield [id, c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' })];
}

// showPanel shows or hides a panel body; a chart drawn while its panel
// was hidden is resized when the panel shows again.
export function showPanel(sel, on, chartId) {
  const el = $(sel);
  const was = !el.hidden;
  el.hidden = !on;
  if (on && !was) resizeLater(chartId);
}

// showOptional shows an optional panel's body (showPanel) or, while it is
// off, its note: the error under errorKey when there is one, else the hint.
export function showOptional(offSel, bodySel, chartId, on, error, errorKey, hintKey) {
  const off = $(offSel);
  off.hidden = on;
  off.classList.toggle('warn', !!error);
  off.textContent = error ? `${t(errorKey)}: ${error}` : t(hintKey);
  showPanel(bodySel, on, chartId);
}

// renderCharts draws the main view's charts: shares per segment, the R×F
// grid, the Pareto curve with the tier bands and the lifecycle funnel.
export function renderCharts() {
  if (typeof echarts === 'undefined' || !state.view) return;
  const v = state.view;
  const groups = segmentGroups();
  const names = groups.map((g) => labelOf(segKind(), g.name));
  draw('chart-segments', groups, () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    legend: { top: 0, data: [t('share_customers'), t('share_revenue')] },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (x) => fmtPct(x) } },
    yAxis: { type: 'category', data: names, inverse: true },
    series: [
      { name: t('share_customers'), type: 'bar', data: groups.map((g) => +g.customer_share.toFixed(4)), itemStyle: { color: '#5b8ff9' } },
      { name: t('share_revenue'), type: 'bar', data: groups.map((g) => +g.revenue_share.toFixed(4)), itemStyle: { color: '#f6bd16' } },
    ],
  }));
  const lr = v.bins[0].levels;
  const lf = v.bins[1].levels;
  const maxCell = Math.max(...v.grid.map((c) => c.customers), 1);
  draw('chart-grid', v.grid, () => ({
    animation: false,
    tooltip,
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', name: 'F', data: Array.from({ length: lf }, (_, i) => String(i + 1)) },
    yAxis: { type: 'category', name: 'R', data: Array.from({ length: lr }, (_, i) => String(i + 1)) },
    visualMap: { min: 0, max: maxCell, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
    series: [{ type: 'heatmap', data: v.grid.map((c) => [c.f - 1, c.r - 1, c.customers]), label: { show: true, fontSize: 10 } }],
  }));
  const n = v.customers || 1;
  const bandColors = ['rgba(91,143,249,0.18)', 'rgba(90,216,166,0.18)', 'rgba(246,189,22,0.15)', 'rgba(200,200,200,0.15)'];
  const edges = [0, ...(v.tiers || []).map((b) => b.count / n), 1];
  draw('chart-pareto', [v.pareto, edges], () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: 1, name: t('customers_axis'), nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (x) => fmtPct(x) } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (x) => fmtPct(x) } },
    series: [{
      type: 'line', showSymbol: false, data: v.pareto.map((p) => [p.customers, p.revenue]), lineStyle: { width: 2, color: '#c0392b' },
      markArea: { silent: true, data: [0, 1, 2, 3].map((i) => [{ xAxis: edges[i], name: labelOf('tier', tierOrder[i]), itemStyle: { color: bandColors[i] }, label: { position: 'insideTop', fontSize: 12, fontWeight: 'bold', color: '#333' } }, { xAxis: edges[i + 1] }]) },
    }],
  }));
  // Per-customer stats have no order dates: no series, and the page says why.
  $('#buyer-series-needs').hidden = !state.needsOrders;
  showPanel('#buyer-series-body', !state.needsOrders, 'chart-buyers');
  const series = v.buyer_series || [];
  draw('chart-buyers', series, () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    legend: { top: 0, data: [t('new_buyers'), t('returning_buyers'), t('series_new_aov'), t('series_returning_aov')] },
    grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: series.map((m) => m.month) },
    yAxis: [{ type: 'value', name: t('customers') }, { type: 'value', name: t('aov'), nameTextStyle: { align: 'right' }, splitLine: { show: false } }],
    series: [
      { name: t('new_buyers'), type: 'bar', stack: 'buyers', data: series.map((m) => m.new_buyers), itemStyle: { color: '#5ad8a6' } },
      { name: t('returning_buyers'), type: 'bar', stack: 'buyers', data: series.map((m) => m.returning_buyers), itemStyle: { color: '#5b8ff9' } },
      { name: t('series_new_aov'), type: 'line', yAxisIndex: 1, data: series.map((m) => (m.new_buyers ? +m.new_aov.toFixed(2) : null)), itemStyle: { color: '#f6bd16' } },
      { name: t('series_returning_aov'), type: 'line', yAxisIndex: 1, data: series.map((m) => (m.returning_buyers ? +m.returning_aov.toFixed(2) : null)), itemStyle: { color: '#e8684a' } },
    ],
  }));
  const stages = stageOrder.map((name) => v.stages.find((g) => g.name === name)?.customers || 0);
  // Stages as bars: a bar's length reads as its count (a funnel's widths
  // do not, and the stages are not steps of one path).
  draw('chart-funnel', stages, () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (x) => fmtInt(x) } },
    yAxis: { type: 'category', inverse: true, data: stageOrder.map((name) => labelOf('stage', name)) },
    series: [{
      type: 'bar', data: stages, itemStyle: { color: '#5470c6' },
      label: { show: true, position: 'right', formatter: (p) => fmtInt(p.value) },
    }],
  }));
  renderPanelCharts();
}

// renderPanelCharts draws the prediction panel's calibration-versus-holdout
// chart and the plan panel's profit-versus-budget curve.
function renderPanelCharts() {
  const p = state.prediction;
  const h = p?.holdout;
  if (h) {
    draw('chart-holdout', h.rows, () => ({
      animation: false,
      tooltip: { ...tooltip, trigger: 'axis' },
      legend: { top: 0, data: [t('holdout_actual'), t('holdout_expected')] },
      grid: { left: 48, right: 16, top: 28, bottom: 40 },
      xAxis: { type: 'category', name: t('calib_freq'), nameLocation: 'middle', nameGap: 24, data: h.rows.map((r) => r.frequency) },
      yAxis: { type: 'value' },
      series: [
        { name: t('holdout_actual'), type: 'bar', data: h.rows.map((r) => r.actual), itemStyle: { color: '#5b8ff9' } },
        { name: t('holdout_expected'), type: 'line', data: h.rows.map((r) => r.expected), lineStyle: { color: '#c0392b', width: 2 }, itemStyle: { color: '#c0392b' } },
      ],
    }));
  }
  const pv = state.plan;
  if (pv) {
    const budget = pv.plan.budget;
    // Beyond the curve's last budget every customer worth contacting is
    // contacted: the profit stays flat up to the chosen budget.
    const pts = pv.curve.map((c) => [c.budget, c.profit]);
    const last = pts[pts.length - 1];
    if (last && budget > last[0]) pts.push([budget, last[1]]);
    draw('chart-plan', [pts, budget, pv.plan.total.profit], () => ({
      animation: false,
      tooltip: { ...tooltip, trigger: 'axis' },
      grid: { left: 64, right: 24, top: 16, bottom: 40 },
      xAxis: { type: 'value', name: t('budget'), nameLocation: 'middle', nameGap: 24, min: 0 },
      yAxis: { type: 'value', name: t('profit') },
      series: [{
        type: 'line', showSymbol: false, data: pts, lineStyle: { width: 2, color: '#2f6fb3' },
        markPoint: { symbolSize: 10, data: [{ coord: [budget, pv.plan.total.profit], symbol: 'circle', itemStyle: { color: '#c0392b' }, label: { show: false } }] },
        markLine: { silent: true, symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed' }, data: [{ xAxis: budget }], label: { show: false } },
      }],
    }));
  }
}
