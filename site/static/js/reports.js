// The load report (of the last load, also of one that failed: format,
// encoding, rows, platform, column roles, warnings, order statuses, why
// rows were skipped) and the cleaning report of the last result, in the
// page's language.

import { state } from './state.js';
import { $, table, tableNodes } from './dom.js';
import { t, fill, fillNodes, plain, val, fmtInt, fmtNum, fmtPct } from './i18n.js';
import { encodingLabel, mapRoles } from './labels.js';

const text = (x) => document.createTextNode(x);

// loadWarnings are the warnings ingest writes into a load report, as
// patterns of its English text with the message that says them in the
// page's language and the values it takes.
const loadWarnings = [
  [/^field "(.*)" appears only after the first 50 records and was ignored$/, 'warn_late_field', (m) => ({ f: m[1] })],
  [/^(\d+) more fields appear only after the first 50 records and were ignored$/, 'warn_late_fields', (m) => ({ n: { text: fmtInt(+m[1]) } })],
  [/^the header is on line (\d+); the lines above it \(a title or notes\) were passed over$/, 'warn_header_line', (m) => ({ n: { text: m[1] } })],
  [/^(\d+) ids in column "(.*)" are in scientific notation /, 'warn_scientific_ids', (m) => ({ n: { text: fmtInt(+m[1]) }, col: m[2], ex: '2.38712E+17' })],
];

// warningNodes says a load warning in the page's language; one it does
// not know stays in English rather than go unsaid.
function warningNodes(w) {
  for (const [re, key, vars] of loadWarnings) {
    const m = w.match(re);
    if (m) return fillNodes(key, vars(m));
  }
  return [text(w)];
}

// renderReports writes the load report (from the last load's report, also
// of a load that failed) and, with a result, the cleaning report, in the
// page's language.
export function renderReports() {
  const rep = state.report;
  const box = $('#load-report');
  if (!rep) { box.replaceChildren(); return; }
  const p = (...nodes) => { const el = document.createElement('p'); el.append(...nodes); return el; };
  const facts = [];
  if (state.xlsx) facts.push(...fillNodes('sheet_is', { sheet: state.xlsx.sheet }));
  else {
    facts.push(text(t(`format_${rep.format}`) || rep.format), text(' · '), ...fillNodes('encoding_is', { enc: encodingLabel(rep.encoding) }));
    if (rep.bom) facts.push(text(` ${t('with_bom')}`));
  }
  if (rep.date_format) facts.push(text(` · ${t('date_format')}: ${t(`fmt_${rep.date_format}`)}`));
  facts.push(text(` · ${t('rows_read')}: ${fmtInt(rep.rows_read)} · ${t('rows')}: ${fmtInt(rep.rows_kept)} · ${t('rows_skipped')}: ${fmtInt(rep.rows_skipped)}`));
  const parts = [p(...facts)];
  if (rep.platform) parts.push(p(...fillNodes('recognised', { platform: plain(t(`platform_${rep.platform}`)) })));
  const roles = [];
  for (const r of mapRoles) {
    if (!rep.roles?.[r]) continue;
    if (roles.length) roles.push(text(' · '));
    roles.push(text(`${t(`role_${r}`)} ← `), val(rep.roles[r]));
  }
  if (roles.length) parts.push(p(...roles));
  for (const w of rep.warnings || []) parts.push(p(text('⚠ '), ...warningNodes(w)));
  if (rep.line_items) parts.push(p(text(fill('line_items', { n: fmtInt(rep.line_items) }))));
  if (rep.partial_refunds) parts.push(p(text(fill('partial_refunds', { n: fmtInt(rep.partial_refunds) }))));
  if (rep.statuses?.length) {
    const tb = document.createElement('table');
    tb.className = 'small statuses';
    tableNodes(tb, [t('statuses'), t('affected_rows'), t('status_class')],
      rep.statuses.map((c) => [val(c.label), fmtInt(c.rows), t(c.unpaid ? 'status_unpaid' : c.return ? 'status_return' : 'status_counted')]));
    parts.push(tb);
  }
  if (rep.skip_reasons?.length) {
    // In Chinese the reasons are said by their code, so reasons that
    // differ only in numbers the core puts in them are one row.
    const rows = new Map();
    for (const c of rep.skip_reasons) {
      const label = skipReason(c.code, c.label);
      rows.set(label, (rows.get(label) || 0) + c.rows);
    }
    const tb = document.createElement('table');
    table(tb, [t('reason'), t('affected_rows')], [...rows].map(([label, n]) => [label, fmtInt(n)]));
    parts.push(tb);
  }
  if (rep.skips?.length) {
    const tb = document.createElement('table');
    tb.className = 'small';
    tableNodes(tb, [t('line'), t('column'), t('value'), t('reason')], rep.skips.slice(0, 10).map((s) => [s.line, val(s.column || ''), val(s.value || ''), skipReason(s.code, s.reason)]));
    parts.push(tb);
  }
  box.replaceChildren(...parts);
  if (state.view) renderCleanReport();
}

