// Work kept between visits, on this device only. With "Keep my data in
// this browser" on, the last file loaded (its bytes, name and read
// options), the scenario in force and the named scenarios are kept in the
// browser's IndexedDB; a reload restores them with no upload. "Forget"
// deletes all of it. Nothing is kept until the user opts in, and nothing
// ever leaves the browser.

import { state, clone } from './state.js';
import { $ } from './dom.js';
import { t, fill, fmtDate } from './i18n.js';
import { setScenario } from './run.js';

const DB = 'segsim';
const STORE = 'kept';
const FLAG = 'segsim.keep';

export const keepOn = () => localStorage.getItem(FLAG) === '1';

function open() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

// store runs one request on the kept store and settles with its result.
async function store(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const r = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(r?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const kept = (key) => store('readonly', (s) => s.get(key));
const put = (key, value) => store('readwrite', (s) => s.put(value, key));

// keepFile keeps the file just loaded, when keeping is on.
export async function keepFile(blob, name, options) {
  if (!keepOn() || !blob) return;
  try {
    await put('file', { blob, name, options: clone(options || {}), saved: new Date().toISOString() });
  } catch (e) {
    showKeepNote('keep_failed', { e: e.message });
  }
}

let scenarioTimer = 0;
// keepScenario keeps the scenario in force (at most every half second).
export function keepScenario() {
  if (!keepOn()) return;
  clearTimeout(scenarioTimer);
  scenarioTimer = setTimeout(() => { put('scenario', clone(state.scenario)).catch(() => {}); }, 500);
}

// flushScenario keeps the scenario in force now.
async function flushScenario() {
  clearTimeout(scenarioTimer);
  if (keepOn() && state.scenario) await put('scenario', clone(state.scenario));
}

// restoreKept returns what a reload should restore — {file, scenario},
// each null when not kept — or null when keeping is off.
export async function restoreKept() {
  if (!keepOn()) return null;
  try {
    return { file: (await kept('file')) || null, scenario: (await kept('scenario')) || null };
  } catch {
    return null;
  }
}

const savedList = async () => (await kept('scenarios')) || [];

// saveScenario keeps the scenario in force under a name (replacing one of
// the same name).
export async function saveScenario(name) {
  name = name.trim();
  if (!name || !keepOn()) return;
  const list = (await savedList()).filter((x) => x.name !== name);
  list.push({ name, scenario: clone(state.scenario), saved: new Date().toISOString() });
  list.sort((a, b) => a.name.localeCompare(b.name));
  await put('scenarios', list);
  await renderKeep();
}

// openScenario makes a saved scenario the one in force.
export async function openScenario(name) {
  const hit = (await savedList()).find((x) => x.name === name);
  if (hit) await setScenario(hit.scenario);
}

export async function deleteScenario(name) {
  await put('scenarios', (await savedList()).filter((x) => x.name !== name));
  await renderKeep();
}

// Snapshots: the per-customer states of a run, kept to compare a later
// run with (this month against last). Each is {asof, by, saved, text}
// with text as the core wrote it.
export const snapshots = async () => (keepOn() ? (await kept('snapshots')) || [] : []);

// keepSnapshot keeps a snapshot, replacing one of the same as-of date and
// grouping.
export async function keepSnapshot(asof, by, text) {
  if (!keepOn()) return false;
  const list = (await snapshots()).filter((x) => !(x.asof === asof && x.by === by));
  list.push({ asof, by, saved: new Date().toISOString(), text });
  list.sort((a, b) => (a.asof < b.asof ? 1 : a.asof > b.asof ? -1 : a.by.localeCompare(b.by)));
  await put('snapshots', list);
  return true;
}

// forget deletes everything kept and turns keeping off.
export async function forget() {
  localStorage.removeItem(FLAG);
  clearTimeout(scenarioTimer);
  await new Promise((resolve) => {
    const r = indexedDB.deleteDatabase(DB);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
  showKeepNote('keep_forgotten');
  await renderKeep();
  document.dispatchEvent(new Event('segsim:kept'));
}

// setKeep turns keeping on (keeping the file and scenario in force at
// once) or off (deleting what was kept).
export async function setKeep(on) {
  if (!on) return forget();
  localStorage.setItem(FLAG, '1');
  if (state.blob) await keepFile(state.blob, state.name, state.options);
  await flushScenario();
  showKeepNote('keep_on');
  await renderKeep();
  document.dispatchEvent(new Event('segsim:kept'));
}

// showKeepNote says what keeping did, under the switch.
export function showKeepNote(key, vars = {}) {
  const el = $('#keep-note');
  el.textContent = fill(key, vars);
  el.hidden = false;
}

// renderKeep shows the switch, and the saved scenarios when keeping is on.
export async function renderKeep() {
  const on = keepOn();
  $('#keep-data').checked = on;
  $('#forget-data').disabled = !on;
  $('#saved-box').hidden = !on;
  if (!on) return;
  let list = [];
  try { list = await savedList(); } catch { /* no store yet */ }
  const sel = $('#saved-scenarios');
  sel.replaceChildren(...list.map((x) => new Option(`${x.name} (${fmtDate(x.saved.slice(0, 10))})`, x.name)));
  $('#open-scenario').disabled = $('#delete-scenario').disabled = list.length === 0;
  sel.disabled = list.length === 0;
  if (!list.length) sel.append(new Option(t('saved_none'), ''));
}

// bindKeep wires the switch, "Forget" and the saved scenarios.
export function bindKeep() {
  $('#keep-data').addEventListener('change', (e) => { setKeep(e.target.checked); });
  $('#forget-data').addEventListener('click', () => { forget(); });
  $('#save-scenario').addEventListener('click', () => {
    const name = $('#scenario-name').value || state.scenario?.name || '';
    saveScenario(name).then(() => { $('#scenario-name').value = ''; });
  });
  $('#open-scenario').addEventListener('click', () => { openScenario($('#saved-scenarios').value); });
  $('#delete-scenario').addEventListener('click', () => { deleteScenario($('#saved-scenarios').value); });
  renderKeep();
}
