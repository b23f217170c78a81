// Guided lessons: each lesson (a JSON file: built in, loaded from a file
// or carried by a link) names a dataset and a scenario to start from, and
// steps with a task, the page state the task asks for, the answer checked
// against the participant's own live result, and a reveal. "Check my
// answer" says right, wrong, or what is not set yet.

import { state, clone } from './state.js';
import { $ } from './dom.js';
import { t, fill, fmtInt, fmtNum, fmtPct } from './i18n.js';
import { setScenario, result, settled } from './run.js';
import { loadSample } from './load.js';
import { fromLink, toLink } from './share.js';

// text is a lesson string in the page's language.
const text = (v) => (v && typeof v === 'object' ? v[state.lang] || v.en || '' : String(v ?? ''));

// checkLesson returns the problems of a lesson object ([] when it can be
// used): what a trainer's file must hold.
export function checkLesson(l) {
  const bad = [];
  const both = (v, where) => { if (!v || typeof v !== 'object' || !v.en || !v.zh) bad.push(`${where}: needs "en" and "zh" text`); };
  if (!l || typeof l !== 'object') return ['not a JSON object'];
  if (!l.id || typeof l.id !== 'string') bad.push('id: missing');
  both(l.title, 'title');
  if (!state.samples.some((s) => s.file === l.dataset)) bad.push(`dataset: "${l.dataset}" is not a bundled sample (${state.samples.map((s) => s.file).join(', ')})`);
  if (l.scenario != null && (typeof l.scenario !== 'object' || Array.isArray(l.scenario))) bad.push('scenario: not an object');
  if (!Array.isArray(l.steps) || !l.steps.length) bad.push('steps: none');
  (l.steps || []).forEach((s, i) => {
    both(s.task, `steps[${i}].task`);
    both(s.reveal, `steps[${i}].reveal`);
    if (!s.answer || metric(null, s.answer.metric) === undefined) bad.push(`steps[${i}].answer.metric: "${s.answer?.metric}" is not a known metric`);
    (s.requires || []).forEach((q, k) => {
      if (!/^(scenario|page)\./.test(q.path || '')) bad.push(`steps[${i}].requires[${k}].path: starts with scenario. or page.`);
      both(q.hint, `steps[${i}].requires[${k}].hint`);
    });
  });
  return bad;
}

// metric reads a number from a result: customers, revenue,
// segment:NAME / class:NAME / tier:NAME / stage:NAME (customers, or
// .customer_share / .revenue_share), plan.contacted / plan.holdout /
// plan.cost / plan.profit. With no result it returns null for a known
// metric and undefined for an unknown one.
export function metric(r, name) {
  const m = /^(segment|class|tier|stage):([a-z0-9_]+)(?:\.(customer_share|revenue_share))?$/.exec(name || '');
  if (m) {
    if (!r) return null;
    const list = { segment: r.segments, class: r.classes, tier: r.tiers, stage: r.stages }[m[1]] || [];
    const g = list.find((x) => x.name === m[2]);
    if (!g) return 0;
    if (m[3] === 'customer_share') return g.customers / r.customers;
    if (m[3] === 'revenue_share') return g.revenue / r.revenue;
    return g.customers;
  }
  const plan = { 'plan.contacted': (p) => p.total.contacted, 'plan.cost': (p) => p.total.cost, 'plan.profit': (p) => p.total.profit, 'plan.holdout': (p) => p.segments.reduce((a, g) => a + g.holdout, 0) }[name];
  if (plan) return r ? (r.plan ? plan(r.plan) : NaN) : null;
  if (name === 'customers' || name === 'revenue') return r ? r[name] : null;
  return undefined;
}

// pathValue reads scenario.X.Y from the scenario in force, page.plan from
// the page.
function pathValue(p) {
  if (p === 'page.plan') return state.planOn;
  let v = state.scenario;
  for (const k of p.replace(/^scenario\./, '').split('.')) v = v?.[k];
  return v;
}

// parseAnswer reads what a participant typed: 1,234 / 12.5% / ¥3,400.
export function parseAnswer(s) {
  const v = Number(String(s).replace(/[,\s¥￥$%，]/g, ''));
  return String(s).trim() === '' || !Number.isFinite(v) ? NaN : v;
}

// check compares the typed answer of the current step with the live
// result: {verdict: right | wrong | not_yet | no_answer, hint, expected}.
export function check(typed) {
  const l = state.lesson;
  const s = l.steps[state.lessonStep];
  for (const q of s.requires || []) {
    const v = pathValue(q.path);
    const ok = q.equals !== undefined ? v === q.equals : (q.min === undefined || v >= q.min) && (q.max === undefined || v <= q.max);
    if (!ok) return { verdict: 'not_yet', hint: text(q.hint) };
  }
  let expected = metric(result(), s.answer.metric);
  if (s.answer.format === 'pct') expected *= 100;
  const got = parseAnswer(typed);
  if (Number.isNaN(got)) return { verdict: 'no_answer', expected };
  const ok = Math.abs(got - expected) <= (s.answer.tolerance ?? 0) + 1e-9;
  return { verdict: ok ? 'right' : 'wrong', expected };
}

// show formats an expected value the way the step asks for it.
const show = (v, f) => (f === 'pct' ? fmtPct(v / 100) : f === 'money' ? fmtNum(v, 2) : fmtInt(Math.round(v)));

