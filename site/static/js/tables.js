// The result tables: segments, tiers and the customers near a tier's
// threshold, lifecycle stages, buyers (the last period's split and the
// series month by month), tags, and the customer list, which
// the worker sends a page at a time.

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fmtInt, fmtMoney, fmtNum, fmtPct } from './i18n.js';
import { actionLabel, actionOf, labelOf, segKind, stageOrder } from './labels.js';
import { call } from './rpc.js';

// segmentGroups are the scheme's groups that have customers.
export function segmentGroups() {
  const v = state.view;
  return v.segments.filter((g) => g.customers > 0);
}

// The segment table, as shown and as the summary export writes it.
export function summaryHead() {
  return [t('segment'), t('customers'), t('share_customers'), t('orders'), t('revenue'), t('share_revenue'), t('aov'), t('median_recency'), t('avg_frequency'), t('action')];
}
function summaryRows() {
  return segmentGroups().map((g) => [labelOf(segKind(), g.name), fmtInt(g.customers), fmtPct(g.customer_share), fmtInt(g.orders), fmtMoney(g.revenue), fmtPct(g.revenue_share), fmtMoney(g.aov), fmtNum(g.median_recency), fmtNum(g.avg_frequency, 2), actionOf(g.name)]);
}

export function renderTables() {
  const v = state.view;
  table($('#table-segments'), summaryHead(), summaryRows());
  table($('#table-tiers'), [t('tier'), t('threshold'), t('customers'), t('share_revenue'), t('near')],
    (v.tier_table || []).map((g, i) => [labelOf('tier', g.name), v.tiers?.[i] ? fmtMoney(v.tiers[i].threshold) : '–', fmtInt(g.customers), fmtPct(g.revenue_share), v.tiers?.[i] ? fmtInt(v.tiers[i].near) : '–']));
  table($('#near'), [t('tier'), t('id'), t('revenue'), t('gap')],
    (v.near || []).map((n) => [labelOf('tier', n.tier), n.id, fmtMoney(n.revenue), fmtMoney(n.gap)]));
  table($('#table-stages'), [t('stage'), t('customers'), t('share_customers'), t('share_revenue'), t('median_recency')],
    stageOrder.map((n) => v.stages.find((g) => g.name === n)).filter(Boolean).map((g) => [labelOf('stage', g.name), fmtInt(g.customers), fmtPct(g.customer_share), fmtPct(g.revenue_share), fmtNum(g.median_recency)]));
  const b = v.buyers;
  $('#buyers').textContent = `${t('buyers')}: ${t('buyers_new')} ${fmtInt(b.new_buyers)} · ${t('buyers_old')} ${fmtInt(b.old_buyers)} · ${t('buyers_repeat')} ${fmtInt(b.old_repeat_buyers)}`;
  table($('#buyer-series'), [t('month'), t('new_buyers'), t('new_revenue'), t('series_new_aov'), t('returning_buyers'), t('returning_revenue'), t('series_returning_aov')],
    (v.buyer_series || []).map((m) => [m.month + (m.days < daysIn(m.month) ? ' *' : ''), fmtInt(m.new_buyers), fmtMoney(m.new_revenue), fmtMoney(m.new_aov),
      fmtInt(m.returning_buyers), fmtMoney(m.returning_revenue), fmtMoney(m.returning_aov)]));
  table($('#tag-counts'), [t('tags'), t('customers')], (v.tags || []).map((x) => [labelOf('tag', x.name), fmtInt(x.customers)]));
}

// daysIn is the number of days of a month written YYYY-MM.
export const daysIn = (month) => new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).getUTCDate();

// rowsSeq numbers the customer list's requests: only the latest is shown.
let rowsSeq = 0;

// dropRows drops the customer page under way (a new load began).
export function dropRows() {
  rowsSeq++;
}

