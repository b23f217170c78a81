// The harness both baseline pages share: window.bench is what the browser
// benchmark drives, as it drives window.segsim on the product page.
//
//   bench.ready       settles with {load} (ms to load the engine) once the
//                     page can take a file
//   bench.result      null until the picked file is scored, then
//                     {first, customers, counts}; {error} if it failed
//   bench.rescores(n) n re-scores moving the first M threshold one step at
//                     a time, as the product page's slider benchmark does;
//                     settles with each round trip's time in ms
//   bench.stats()     {jsHeap} of the page
//
// An engine is {load(file) → {customers, counts, cuts}, rescore(cuts) →
// counts}; cuts are the four M thresholds (order amount units), counts
// the customers of each (R, F, M) score triple, 125 of them.

const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

export function harness(start) {
  const bench = { ready: null, result: null };
  window.bench = bench;
  let engine = null;
  let cuts = null;
  bench.ready = start().then((e) => {
    engine = e.engine;
    return { load: e.load };
  });
  document.querySelector('#file').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    const t0 = performance.now();
    try {
      const out = await engine.load(file);
      const first = performance.now() - t0;
      cuts = out.cuts;
      bench.result = { first, customers: out.customers, counts: out.counts };
      document.querySelector('#out').textContent = `${out.customers} customers, first result ${first.toFixed(0)} ms`;
    } catch (e) {
      bench.result = { error: String(e?.stack || e) };
    }
  });
  bench.rescores = async (n) => {
    const k = 20;
    const times = [];
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % (2 * k);
      const c = [...cuts];
      c[0] = (cuts[1] * (j <= k ? j : 2 * k - j)) / (k + 1);
      const t0 = performance.now();
      const counts = await engine.rescore(c);
      times.push(performance.now() - t0);
      if (counts.reduce((a, b) => a + b, 0) !== bench.result.customers) throw new Error('a re-score lost customers');
      await frame();
    }
    return times;
  };
  bench.stats = () => ({ jsHeap: performance.memory?.usedJSHeapSize ?? 0 });
  return bench;
}
