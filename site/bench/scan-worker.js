// A plain JavaScript byte scanner, no library: one pass over the CSV's
// bytes finds the customer id, order date and amount of each row, hashes
// the id's bytes into an open addressing table of customer indexes, and
// keeps each customer's first and last day, orders and spend (cents) in
// typed arrays. Scores are quintiles: 1 to 5 by four cut points taken from
// the sorted values of recency (last day), frequency and spend. A
// re-score applies new spend cut points to every customer and counts the
// customers of each (R, F, M) score triple.

let cust = null;

self.onmessage = async (ev) => {
  const { id, file, cuts } = ev.data;
  try {
    let out = null;
    if (file) {
      cust = scan(new Uint8Array(await file.arrayBuffer()));
      out = score(cust);
    } else if (cuts) {
      out = { counts: Array.from(rescore(cust, cuts.map((c) => c * 100))) };
    }
    self.postMessage({ id, out });
  } catch (e) {
    self.postMessage({ id, error: String(e?.stack || e) });
  }
};

// dayNumber is days since 1970-01-01 of a civil date.
function dayNumber(y, m, d) {
  if (m <= 2) y--;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function digits(b, s, e) {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + b[i] - 48;
  return v;
}

// cents parses an amount such as 12, 12.5 or -12.34 into integer cents.
function cents(b, s, e) {
  let neg = false;
  if (b[s] === 45) { neg = true; s++; }
  let v = 0;
  let frac = -1;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c === 46) { frac = 0; continue; }
    if (frac >= 0) { if (frac === 2) break; frac++; }
    v = v * 10 + c - 48;
  }
  if (frac < 0) v *= 100;
  else if (frac === 1) v *= 10;
  else if (frac === 0) v *= 100;
  return neg ? -v : v;
}

function scan(b) {
  const n = b.length;
  let i = b.indexOf(10);
  if (i < 0) throw new Error('no rows');
  const header = new TextDecoder().decode(b.subarray(0, i)).trim().split(',');
  const ci = header.indexOf('customer_id'), di = header.indexOf('order_date'), ai = header.indexOf('amount');
  if (ci < 0 || di < 0 || ai < 0) throw new Error('need customer_id, order_date and amount columns');
  i++;

  let cap = 1 << 16;
  let slots = new Int32Array(cap * 2).fill(-1);
  let mask = cap * 2 - 1;
  let keyAt = new Int32Array(cap), keyLen = new Int32Array(cap), keyHash = new Int32Array(cap);
  let first = new Int32Array(cap), last = new Int32Array(cap), orders = new Int32Array(cap);
  let spend = new Float64Array(cap);
  let count = 0;
  const grow = (a, T) => { const g = new T(cap); g.set(a); return g; };

  while (i < n) {
    let col = 0, fs = i, ks = 0, ke = 0, day = 0, amount = 0;
    for (;;) {
      const c = i < n ? b[i] : 10;
      if (c === 44 || c === 10) {
        let fe = i;
        if (c === 10 && fe > fs && b[fe - 1] === 13) fe--;
        if (col === ci) { ks = fs; ke = fe; } else if (col === di) {
          day = dayNumber(digits(b, fs, fs + 4), digits(b, fs + 5, fs + 7), digits(b, fs + 8, fs + 10));
        } else if (col === ai) amount = cents(b, fs, fe);
        col++;
        fs = i + 1;
        if (c === 10) break;
      }
      i++;
    }
    i++;
    if (ke === ks) continue; // an empty line

    let h = 0x811c9dc5;
    for (let k = ks; k < ke; k++) h = Math.imul(h ^ b[k], 16777619);
    let s = h & mask;
    let x;
    for (;;) {
      x = slots[s];
      if (x < 0) break;
      if (keyHash[x] === h && keyLen[x] === ke - ks) {
        const a = keyAt[x];
        let k = 0;
        while (k < ke - ks && b[a + k] === b[ks + k]) k++;
        if (k === ke - ks) break;
      }
      s = (s + 1) & mask;
    }
    if (x < 0) {
      if (count === cap) {
        cap *= 2;
        keyAt = grow(keyAt, Int32Array); keyLen = grow(keyLen, Int32Array); keyHash = grow(keyHash, Int32Array);
        first = grow(first, Int32Array); last = grow(last, Int32Array); orders = grow(orders, Int32Array);
        spend = grow(spend, Float64Array);
        slots = new Int32Array(cap * 2).fill(-1);
        mask = cap * 2 - 1;
        for (let y = 0; y < count; y++) {
          let t = keyHash[y] & mask;
          while (slots[t] >= 0) t = (t + 1) & mask;
          slots[t] = y;
        }
        s = h & mask;
        while (slots[s] >= 0) s = (s + 1) & mask;
      }
      x = count++;
      slots[s] = x;
      keyAt[x] = ks; keyLen[x] = ke - ks; keyHash[x] = h;
      first[x] = day; last[x] = day;
    }
    if (day < first[x]) first[x] = day;
    if (day > last[x]) last[x] = day;
    orders[x]++;
    spend[x] += amount;
  }
  // The ids are not needed past the scan: the file's bytes can go.
  return { n: count, first: first.subarray(0, count), last: last.subarray(0, count), orders: orders.subarray(0, count), spend: spend.subarray(0, count) };
}

// quintiles returns the four cut points of a column's sorted values.
function quintiles(v) {
  const s = Float64Array.from(v).sort();
  return [1, 2, 3, 4].map((k) => s[Math.floor((s.length * k) / 5)]);
}

const level = (v, q) => 1 + (v >= q[0]) + (v >= q[1]) + (v >= q[2]) + (v >= q[3]);

function score(c) {
  const qr = quintiles(c.last), qf = quintiles(c.orders), qm = quintiles(c.spend);
  c.r = new Uint8Array(c.n);
  c.f = new Uint8Array(c.n);
  for (let x = 0; x < c.n; x++) {
    c.r[x] = level(c.last[x], qr);
    c.f[x] = level(c.orders[x], qf);
  }
  const counts = rescore(c, qm);
  return { customers: c.n, counts: Array.from(counts), cuts: qm.map((q) => q / 100) };
}

function rescore(c, q) {
  const counts = new Int32Array(125);
  const { r, f, spend } = c;
  for (let x = 0; x < c.n; x++) {
    counts[(r[x] - 1) * 25 + (f[x] - 1) * 5 + level(spend[x], q) - 1]++;
  }
  return counts;
}
