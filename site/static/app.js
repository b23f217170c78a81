// segsim page glue, the entry module: it wires the modules in js/ and
// starts the page. The page talks to the Web Worker that runs the Go core
// (js/rpc.js), renders knobs, tables and charts, and exposes window.segsim
// for automation (js/api.js).
//
// The modules only define functions and constants when they load (js/rpc.js
// also starts the core's worker); every binding and the start happen here,
// once all of them have loaded. So the imports between modules may go both
// ways (a knob re-scores, a re-score redraws the knobs).

import { state, clone } from './js/state.js';
import { setVocabulary } from './js/labels.js';
import { $$ } from './js/dom.js';
import { applyLang } from './js/i18n.js';
import { call, onProgress } from './js/rpc.js';
import { renderError, showError, showProgress, status } from './js/status.js';
import { resizeCharts } from './js/charts.js';
import { bindKnobs, renderTags } from './js/knobs.js';
import { bindCustomers } from './js/tables.js';
import { renderReports } from './js/reports.js';
import { render } from './js/view.js';
import { result } from './js/run.js';
import { bindLoad, loadSample, renderLoadSummary } from './js/load.js';
import { bindMapping, renderMapping } from './js/mapping.js';
import { bindPanels } from './js/panels.js';
import { bindExports } from './js/exports.js';
import { bindShare, scenarioFromHash } from './js/share.js';
import { api } from './js/api.js';

onProgress(showProgress);

document.addEventListener('securitypolicyviolation', (e) => {
  state.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

// setLang switches the page's language and says everything shown again.
function setLang(lang) {
  applyLang(lang);
  if (state.status) status(state.status);
  renderTags();
  renderError();
  renderLoadSummary();
  renderMapping(true);
  if (state.view) render();
  else if (state.report) renderReports();
}

// What works before the core is ready: the data bar, the Columns panel,
// the customer list, the exports and the language buttons.
bindMapping();
bindLoad();
bindCustomers();
bindExports();
$$('.lang button').forEach((b) => b.addEventListener('click', () => setLang(b.dataset.lang)));
window.addEventListener('resize', () => resizeCharts());

window.segsim = api;

// start reads the strings, presets and samples, sets the language, waits
// for the core, takes the scenario of a share link (or the defaults),
// binds the knobs and panels and loads the first sample (or ?sample=).
async function start() {
  const [dict, presets, samples] = await Promise.all(['i18n.json', 'presets.json', 'samples.json'].map(async (f) => (await fetch(f)).json()));
  state.dict = dict;
  state.presets = presets;
  setVocabulary(presets.vocabulary);
  state.samples = samples;
  const saved = localStorage.getItem('segsim.lang');
  setLang(saved || (navigator.language.startsWith('zh') ? 'zh' : 'en'));
  await call('ready');
  state.defaults = await call('defaults');
  state.pointsOpts = clone(state.defaults.plan.points);
  state.scenario = scenarioFromHash() || clone(state.defaults);
  bindKnobs();
  bindShare();
  bindPanels();
  renderTags();
  const params = new URLSearchParams(location.search);
  const sample = params.get('sample') ?? samples[0]?.file;
  if (sample) await loadSample(sample);
  return result();
}
window.segsim.ready = start().catch((e) => { showError(e.message); throw e; });
