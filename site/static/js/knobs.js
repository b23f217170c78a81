// The knobs: scheme and custom rules, the R/F/M methods with a histogram
// and cut-point sliders under each, tiers, lifecycle windows, the analysis
// window and as-of date, cleaning rules and tags. Every change edits the
// scenario and re-scores at once.

import { state } from './state.js';
import { $, $$ } from './dom.js';
import { t, fill, fmtInt, fmtMoney, fmtNum, fmtPct } from './i18n.js';
import { labelOf, segKind, tierOrder } from './labels.js';
import { changed, setScenario } from './run.js';
import { showError } from './status.js';

// The lifecycle sliders, by element id, and their scenario fields.
const lifeKnobs = { 'new-days': 'new_days', 'churn-days': 'churn_days', 'active-min': 'active_min', 'active-max': 'active_max' };

export function bindKnobs() {
  $('#scheme').addEventListener('change', (e) => {
    const v = e.target.value;
    $('#custom-box').hidden = v !== 'custom';
    if (v === 'custom') {
      if (!$('#custom').value) $('#custom').value = JSON.stringify(state.presets['schemes.rfm11'], null, 1);
      applyCustom();
    } else changed((s) => { s.segments.scheme = v; });
  });
  $('#apply-custom').addEventListener('click', applyCustom);
  $('#frequency').addEventListener('change', (e) => changed((s) => { s.rfm.frequency = e.target.value; }));
  $('#monetary').addEventListener('change', (e) => changed((s) => { s.rfm.monetary = e.target.value; }));
  $('#ties').addEventListener('change', (e) => changed((s) => { s.rfm.ties = e.target.value; }));
  for (const box of $$('.dim')) {
    const key = box.dataset.dim.toLowerCase();
    $('.method', box).addEventListener('change', (e) => changed((s) => {
      const d = s.rfm[key];
      d.method = e.target.value;
      if (d.method === 'cuts') d.cuts = cutsFromEdges(box.dataset.dim);
      if (d.method === 'quantile') d.levels = d.levels >= 2 ? d.levels : state.defaults.rfm[key].levels;
    }));
    $('.levels', box).addEventListener('change', (e) => changed((s) => {
      s.rfm[key].method = 'quantile';
      s.rfm[key].levels = Math.min(state.presets.vocabulary.max_levels, Math.max(2, Number(e.target.value) || state.defaults.rfm[key].levels));
    }));
  }
  $('#tier-basis').addEventListener('change', (e) => changed((s) => {
    s.tiers.basis = e.target.value;
    // A share basis starts from its preset pyramid (seeds/presets/tiers.*).
    s.tiers.cuts = e.target.value === 'spend' ? spendCuts()
      : [...state.presets[e.target.value === 'customer_share' ? 'tiers.customer_pyramid' : 'tiers.revenue_pyramid'].cuts];
  }));
  for (const [id, field] of Object.entries(lifeKnobs)) {
    $(`#${id}`).addEventListener('input', (e) => {
      $(`#${id}-out`).textContent = e.target.value;
      changed((s) => {
        s.lifecycle[field] = Number(e.target.value);
        if (s.lifecycle.active_max < s.lifecycle.active_min) s.lifecycle.active_max = s.lifecycle.active_min;
      });
    });
  }
  const win = { 'win-start': 'start', 'win-end': 'end', asof: 'asof' };
  for (const [id, field] of Object.entries(win)) {
    $(`#${id}`).addEventListener('change', (e) => changed((s) => { s.window[field] = e.target.value; }));
  }
  const clean = { 'clean-returns': 'returns', 'clean-zero': 'zero_value', 'clean-test': 'test_accounts', 'clean-hunters': 'reward_hunters', 'clean-outliers': 'outliers' };
  for (const [id, field] of Object.entries(clean)) {
    $(`#${id}`).addEventListener('change', (e) => changed((s) => { s.clean[field] = e.target.value; }));
  }
  $('#reset').addEventListener('click', () => setScenario(state.defaults));
}

function applyCustom() {
  let custom;
  try { custom = JSON.parse($('#custom').value); } catch (e) { showError(e.message); return; }
  changed((s) => { s.segments.scheme = 'custom'; s.segments.custom = custom; });
}

function spendCuts() {
  const th = state.view?.tiers?.map((b) => Math.max(0, Math.round(b.threshold))) || [1000, 300, 100];
  for (let i = 1; i < 3; i++) if (th[i] > th[i - 1]) th[i] = th[i - 1];
  return th;
}

