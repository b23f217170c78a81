// Share links and scenario files: the scenario travels in the URL's #s=
// as base64url JSON, with #d= naming the bundled sample it was made on
// (an uploaded file never travels: the link says so), and is saved to or
// loaded from a JSON file.

import { state } from './state.js';
import { $ } from './dom.js';
import { t } from './i18n.js';
import { showError } from './status.js';
import { setScenario } from './run.js';
import { download } from './exports.js';
import { keepScenario } from './keep.js';

// toLink writes a value as base64url JSON for a link's hash; fromLink
// reads it back (and throws when it does not read).
export const toLink = (v) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(v)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export function fromLink(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

let hashTimer = 0;

// updateHash puts the scenario in force in the URL, and the sample it runs
// on when the data is a bundled sample.
export function updateHash() {
  clearTimeout(hashTimer);
  hashTimer = 0;
  const b64 = toLink(state.scenario);
  const d = state.sample ? `d=${encodeURIComponent(state.sample)}&` : '';
  history.replaceState(null, '', `#${d}s=${b64}`);
  keepScenario();
}

// updateHashSoon puts the scenario in the URL once the knobs have been
// still for HASH_WAIT ms: Chromium takes 2–3 ms to write a URL this long,
// a good part of a slider move's 7 ms round trip.
const HASH_WAIT = 150;
export function updateHashSoon() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(updateHash, HASH_WAIT);
}

// flushHash writes the URL now if a knob's change is still waiting for it.
export function flushHash() {
  if (hashTimer) updateHash();
}
addEventListener('pagehide', flushHash);

// linkFromHash reads a share link: {scenario, sample, bad} — the scenario
// (null when there is none), the sample it names, and bad when the link
// holds a scenario that does not read (cut short, say).
export function linkFromHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  const out = { scenario: null, sample: h.get('d') || null, bad: false };
  const s = h.get('s');
  if (s == null) return out;
  try {
    out.scenario = fromLink(s);
    if (!out.scenario || typeof out.scenario !== 'object' || Array.isArray(out.scenario)) throw new Error('not a scenario');
  } catch {
    out.scenario = null;
    out.bad = true;
  }
  return out;
}

// bindShare binds "Copy share link" and the scenario file's save and load.
export function bindShare() {
  $('#share').addEventListener('click', async () => {
    updateHash();
    try { await navigator.clipboard.writeText(location.href); } catch { /* clipboard may be denied */ }
    const note = $('#share-note');
    note.dataset.i18n = state.sample ? 'share_done' : 'share_done_upload';
    note.textContent = t(note.dataset.i18n);
    note.hidden = false;
  });
  $('#export-scenario').addEventListener('click', () => download(`${state.scenario.name || 'scenario'}.json`, JSON.stringify(state.scenario, null, 2), 'application/json'));
  $('#import-scenario').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    try { await setScenario(JSON.parse(await f.text())); } catch (err) { showError(err.message); }
    e.target.value = '';
  });
}