// skipReason says why a row was skipped: in English as the core says it
// (with its details), in Chinese by its code.
function skipReason(code, reason) {
  if (state.lang === 'en' && reason) return reason;
  return state.dict.en[`skip_${code}`] ? t(`skip_${code}`) : reason || code;
}

// The cleaning rules, by the core's rule key: the label, the setting in
// the scenario (for the rules that have one) and what the rule does.
const cleanRules = {
  window: { label: 'window' },
  test_accounts: { label: 'test_accounts', mode: 'test_accounts' },
  unpaid: { label: 'rule_unpaid' },
  returns: { label: 'returns', mode: 'returns' },
  zero_value: { label: 'zero_value', mode: 'zero_value' },
  reward_hunters: { label: 'reward_hunters', mode: 'reward_hunters' },
  outliers: { label: 'outliers', mode: 'outliers' },
};

function cleanWhat(c, sc) {
  const mode = sc[c.rule];
  switch (c.rule) {
    case 'window': return [text(t('clean_window'))];
    case 'unpaid': return [text(t('clean_unpaid'))];
    case 'test_accounts':
      return mode === 'drop' ? fillNodes('clean_test_accounts_drop', { patterns: (sc.test_patterns || []).join(' ') }) : [text(t('clean_test_accounts_keep'))];
    case 'returns':
      return [text(t(`clean_returns_${mode}`) + (c.note ? `; ${t('clean_returns_c')}` : ''))];
    case 'zero_value': return [text(t(`clean_zero_value_${mode}`))];
    case 'reward_hunters':
      if (mode === 'off') return [text(t('clean_off'))];
      if (!state.report?.roles?.discount) return [text(t('clean_hunters_nodisc'))];
      return [text(fill('clean_hunters_on', { n: fmtInt(sc.hunter_min_orders), share: fmtPct(sc.hunter_share), disc: fmtPct(sc.hunter_discount) }))];
    case 'outliers':
      if (mode === 'off') return [text(t('clean_off'))];
      return [text(fill('clean_outliers_on', { p: fmtNum(sc.outlier_percentile, 2) }))];
  }
  return [text(c.action)];
}

function renderCleanReport() {
  const sc = state.scenario.clean;
  tableNodes($('#clean-report'), [t('rule'), t('mode'), t('clean_what'), t('affected_rows'), t('affected_cust')],
    (state.view.clean || []).map((c) => {
      const r = cleanRules[c.rule] || { label: c.rule };
      const what = document.createElement('span');
      what.append(...cleanWhat(c, sc));
      return [t(r.label), r.mode ? t(`opt_${sc[r.mode]}`) : '–', what, fmtInt(c.rows), fmtInt(c.customers)];
    }));
}
