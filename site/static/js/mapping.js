// The Columns panel: the file's own headers and first rows with the role
// given to each column, the text encoding, the date format and the
// columns to carry into the export. "Read again" parses the same bytes
// with the user's choices.

import { state } from './state.js';
import { $, $$ } from './dom.js';
import { t, fillNodes, plain, val } from './i18n.js';
import { mapRoles, missingList, requiredRoles } from './labels.js';
import { reloadWithOptions } from './load.js';

// renderMapping fills the Columns panel from the last load's report (also
// of a load that failed): a column for each role, pre-filled with what was
// detected, the encoding and date format in force, the columns to carry,
// and the file's first rows.
export function renderMapping(keep = false) {
  const rep = state.report;
  const headers = rep?.headers || [];
  const tbody = $('#roles tbody');
  const missing = state.error?.code === 'missing_column' ? new Set(state.error.missing) : new Set();
  const note = $('#mapping-missing');
  note.hidden = !missing.size;
  if (missing.size) note.replaceChildren(...fillNodes('mapping_missing', { roles: plain(missingList([...missing])) }));
  if (!headers.length) {
    tbody.replaceChildren();
    $('#preview').replaceChildren();
    $('#carry').replaceChildren();
    return;
  }
  // Keep the user's choices while the same file is shown.
  const chosen = {};
  if (keep) for (const sel of $$('#roles select')) chosen[sel.dataset.role] = sel.value;
  const carried = keep ? $$('#carry input:checked').map((x) => x.value) : state.options.carry || [];
  tbody.replaceChildren(...mapRoles.map((role) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = `${t(`role_${role}`)}${requiredRoles.has(role) ? ' *' : ''}`;
    const td = document.createElement('td');
    const sel = document.createElement('select');
    sel.dataset.role = role;
    sel.className = 'v';
    sel.append(new Option(t('none'), ''), ...headers.map((h) => new Option(h, h)));
    sel.value = chosen[role] ?? rep.roles?.[role] ?? '';
    if (missing.has(role) && !sel.value) tr.className = 'missing';
    sel.addEventListener('change', () => { tr.classList.remove('missing'); renderPreview(); renderCarry(); });
    td.append(sel);
    tr.append(th, td);
    return tr;
  }));
  const foot = document.createElement('tr');
  const td = document.createElement('td');
  td.colSpan = 2;
  td.className = 'muted small';
  td.textContent = t('required_note');
  foot.append(td);
  tbody.append(foot);
  $('#date-format').value = state.options.date_format || 'auto';
  $('#encoding').value = state.options.encoding || 'auto';
  // A workbook's sheet arrives as UTF-8 text: there is no encoding to choose.
  $('#encoding').disabled = !!state.xlsx;
  renderCarry(carried);
  renderPreview();
}

// chosenRoles returns the Columns panel's role → column choices.
function chosenRoles() {
  const map = {};
  for (const sel of $$('#roles select')) if (sel.value) map[sel.dataset.role] = sel.value;
  return map;
}

// renderCarry lists the columns that play no role as checkboxes: checked
// ones are carried into the customer export.
function renderCarry(carried) {
  const box = $('#carry');
  const headers = state.report?.headers || [];
  const used = new Set(Object.values(chosenRoles()));
  const on = new Set(carried || $$('input:checked', box).map((x) => x.value));
  const free = headers.filter((h) => !used.has(h));
  if (!free.length) {
    const p = document.createElement('p');
    p.className = 'muted small';
    p.textContent = t('carry_none');
    box.replaceChildren(p);
    return;
  }
  box.replaceChildren(...free.map((h) => {
    const label = document.createElement('label');
    label.className = 'check';
    const el = document.createElement('input');
    el.type = 'checkbox';
    el.value = h;
    el.checked = on.has(h);
    label.append(el, ' ', val(h));
    return label;
  }));
}

// renderPreview shows the file's first records under its own headers,
// with the role each column is given.
function renderPreview() {
  const rep = state.report;
  const table = $('#preview');
  const headers = rep?.headers || [];
  if (!headers.length) { table.replaceChildren(); return; }
  const roleOf = {};
  for (const [role, col] of Object.entries(chosenRoles())) roleOf[col] = role;
  const row = (cells, tag, cls) => {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const el = document.createElement(tag);
      if (cls) el.className = cls;
      el.textContent = c;
      tr.append(el);
    }
    return tr;
  };
  const thead = document.createElement('thead');
  const roles = row(headers.map((h) => (roleOf[h] ? t(`role_${roleOf[h]}`) : '')), 'th', 'role');
  thead.append(row(headers, 'th', 'v'), roles);
  const tbody = document.createElement('tbody');
  for (const r of rep.preview || []) tbody.append(row(headers.map((_, i) => r[i] ?? ''), 'td', 'v'));
  table.replaceChildren(thead, tbody);
}

// readAgain parses the file again with the panel's choices.
function readAgain() {
  const options = { map: chosenRoles(), date_format: $('#date-format').value };
  const enc = $('#encoding').value;
  if (enc !== 'auto') options.encoding = enc;
  const carry = $$('#carry input:checked').map((x) => x.value);
  if (carry.length) options.carry = carry;
  return reloadWithOptions(options).catch(() => {});
}

export function bindMapping() {
  $('#apply-mapping').addEventListener('click', readAgain);
}
