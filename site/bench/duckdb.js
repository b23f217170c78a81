// DuckDB-WASM as an analyst would use it on the same order file: the
// picked File registered as is (DuckDB reads it through the browser's file
// reader), read_csv, GROUP BY customer, NTILE(5) over recency, frequency
// and monetary value, and the count of customers per score triple. A
// re-score is a threshold query on the aggregated table. The single-thread
// bundle with wasm exceptions (no cross-origin isolation needed), served
// from the local node_modules copy.

import * as duckdb from '@duckdb/duckdb-wasm';
import { harness } from './bench.js';

const dist = new URL('node_modules/@duckdb/duckdb-wasm/dist/', location.href);

// counts reads rows {r, f, m, n} into the 125 counts of the score triples.
function counts(table) {
  const out = new Array(125).fill(0);
  for (const row of table.toArray()) {
    out[(Number(row.r) - 1) * 25 + (Number(row.f) - 1) * 5 + Number(row.m) - 1] = Number(row.n);
  }
  return out;
}

harness(async () => {
  const t0 = performance.now();
  const worker = new Worker(new URL('duckdb-browser-eh.worker.js', dist));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL('duckdb-eh.wasm', dist).href);
  const conn = await db.connect();
  // Nothing may be fetched from elsewhere.
  await conn.query(`SET autoinstall_known_extensions = false; SET autoload_known_extensions = false`);
  const load = performance.now() - t0;

  const engine = {
    async load(file) {
      await db.registerFileHandle('orders.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      await conn.query(`
        CREATE TABLE customers AS
        SELECT customer_id,
               min(order_date) AS first_order,
               max(order_date) AS last_order,
               count(*) AS frequency,
               sum(amount) AS monetary
        FROM read_csv('orders.csv')
        GROUP BY customer_id`);
      await conn.query(`
        CREATE TABLE scored AS
        SELECT *,
               max(last_order) OVER () - last_order AS recency,
               ntile(5) OVER (ORDER BY last_order) AS r,
               ntile(5) OVER (ORDER BY frequency) AS f,
               ntile(5) OVER (ORDER BY monetary) AS m
        FROM customers`);
      const c = counts(await conn.query(`SELECT r, f, m, count(*) AS n FROM scored GROUP BY ALL`));
      // The M thresholds the re-scores move: quintiles of the spend.
      const q = (await conn.query(`SELECT quantile_cont(monetary, [0.2, 0.4, 0.6, 0.8]) AS q FROM customers`)).toArray()[0].q;
      return { customers: c.reduce((a, b) => a + b, 0), counts: c, cuts: [...q].map(Number) };
    },
    async rescore(cuts) {
      const [a, b, c, d] = cuts;
      return counts(await conn.query(`
        SELECT r, f,
               CASE WHEN monetary < ${a} THEN 1 WHEN monetary < ${b} THEN 2
                    WHEN monetary < ${c} THEN 3 WHEN monetary < ${d} THEN 4 ELSE 5 END AS m,
               count(*) AS n
        FROM scored GROUP BY ALL`));
    },
  };
  return { engine, load };
});