// listGroups are the groups the customer list can be filtered to, by
// kind: [name, label, customers] (customers null when not known).
function listGroups(kind) {
  const v = state.view;
  const groups = (gs, k) => (gs || []).filter((g) => g.customers > 0).map((g) => [g.name, labelOf(k, g.name), g.customers]);
  switch (kind) {
    case 'class': return groups(v.classes, 'class');
    case 'tier': return groups(v.tier_table, 'tier');
    case 'stage': return groups(stageOrder.map((n) => v.stages.find((g) => g.name === n)).filter(Boolean), 'stage');
    case 'action': {
      const names = new Set();
      for (const g of state.plan?.plan?.segments || []) for (const a of g.actions || []) if (a.contacted > 0) names.add(a.action);
      return [...[...names].map((n) => [n, actionLabel(n), null]), ['holdout', t('list_holdout'), null], ['none', t('list_none'), null]];
    }
    default: return groups(v.segments, segKind());
  }
}

// listFilter is the customer list's filter as the core reads it
// ("kind=name", "" for everyone).
export const listFilter = () => (state.listKind && state.listName ? `${state.listKind === 'segment' && segKind() === 'class' ? 'class' : state.listKind}=${state.listName}` : '');

// The customer list's pending work: scheduled is a render waiting for its
// delay, rowsDone the last render's; customersSettled waits for both, so
// that "settled" means the page has stopped moving.
let scheduled = null;
let rowsDone = Promise.resolve();

// scheduleCustomers renders the customer list after delay ms, once
// however often it is asked for meanwhile (a slider drag re-scores many
// times).
export function scheduleCustomers(delay) {
  scheduled ??= new Promise((resolve) => {
    setTimeout(() => {
      scheduled = null;
      resolve(renderCustomers());
    }, delay);
  });
  return scheduled;
}

export async function customersSettled() {
  while (scheduled) await scheduled;
  await rowsDone;
}

export function renderCustomers() {
  rowsDone = drawCustomers().catch(() => {});
  return rowsDone;
}

async function drawCustomers() {
  if (!state.view) return;
  const kindSel = $('#cust-kind');
  kindSel.querySelector('option[value="action"]').disabled = !state.plan;
  if (state.listKind === 'action' && !state.plan) state.listKind = 'segment';
  kindSel.value = state.listKind;
  const sel = $('#cust-segment');
  const groups = listGroups(state.listKind);
  sel.replaceChildren(new Option(t('all_customers'), ''), ...groups.map(([name, label, n]) => new Option(n == null ? label : `${label} (${fmtInt(n)})`, name)));
  sel.value = state.listName;
  if (sel.value !== state.listName) { state.listName = ''; sel.value = ''; }
  const seq = ++rowsSeq;
  let out;
  try {
    out = await call('rows', { filter: listFilter(), offset: state.page * state.pageSize, limit: state.pageSize });
  } catch {
    return; // a new load dropped the result meanwhile
  }
  if (seq !== rowsSeq || !state.view) return;
  const pages = Math.max(1, Math.ceil(out.total / state.pageSize));
  if (state.page >= pages) state.page = pages - 1;
  $('#page-info').textContent = `${fmtInt(state.page + 1)} / ${fmtInt(pages)} (${fmtInt(out.total)})`;
  table($('#customers'), [t('id'), t('revenue'), t('orders'), t('recency'), t('last_order'), t('scores'), t('segment'), t('class'), t('tier'), t('stage'), t('tags')],
    out.rows.map((r) => [r.id, fmtMoney(r.revenue), fmtInt(r.orders), fmtInt(r.recency), r.last_order, `${r.r} ${r.f} ${r.m}`, labelOf(segKind(), r.segment), labelOf('class', r.class), labelOf('tier', r.tier), labelOf('stage', r.stage), r.tags.split(';').filter(Boolean).map((x) => labelOf('tag', x)).join(', ')]));
}

// bindCustomers binds the customer list's filter and pager.
export function bindCustomers() {
  $('#cust-kind').addEventListener('change', (e) => { state.listKind = e.target.value; state.listName = ''; state.page = 0; renderCustomers(); });
  $('#cust-segment').addEventListener('change', (e) => { state.listName = e.target.value; state.page = 0; renderCustomers(); });
  $('#prev').addEventListener('click', () => { if (state.page > 0) { state.page--; renderCustomers(); } });
  $('#next').addEventListener('click', () => { state.page++; renderCustomers(); });
}
