// The interface strings and number formats in the page's language: t()
// looks a message up, fill() and fillNodes() put values into it, and
// applyLang() switches the static text of the page (the views are said
// again by the entry script).

import { state } from './state.js';
import { $$ } from './dom.js';

export const t = (key) => state.dict[state.lang][key] ?? state.dict.en[key] ?? key;

// fill is t() with {name} placeholders filled from vars.
export const fill = (key, vars) => t(key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

// fillNodes is fill() as DOM nodes: the values (column names, cell values,
// file and sheet names) go into spans of class v, the rest is text.
export function fillNodes(key, vars) {
  const out = [];
  const text = t(key);
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    out.push(document.createTextNode(text.slice(last, m.index)));
    const v = vars[m[1]];
    if (v instanceof Node) out.push(v);
    else if (v && typeof v === 'object') out.push(document.createTextNode(v.text ?? ''));
    else out.push(val(v ?? ''));
    last = m.index + m[0].length;
  }
  out.push(document.createTextNode(text.slice(last)));
  return out;
}

// val is a value in a sentence: a span of class v.
export function val(text) {
  const el = document.createElement('span');
  el.className = 'v';
  el.textContent = text;
  return el;
}

// plain marks a fillNodes() value as words of the page (no span).
export const plain = (text) => ({ text });
export const listOf = (items) => items.join(t('list_sep'));

export const locale = () => (state.lang === 'zh' ? 'zh-CN' : 'en-US');
// Number formats per locale, made once: building an Intl formatter costs
// far more than using one.
const formats = {};
function nf(name, opts) {
  const key = `${locale()}|${name}`;
  return (formats[key] ??= new Intl.NumberFormat(locale(), opts));
}
export const fmtInt = (n) => nf('int').format(n);
export const fmtMoney = (n) => nf('money', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
export const fmtPct = (x) => nf('pct', { style: 'percent', maximumFractionDigits: 1 }).format(x);
export const fmtNum = (n, d = 1) => nf(`num${d}`, { maximumFractionDigits: d }).format(n);
export function fmtDate(s) {
  if (!s) return '–';
  const [y, m, d] = s.split('-').map(Number);
  const key = `${locale()}|date`;
  formats[key] ??= new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' });
  return formats[key].format(Date.UTC(y, m - 1, d));
}

// applyLang makes lang the page's language (remembered in localStorage)
// and switches the page's static text: elements with data-i18n, the title
// and the language buttons.
export function applyLang(lang) {
  state.lang = lang === 'zh' ? 'zh' : 'en';
  localStorage.setItem('segsim.lang', state.lang);
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of $$('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of $$('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of $$('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  document.title = t('title');
  for (const b of $$('.lang button')) b.classList.toggle('on', b.dataset.lang === state.lang);
}
