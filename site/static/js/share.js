// Share links and scenario files: the scenario (never the data) travels in
// the URL's #s= as base64url JSON, and is saved to or loaded from a JSON
// file.

import { state } from './state.js';
import { $ } from './dom.js';
import { showError } from './status.js';
import { setScenario } from './run.js';
import { download } from './exports.js';

// updateHash puts the scenario in force in the URL.
export function updateHash() {
  const json = JSON.stringify(state.scenario);
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  history.replaceState(null, '', `#s=${b64}`);
}

// scenarioFromHash reads the scenario of a share link (null when there is
// none or it does not read).
export function scenarioFromHash() {
  const m = location.hash.match(/s=([\w-]+)/);
  if (!m) return null;
  try {
    const bin = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch { return null; }
}

// bindShare binds "Copy share link" and the scenario file's save and load.
export function bindShare() {
  $('#share').addEventListener('click', async () => {
    updateHash();
    try { await navigator.clipboard.writeText(location.href); } catch { /* clipboard may be denied */ }
    $('#share-note').hidden = false;
  });
  $('#export-scenario').addEventListener('click', () => download(`${state.scenario.name || 'scenario'}.json`, JSON.stringify(state.scenario, null, 2), 'application/json'));
  $('#import-scenario').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    try { await setScenario(JSON.parse(await f.text())); } catch (err) { showError(err.message); }
    e.target.value = '';
  });
}