// cutsFromEdges turns the current bin edges into ascending cut points.
function cutsFromEdges(dim) {
  const k = 'RFM'.indexOf(dim);
  const bins = state.view?.bins?.[k];
  const hist = state.view?.hist?.[k];
  const step = sliderStep(dim, hist);
  let cuts = (bins?.edges || []).filter((x) => x >= 0).sort((a, b) => a - b);
  if (!cuts.length) cuts = [hist ? hist.hi / 2 : 1];
  for (let i = 1; i < cuts.length; i++) if (cuts[i] <= cuts[i - 1]) cuts[i] = cuts[i - 1] + step;
  return cuts.map((x) => Math.max(dim === 'M' ? 0.01 : 1, round(x, step)));
}
const round = (x, step) => Math.round(x / step) * step;
function sliderStep(dim, hist) {
  if (dim !== 'M') return 1;
  const hi = hist?.hi || 100;
  const raw = hi / 200;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) / 1 || 1;
}

// renderDims draws the histogram under each dimension and its sliders.
export function renderDims() {
  const v = state.view;
  const s = state.scenario;
  for (const box of $$('.dim')) {
    const dim = box.dataset.dim;
    const k = 'RFM'.indexOf(dim);
    const cfg = s.rfm[dim.toLowerCase()];
    const bins = v.bins[k];
    const hist = v.hist[k];
    $('.method', box).value = cfg.method === 'value' ? 'median' : cfg.method;
    $('.levels', box).value = bins.levels;
    $('.levels', box).disabled = cfg.method !== 'quantile';
    const edges = bins.edges.filter((x) => x >= 0);
    drawHist($('canvas', box), hist, edges);
    const cutsBox = $('.cuts', box);
    const values = cfg.method === 'cuts' ? cfg.cuts : edges.slice().sort((a, b) => a - b);
    const step = sliderStep(dim, hist);
    const hi = Math.max(hist.hi, ...values.map((x) => x + step));
    if (cfg.method === 'mean' || cfg.method === 'median') {
      cutsBox.replaceChildren();
    } else {
      // Reuse the sliders while their count is unchanged, so dragging is smooth.
      let sliders = $$('input', cutsBox);
      if (sliders.length !== values.length) {
        cutsBox.replaceChildren(...values.map((_, i) => {
          const el = document.createElement('input');
          el.type = 'range';
          el.className = 'cut';
          el.dataset.index = i;
          el.addEventListener('input', () => onCut(dim, i, Number(el.value)));
          return el;
        }));
        sliders = $$('input', cutsBox);
      }
      sliders.forEach((el, i) => {
        el.setAttribute('aria-label', fill('aria_cut', { dim, n: i + 1 }));
        el.min = dim === 'M' ? step : 1;
        el.max = hi;
        el.step = step;
        if (document.activeElement !== el) el.value = values[i];
      });
    }
    const unit = dim === 'R' ? 'd' : '';
    const counts = bins.counts.map((c, i) => `${i + 1}: ${fmtInt(c)}`).join(' · ');
    $('.edges', box).textContent = `${t('edges')}: ${edges.map((x) => fmtNum(x, 2) + unit).join(', ') || '–'} — ${counts} — ${t('effective')}: ${bins.effective}/${bins.levels}${bins.note ? ` (${fill('bins_unused', { list: bins.counts.flatMap((c, i) => (c === 0 ? [i + 1] : [])).join(', ') })})` : ''}`;
  }
}

function onCut(dim, i, value) {
  if (!state.view) return;
  changed((s) => {
    const d = s.rfm[dim.toLowerCase()];
    if (d.method !== 'cuts') {
      d.cuts = cutsFromEdges(dim);
      d.method = 'cuts';
    }
    const step = sliderStep(dim, state.view.hist['RFM'.indexOf(dim)]);
    const lo = i > 0 ? d.cuts[i - 1] + step : (dim === 'M' ? step : 1);
    const hi = i < d.cuts.length - 1 ? d.cuts[i + 1] - step : Infinity;
    d.cuts[i] = Math.min(hi, Math.max(lo, value));
  });
}

function drawHist(canvas, hist, edges) {
  const key = JSON.stringify([hist, edges]);
  if (canvas.dataset.key === key) return;
  canvas.dataset.key = key;
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(...hist.counts, 1);
  const bw = w / hist.counts.length;
  ctx.fillStyle = '#9bb8d3';
  hist.counts.forEach((c, i) => {
    const bh = (Math.sqrt(c) / Math.sqrt(max)) * (h - 4);
    ctx.fillRect(i * bw + 0.5, h - bh, bw - 1, bh);
  });
  ctx.strokeStyle = '#c0392b';
  ctx.lineWidth = 1.5;
  for (const e of edges) {
    const x = ((e - hist.lo) / (hist.hi - hist.lo || 1)) * w;
    if (x < 0 || x > w) continue;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
    ctx.stroke();
  }
}

