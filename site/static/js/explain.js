// Explain every number: a "?" beside each KPI, score, table and panel
// opens what the number is — its definition, formula and the thresholds
// in force now — with the caveats that surprise people (ties that empty
// segments, BG/NBD's P(alive) for one-time buyers). The Glossary section
// lists every term. Texts are messages gl_TERM (title) and gl_TERM_text
// (definition with {values} filled from the current result).

import { state } from './state.js';
import { $, $$ } from './dom.js';
import { t, fill, fmtDate, fmtInt, fmtMoney, fmtNum, fmtPct } from './i18n.js';
import { labelOf, segKind } from './labels.js';

// terms are the glossary's terms, in its order.
export const terms = ['customers', 'revenue', 'aov', 'asof', 'r', 'f', 'm', 'ties', 'rfm_class', 'segment', 'tier', 'stage', 'p_alive', 'clv', 'roi', 'plan_values', 'holdout', 'uplift'];

const list = (xs) => xs.join(t('list_sep'));

// values are what the terms' texts are filled with, from the result in
// force (none yet: empty).
function values() {
  const v = state.view;
  const sc = state.scenario;
  if (!v || !sc) return {};
  const orders = v.classes.reduce((a, g) => a + g.orders, 0);
  const bin = (k) => v.bins?.[k] || {};
  const dim = (k, money) => {
    const b = bin(k);
    const empty = (b.counts || []).map((n, i) => (n === 0 ? String(i + 1) : '')).filter(Boolean);
    return {
      method: t(b.method === 'quantile' ? 'quantile' : b.method === 'cuts' ? 'cuts' : b.method || 'quantile'),
      edges: list((b.edges || []).map((e) => (money ? fmtMoney(e) : fmtNum(e, 1)))),
      counts: list((b.counts || []).map((n, i) => `${i + 1}: ${fmtInt(n)}`)),
      empty: empty.length ? fill('gl_empty_scores', { s: list(empty) }) : '',
    };
  };
  const emptySegments = v.segments.filter((g) => g.customers === 0 && g.name !== 'others').map((g) => labelOf(segKind(), g.name));
  return {
    customers: fmtInt(v.customers), revenue: fmtMoney(v.revenue), orders: fmtInt(orders), aov: fmtMoney(orders ? v.revenue / orders : 0), asof: fmtDate(v.asof),
    ...Object.fromEntries(['r', 'f', 'm'].flatMap((k, i) => Object.entries(dim(i, k === 'm')).map(([x, y]) => [`${k}_${x}`, y]))),
    empty_segments: emptySegments.length ? fill('gl_empty_segments', { s: list(emptySegments) }) : '',
    tier_cuts: list((sc.tiers?.cuts || []).map((c) => (sc.tiers?.basis === 'spend' ? fmtMoney(c) : fmtPct(c)))),
    tier_thresholds: list((v.tiers || []).map((x) => fmtMoney(x.threshold))),
    new_days: fmtInt(sc.lifecycle?.new_days ?? 0), churn_days: fmtInt(sc.lifecycle?.churn_days ?? 0),
    model: state.prediction?.model || (sc.predict?.model || 'bgnbd').toUpperCase(),
  };
}

// explainText is a term's title and text with the current values (vals,
// when the caller has them already).
export function explainText(term, vals = values()) {
  return { title: t(`gl_${term}`), text: fill(`gl_${term}_text`, vals).replace(/\s+/g, ' ').trim() };
}

// explain opens the explanation of a term.
export function explain(term) {
  const d = $('#explain');
  const { title, text } = explainText(term);
  $('#explain-title').textContent = title;
  $('#explain-text').textContent = text;
  d.dataset.term = term;
  if (!d.open) d.showModal();
}

// renderGlossary lists every term (and says an open explanation again in
// the page's language).
export function renderGlossary() {
  const dl = $('#glossary');
  const vals = values();
  dl.replaceChildren(...terms.flatMap((term) => {
    const { title, text } = explainText(term, vals);
    const dt = document.createElement('dt');
    dt.textContent = title;
    const dd = document.createElement('dd');
    dd.textContent = text;
    return [dt, dd];
  }));
  const d = $('#explain');
  if (d.open) explain(d.dataset.term);
}

// bindExplain puts a "?" button beside every element marked data-explain
// and wires the dialog.
export function bindExplain() {
  for (const el of $$('[data-explain]')) {
    if (!el.dataset.explain) continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'explain';
    b.textContent = '?';
    b.dataset.term = el.dataset.explain;
    b.dataset.i18nAria = `gl_${el.dataset.explain}`;
    b.setAttribute('aria-label', t(`gl_${el.dataset.explain}`));
    b.addEventListener('click', (e) => { e.preventDefault(); e.stopPropagation(); explain(b.dataset.term); });
    el.append(b);
  }
  $('#explain-close').addEventListener('click', () => $('#explain').close());
}
