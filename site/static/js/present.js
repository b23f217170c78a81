// Finding one's way: the section bar under the KPIs lists the page's
// sections (each named by its heading, in the page's language) and jumps
// to one; the knobs column folds away; presenter view, for a projector,
// shows one section at a time in large type, stepped with the arrow or
// page keys (Escape leaves it).

import { state } from './state.js';
import { $, $$ } from './dom.js';
import { resizeCharts } from './charts.js';

// steps are the sections of the results, in page order.
const steps = () => $$('#results > section');

// stepKey is a section's name: the message key of its heading.
const stepKey = (el) => el.querySelector('h3 [data-i18n]')?.dataset.i18n || el.id;

// renderSteps draws the section bar (once; the labels translate with the
// page since they carry their message keys).
function renderSteps() {
  const nav = $('#steps');
  nav.replaceChildren(...steps().map((el, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.i18n = stepKey(el);
    b.textContent = el.querySelector('h3 [data-i18n]')?.textContent || el.id;
    b.addEventListener('click', () => go(i, true));
    return b;
  }));
  const count = document.createElement('span');
  count.id = 'step-count';
  count.className = 'muted';
  nav.append(count);
}

// go shows section i: in presenter view it is the only one shown; else
// the page scrolls to it.
function go(i, scroll) {
  const list = steps();
  state.step = Math.max(0, Math.min(list.length - 1, i));
  list.forEach((el, k) => el.classList.toggle('current', k === state.step));
  $$('#steps button').forEach((b, k) => b.classList.toggle('on', state.presenter && k === state.step));
  $('#step-count').textContent = state.presenter ? `${state.step + 1} / ${list.length}` : '';
  if (state.presenter) {
    window.scrollTo(0, 0);
    resizeCharts();
  } else if (scroll) {
    const bar = $('#summary-bar').getBoundingClientRect().height;
    window.scrollTo({ top: list[state.step].getBoundingClientRect().top + window.scrollY - bar - 8 });
  }
}

// setPresenter turns presenter view on or off.
export function setPresenter(on) {
  state.presenter = !!on;
  document.body.classList.toggle('presenter', state.presenter);
  $('#presenter').setAttribute('aria-pressed', String(state.presenter));
  if (state.presenter) setKnobs(false);
  else setKnobs(true);
  go(state.step || 0, false);
  requestAnimationFrame(() => resizeCharts());
}

// setKnobs shows or folds the knobs column.
export function setKnobs(on) {
  document.body.classList.toggle('knobs-hidden', !on);
  $('#knobs-toggle').setAttribute('aria-expanded', String(!!on));
  requestAnimationFrame(() => resizeCharts());
}

// step moves presenter view by d sections.
export const step = (d) => go((state.step || 0) + d, false);

// bindPresent wires the section bar, the two view buttons and the keys.
export function bindPresent() {
  renderSteps();
  state.step = 0;
  $('#presenter').addEventListener('click', () => setPresenter(!state.presenter));
  $('#knobs-toggle').addEventListener('click', () => setKnobs(document.body.classList.contains('knobs-hidden')));
  document.addEventListener('keydown', (e) => {
    if (!state.presenter || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target.closest?.('input, select, textarea, [contenteditable]')) return;
    const d = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 }[e.key];
    if (d) {
      e.preventDefault();
      step(d);
    } else if (e.key === 'Escape') {
      setPresenter(false);
    }
  });
}
