// DOM helpers every module uses: queries, work done once per frame (or
// after a delay) however often it is asked for, and tables that are drawn
// again only when their cells change.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// setInput sets a property of an input (value, checked) unless the user
// is on it.
export function setInput(sel, prop, v) {
  const el = $(sel);
  if (document.activeElement !== el) el[prop] = v;
}

// later runs fn once in the next animation frame (delay 0) or after delay
// ms, however often it is asked for meanwhile: dragging a slider re-scores
// many times, the charts draw once per frame.
const timers = {};
export function later(name, fn, delay) {
  if (timers[name]) return;
  const go = () => { timers[name] = null; fn(); };
  timers[name] = delay ? setTimeout(go, delay) : requestAnimationFrame(go);
}

// table fills a table element, unless it already shows the same cells.
const tableKeys = new WeakMap();
export function table(el, head, rows) {
  const key = JSON.stringify([head, rows]);
  if (tableKeys.get(el) === key) return;
  tableKeys.set(el, key);
  fillTable(el, head, rows);
}

// tableNodes is table() for cells that may be DOM nodes (values in spans).
export function tableNodes(el, head, rows) {
  tableKeys.delete(el);
  fillTable(el, head, rows);
}

// forgetTable makes the next table() on el draw it again.
export function forgetTable(el) {
  tableKeys.delete(el);
}

function fillTable(el, head, rows) {
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const h of head) {
    const th = document.createElement('th');
    th.textContent = h;
    tr.append(th);
  }
  thead.append(tr);
  const tbody = document.createElement('tbody');
  for (const r of rows) {
    const row = document.createElement('tr');
    for (const c of r) {
      const td = document.createElement('td');
      if (c instanceof Node) td.append(c);
      else td.textContent = c;
      row.append(td);
    }
    tbody.append(row);
  }
  el.replaceChildren(thead, tbody);
}
