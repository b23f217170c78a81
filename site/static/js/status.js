// The status line, the progress bar and the error box.

import { state } from './state.js';
import { $ } from './dom.js';
import { t, fillNodes, plain, fmtPct } from './i18n.js';
import { missingList } from './labels.js';

// status says what the page is doing (a message key, said again when the
// language changes).
export function status(key) {
  state.status = key;
  $('#status').textContent = t(key);
}

// showProgress shows the worker's progress in reading or parsing a file.
export function showProgress(p) {
  const bar = $('#progress');
  bar.max = p.total || 1;
  bar.value = p.done;
  $('#status').textContent = `${t(p.phase)} ${fmtPct(p.total ? p.done / p.total : 0)}`;
}

// showError shows a message that is already in words (a scenario the core
// refused); showLoadError a load's error, translated by its code.
export function showError(msg) {
  state.error = msg ? { text: msg } : null;
  renderError();
}
export function showLoadError(e) {
  const d = e.details || {};
  state.error = { code: d.code || 'error', kind: d.kind || '', missing: d.missing || [], ambiguous: d.ambiguous || null, sheet: d.sheet || '', message: e.message };
  renderError();
}

export function renderError() {
  const box = $('#error');
  const e = state.error;
  box.hidden = !e;
  const text = $('#error-text');
  const advice = $('#error-advice');
  advice.hidden = true;
  text.removeAttribute('title');
  if (!e) { text.replaceChildren(); advice.replaceChildren(); return; }
  if (e.text) { text.textContent = `${t('error')}: ${e.text}`; return; }
  let nodes;
  switch (e.code) {
    case 'missing_column':
      nodes = fillNodes('err_missing_column', { roles: plain(missingList(e.missing)) });
      break;
    case 'not_text': {
      const kind = state.dict.en[`what_${e.kind}`] ? e.kind : 'binary';
      nodes = fillNodes('err_not_text', { what: plain(t(`what_${kind}`)) });
      advice.textContent = t(`advice_${kind}`);
      advice.hidden = false;
      break;
    }
    case 'ambiguous_dates':
      nodes = fillNodes('err_ambiguous_dates', { col: e.ambiguous?.column || '', ex: (e.ambiguous?.examples || []).slice(0, 3).join(', ') });
      break;
    case 'no_sheet':
      nodes = fillNodes('err_no_sheet', { sheet: e.sheet });
      break;
    case 'xlsx_unreadable':
    case 'parquet_unreadable':
      nodes = fillNodes(`err_${e.code}`, {});
      advice.textContent = t(`advice_${e.code}`);
      advice.hidden = false;
      break;
    default: {
      const key = state.dict.en[`err_${e.code}`] ? `err_${e.code}` : 'err_error';
      nodes = fillNodes(key, {});
      if (key === 'err_error' || e.code === 'bad_options') {
        // The core's own words: shown in English, a tooltip in Chinese.
        if (state.lang === 'en') nodes.push(document.createTextNode(` (${e.message})`));
        else text.title = e.message;
      }
    }
  }
  text.replaceChildren(document.createTextNode(`${t('error')}: `), ...nodes);
}
