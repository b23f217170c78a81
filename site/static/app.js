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
import { applyLang, t, fmtDate } from './js/i18n.js';
import { call, onProgress } from './js/rpc.js';
import { renderError, showError, showProgress, status } from './js/status.js';
import { resizeCharts } from './js/charts.js';
import { bindKnobs, renderTags } from './js/knobs.js';
import { bindCustomers } from './js/tables.js';
import { renderReports } from './js/reports.js';
import { render } from './js/view.js';
import { result, settled } from './js/run.js';
import { bindLoad, loadBlob, loadSample, renderLoadSummary } from './js/load.js';
import { bindMapping, renderMapping } from './js/mapping.js';
import { bindPanels } from './js/panels.js';
import { bindExports } from './js/exports.js';
import { bindShare, linkFromHash } from './js/share.js';
import { api } from './js/api.js';
import { bindReadout, renderReadout } from './js/readout.js';
import { bindKeep, renderKeep, restoreKept, showKeepNote } from './js/keep.js';
import { bindSnapshots, renderSnapshotCmp, renderSnapshotList } from './js/snapshots.js';
import { bindOffline } from './js/offline.js';
import { bindPresent } from './js/present.js';
import { bindLessons, lessonFromHash, renderLesson, startLesson } from './js/lessons.js';
import { bindExplain, renderGlossary } from './js/explain.js';
import { bindCompareExport } from './js/compare.js';

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
  renderReadout();
  renderKeep();
  renderLesson();
  renderGlossary();
  renderSnapshotList();
  renderSnapshotCmp();
  if (state.view) render();
  else if (state.report) renderReports();
}

// What works before the core is ready: the data bar, the Columns panel,
// the customer list, the exports and the language buttons.
bindMapping();
bindLoad();
bindCustomers();
bindExports();
bindReadout();
bindKeep();
bindSnapshots();
bindOffline();
bindPresent();
bindLessons();
bindExplain();
bindCompareExport();
$$('.lang button').forEach((b) => b.addEventListener('click', () => setLang(b.dataset.lang)));
window.addEventListener('resize', () => resizeCharts());

window.segsim = api;

// start reads the strings, presets and samples, sets the language, waits
// for the core, takes the scenario of a share link (or the defaults),
// binds the knobs and panels and loads the first sample (or ?sample=).
async function start() {
  const [dict, presets, samples, lessons] = await Promise.all(['i18n.json', 'presets.json', 'samples.json', 'lessons.json'].map(async (f) => (await fetch(f)).json()));
  state.builtinLessons = lessons;
  state.lessons = [...lessons];
  const lesson = lessonFromHash(); // read before a run rewrites the hash
  state.dict = dict;
  state.presets = presets;
  setVocabulary(presets.vocabulary);
  state.samples = samples;
  const saved = localStorage.getItem('segsim.lang');
  setLang(saved || (navigator.language.startsWith('zh') ? 'zh' : 'en'));
  await call('ready', { cores: navigator.hardwareConcurrency || 1 });
  state.defaults = await call('defaults');
  state.pointsOpts = clone(state.defaults.plan.points);
  // A share link: its scenario on its sample. One that does not read, or
  // that the core refuses, says so and leaves the defaults.
  const link = linkFromHash();
  // What this browser kept (when the user opted in): the link's scenario
  // and sample win over it.
  const kept = await restoreKept();
  const keptScenario = link.scenario || link.bad ? null : kept?.scenario;
  state.scenario = link.scenario ? overlay(clone(state.defaults), link.scenario) : keptScenario ? overlay(clone(state.defaults), keptScenario) : clone(state.defaults);
  bindKnobs();
  bindShare();
  bindPanels();
  renderTags();
  const params = new URLSearchParams(location.search);
  let sample = params.get('sample') ?? link.sample ?? lesson?.lesson?.dataset ?? samples[0]?.file;
  let note = link.bad ? 'link_bad' : '';
  if (sample && !samples.some((x) => x.file === sample)) {
    note = 'link_no_sample';
    sample = samples[0]?.file;
  }
  const keptFile = !params.get('sample') && !link.sample && !lesson ? kept?.file : null;
  if (keptFile && !samples.some((x) => x.file === keptFile.name)) {
    try {
      await loadBlob(keptFile.blob, keptFile.name, keptFile.options || {});
      showKeepNote('keep_restored', { name: keptFile.name, date: fmtDate(keptFile.saved.slice(0, 10)) });
      return result();
    } catch {
      // The kept file no longer loads: the sample does.
    }
  } else if (keptFile) {
    sample = keptFile.name;
  }
  if (sample) {
    try {
      await loadSample(sample);
    } catch (e) {
      if (!link.scenario) throw e;
      // The link's scenario does not run: the defaults do.
      note = 'link_bad';
      state.scenario = clone(state.defaults);
      await loadSample(sample);
    }
  }
  if (note) showError(t(note));
  // A lesson link opens its lesson step on the lesson's data.
  if (lesson?.lesson) await startLesson(lesson.lesson, lesson.step);
  else if (lesson?.error) showError(t('link_bad'));
  renderLesson();
  await settled(); // ready means the page has stopped moving
  return result();
}
// overlay lays a partial scenario (as a hand-written link may hold) over a
// whole one, as the core does: objects merge, anything else replaces.
function overlay(base, top) {
  for (const [k, v] of Object.entries(top)) {
    base[k] = v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k]) ? overlay(base[k], v) : v;
  }
  return base;
}

window.segsim.ready = start().catch((e) => { showError(e.message); throw e; });