// clearKnobs blanks what the knobs show of the data: the bin edges and
// counts, the histograms and the scheme check.
export function clearKnobs() {
  for (const el of $$('#knobs .edges')) el.textContent = '';
  for (const c of $$('.dim canvas')) { c.getContext('2d').clearRect(0, 0, c.width, c.height); delete c.dataset.key; }
  $('#scheme-check').replaceChildren();
}

export function renderTierCuts() {
  const s = state.scenario;
  const box = $('#tier-cuts');
  const spend = s.tiers.basis === 'spend';
  let inputs = $$('input', box);
  if (inputs.length !== 3 || box.dataset.basis !== s.tiers.basis) {
    box.dataset.basis = s.tiers.basis;
    box.replaceChildren(...[0, 1, 2].map((i) => {
      const label = document.createElement('label');
      label.className = 'knob';
      const name = document.createElement('span');
      name.className = 'tier-name';
      const el = document.createElement('input');
      el.type = spend ? 'number' : 'range';
      el.min = spend ? 0 : 0.01;
      el.max = spend ? '' : 1;
      el.step = spend ? 1 : 0.01;
      el.id = `tier-cut-${i}`;
      const out = document.createElement('output');
      el.addEventListener('input', () => changed((sc) => {
        const cuts = sc.tiers.cuts;
        let v = Number(el.value);
        if (!spend) v = Math.min(i < 2 ? cuts[i + 1] : 1, Math.max(i > 0 ? cuts[i - 1] : 0.01, v));
        cuts[i] = v;
      }));
      label.append(name, el, out);
      return label;
    }));
    inputs = $$('input', box);
  }
  inputs.forEach((el, i) => {
    if (document.activeElement !== el) el.value = s.tiers.cuts[i];
    el.previousSibling.textContent = labelOf('tier', tierOrder[i]);
    el.nextSibling.textContent = spend ? fmtMoney(s.tiers.cuts[i]) : fmtPct(s.tiers.cuts[i]);
  });
}

export function renderTags() {
  const box = $('#tags');
  const all = state.defaults?.tags || [];
  const on = new Set((state.scenario?.tags || []).map((x) => x.name));
  box.replaceChildren(...all.map((tag) => {
    const label = document.createElement('label');
    label.className = 'check';
    const el = document.createElement('input');
    el.type = 'checkbox';
    el.checked = on.has(tag.name);
    el.addEventListener('change', () => changed((s) => {
      const keep = new Set($$('input', box).filter((x) => x.checked).map((x) => x.dataset.name));
      s.tags = all.filter((x) => keep.has(x.name));
    }));
    el.dataset.name = tag.name;
    label.append(el, ` ${labelOf('tag', tag.name)}`);
    return label;
  }));
}

// syncKnobs sets the knobs from the scenario in force (one loaded or
// restored, or as the core echoed it) and writes the scheme check.
export function syncKnobs() {
  const s = state.scenario;
  $('#scheme').value = s.segments.scheme;
  $('#custom-box').hidden = s.segments.scheme !== 'custom';
  $('#frequency').value = s.rfm.frequency;
  $('#monetary').value = s.rfm.monetary;
  $('#ties').value = s.rfm.ties || 'together';
  $('#tier-basis').value = s.tiers.basis;
  for (const [id, field] of Object.entries(lifeKnobs)) {
    const el = $(`#${id}`);
    if (document.activeElement !== el) el.value = s.lifecycle[field];
    $(`#${id}-out`).textContent = s.lifecycle[field];
  }
  $('#win-start').value = s.window.start || '';
  $('#win-end').value = s.window.end || '';
  $('#asof').value = s.window.asof || state.view?.asof || '';
  $('#clean-returns').value = s.clean.returns;
  $('#clean-zero').value = s.clean.zero_value;
  $('#clean-test').value = s.clean.test_accounts;
  $('#clean-hunters').value = s.clean.reward_hunters;
  $('#clean-outliers').value = s.clean.outliers;
  const ck = state.view?.scheme_check;
  $('#scheme-check').textContent = ck ? `${t('scheme_check')}: ${fill('check_cells', { cells: fmtInt(ck.cells), gaps: fmtInt(ck.gaps) })}${ck.overlaps?.length ? `; ${ck.overlaps.map(overlapText).join('; ')}` : ''}${ck.unreachable?.length ? `; ${fill('check_unreachable', { list: ck.unreachable.map((x) => labelOf(segKind(), x)).join(t('list_sep')) })}` : ''}` : '';
}

// overlapText says a scheme check's overlap ("a & b: 8 cells (a wins)", as
// the core writes it) in the page's language.
function overlapText(o) {
  const m = o.match(/^(.+) & (.+): (\d+) cells \((.+) wins\)$/);
  if (!m) return o;
  const k = segKind();
  return fill('check_overlap', { a: labelOf(k, m[1]), b: labelOf(k, m[2]), n: fmtInt(Number(m[3])), w: labelOf(k, m[4]) });
}