// startLesson loads a lesson's dataset and scenario and shows step.
export async function startLesson(l, step = 0) {
  const bad = checkLesson(l);
  if (bad.length) {
    state.lessonError = bad.join('; ');
    renderLesson();
    return false;
  }
  state.lesson = l;
  state.lessonStep = Math.max(0, Math.min(step, l.steps.length - 1));
  state.lessonError = state.lessonCheck = null;
  state.lessonRevealed = false;
  state.planOn = false;
  $('#plan-on').checked = false;
  await setScenario({ ...clone(state.defaults), ...clone(l.scenario || {}), plan: { ...clone(state.defaults.plan), ...clone(l.scenario?.plan || {}) } });
  if (state.loaded !== l.dataset) await loadSample(l.dataset);
  await settled();
  renderLesson();
  return true;
}

// renderLesson shows the lesson in progress.
export function renderLesson() {
  const sel = $('#lesson-pick');
  const list = state.lessons || [];
  if (sel.options.length !== list.length || [...sel.options].some((o, i) => o.textContent !== text(list[i].title))) {
    const keep = sel.value;
    sel.replaceChildren(...list.map((l) => new Option(text(l.title), l.id)));
    if (keep) sel.value = keep;
  }
  const err = $('#lesson-error');
  err.hidden = !state.lessonError;
  err.textContent = state.lessonError ? fill('lesson_bad', { e: state.lessonError }) : '';
  const l = state.lesson;
  $('#lesson-body').hidden = !l;
  if (!l) return;
  const s = l.steps[state.lessonStep];
  $('#lesson-title').textContent = text(l.title);
  $('#lesson-step').textContent = fill('lesson_step', { n: fmtInt(state.lessonStep + 1), of: fmtInt(l.steps.length) });
  $('#lesson-task').textContent = text(s.task);
  $('#lesson-answer-unit').textContent = s.answer.format === 'pct' ? '%' : '';
  $('#lesson-prev').disabled = state.lessonStep === 0;
  $('#lesson-next').disabled = state.lessonStep >= l.steps.length - 1;
  const c = state.lessonCheck;
  const v = $('#lesson-verdict');
  v.className = c ? `verdict-${c.verdict}` : '';
  v.textContent = !c ? '' : c.verdict === 'not_yet' ? fill('lesson_not_yet', { hint: c.hint }) : t(`lesson_${c.verdict}`);
  const r = $('#lesson-revealed');
  r.hidden = !state.lessonRevealed;
  if (state.lessonRevealed) {
    let expected = metric(result(), s.answer.metric);
    if (s.answer.format === 'pct') expected *= 100;
    r.textContent = `${fill('lesson_expected', { v: show(expected, s.answer.format) })} ${text(s.reveal)}`;
  }
}

// lessonLink is a link that opens the lesson at its current step for the
// whole room: a built-in lesson by id, a loaded one carried whole.
export function lessonLink() {
  const l = state.lesson;
  if (!l) return '';
  const builtIn = (state.builtinLessons || []).some((x) => x.id === l.id);
  const part = builtIn ? `lesson=${encodeURIComponent(l.id)}` : `lessonfile=${toLink(l)}`;
  return `${location.origin}${location.pathname}#${part}&step=${state.lessonStep + 1}`;
}

// lessonFromHash reads a lesson link: {lesson, step} or null; a link
// whose lesson does not read gives {error}.
export function lessonFromHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  const step = Math.max(1, Number(h.get('step')) || 1) - 1;
  if (h.get('lesson')) {
    const l = (state.builtinLessons || []).find((x) => x.id === h.get('lesson'));
    return l ? { lesson: l, step } : { error: `no lesson "${h.get('lesson')}"` };
  }
  if (h.get('lessonfile')) {
    try {
      return { lesson: fromLink(h.get('lessonfile')), step };
    } catch (e) {
      return { error: e.message };
    }
  }
  return null;
}

// bindLessons wires the panel.
export function bindLessons() {
  $('#lesson-start').addEventListener('click', () => {
    const l = (state.lessons || []).find((x) => x.id === $('#lesson-pick').value);
    if (l) startLesson(l, 0);
  });
  $('#lesson-file').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    e.target.value = '';
    if (!f) return;
    let l;
    try {
      l = JSON.parse(await f.text());
    } catch (err) {
      state.lessonError = err.message;
      renderLesson();
      return;
    }
    if (checkLesson(l).length === 0) {
      state.lessons = [...(state.lessons || []).filter((x) => x.id !== l.id), l];
      $('#lesson-pick').value = l.id;
    }
    startLesson(l, 0);
  });
  $('#lesson-check').addEventListener('click', async () => {
    await settled();
    state.lessonCheck = check($('#lesson-answer').value);
    renderLesson();
  });
  $('#lesson-reveal').addEventListener('click', () => { state.lessonRevealed = true; renderLesson(); });
  const move = (d) => {
    state.lessonStep += d;
    state.lessonCheck = null;
    state.lessonRevealed = false;
    $('#lesson-answer').value = '';
    renderLesson();
  };
  $('#lesson-prev').addEventListener('click', () => move(-1));
  $('#lesson-next').addEventListener('click', () => move(1));
  $('#lesson-link').addEventListener('click', async () => {
    const link = lessonLink();
    try { await navigator.clipboard.writeText(link); } catch { /* clipboard may be denied */ }
    $('#lesson-link-note').textContent = link ? t('lesson_link_done') : '';
  });
}
