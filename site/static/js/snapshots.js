// Snapshots in the Migration panel: the per-customer classes or stages of
// a run, kept in this browser (with "Keep my data" on), and a later run
// compared with one of them customer by customer: who stayed, who moved
// where, who is new, who is gone. The core counts (session.CompareSnapshot).

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fill, fmtDate, fmtInt } from './i18n.js';
import { labelOf } from './labels.js';
import { call } from './rpc.js';
import { keepOn, keepSnapshot, snapshots } from './keep.js';

const byLabel = (by) => t(by === 'stage' ? 'stage' : 'class').replace(/^RFM /, '');

// renderSnapshotList lists the kept snapshots of the panel's grouping.
export async function renderSnapshotList() {
  const list = (await snapshots().catch(() => [])).filter((x) => x.by === state.migrationBy);
  const sel = $('#snapshot-list');
  const keep = sel.value;
  sel.replaceChildren(...list.map((x) => new Option(fill('snapshot_item', { asof: fmtDate(x.asof), by: byLabel(x.by) }), x.asof)));
  if (!list.length) sel.append(new Option(t('snapshot_none'), ''));
  if (list.some((x) => x.asof === keep)) sel.value = keep;
  sel.disabled = $('#snapshot-compare').disabled = !list.length;
}

// saveSnapshot keeps the current run's states by the panel's grouping.
export async function saveSnapshot() {
  const note = $('#snapshot-note');
  if (!keepOn()) {
    note.textContent = t('snapshot_need_keep');
    return false;
  }
  const by = state.migrationBy;
  const text = await call('snapshot', { by });
  const asof = JSON.parse(text.slice(0, text.indexOf(',"by"')) + '}').asof;
  await keepSnapshot(asof, by, text);
  note.textContent = fill('snapshot_kept', { asof: fmtDate(asof), by: byLabel(by) });
  await renderSnapshotList();
  return true;
}

// compareSnapshot compares the chosen snapshot with the current run.
export async function compareSnapshot(asof) {
  const hit = (await snapshots()).find((x) => x.asof === asof && x.by === state.migrationBy);
  if (!hit) return null;
  try {
    state.snapshotCmp = await call('compareSnapshot', { text: hit.text });
    state.snapshotErr = '';
  } catch (e) {
    state.snapshotCmp = null;
    state.snapshotErr = e.message;
  }
  renderSnapshotCmp();
  return state.snapshotCmp;
}

// renderSnapshotCmp shows the comparison as a table: snapshot states down,
// current states across, the new customers below and the gone at right.
export function renderSnapshotCmp() {
  const c = state.snapshotCmp;
  $('#snapshot-body').hidden = !c;
  if (state.snapshotErr) $('#snapshot-note').textContent = fill('snapshot_err', { e: state.snapshotErr });
  if (!c) return;
  const m = c.matrix;
  const kind = c.by === 'stage' ? 'stage' : 'class';
  let stay = 0;
  let moved = 0;
  m.counts.forEach((row, i) => row.forEach((n, j) => { if (i === j) stay += n; else moved += n; }));
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  $('#snapshot-summary').textContent = fill('snapshot_summary', {
    from: fmtDate(c.from), to: fmtDate(c.to), stay: fmtInt(stay), moved: fmtInt(moved), new: fmtInt(sum(m.entered)), gone: fmtInt(sum(c.gone)),
  });
  const head = [t('snapshot_from_to'), ...m.states.map((s) => labelOf(kind, s)), t('snapshot_gone')];
  const rows = m.counts.map((row, i) => [labelOf(kind, m.states[i]), ...row.map(fmtInt), fmtInt(c.gone[i])]);
  rows.push([t('snapshot_new'), ...m.entered.map(fmtInt), '']);
  table($('#snapshot-table'), head, rows);
}

// bindSnapshots wires the panel's snapshot buttons.
export function bindSnapshots() {
  $('#snapshot-save').addEventListener('click', () => { saveSnapshot().catch((e) => { $('#snapshot-note').textContent = e.message; }); });
  $('#snapshot-compare').addEventListener('click', () => { compareSnapshot($('#snapshot-list').value); });
  $('#migration-by').addEventListener('change', () => {
    state.snapshotCmp = null;
    renderSnapshotCmp();
    renderSnapshotList();
  });
  document.addEventListener('segsim:kept', () => { renderSnapshotList(); });
  renderSnapshotList();
}
