//go:build e2e

package e2e

import "testing"

// TestReadBlobStall reads a Blob whose first stream stops after 1.5 MiB
// and never ends, as a file's stream now and then did in Chromium, with
// the workers' readBlob: it gives the stream up after its patience, reads
// on from where it stopped with a new stream, and must deliver every byte
// once and in order, counting one stall.
func TestReadBlobStall(t *testing.T) {
	ctx := openPage(t, "")
	got := await[struct {
		Stalls int    `json:"stalls"`
		Same   bool   `json:"same"`
		Wrong  string `json:"wrong"`
		Ms     int    `json:"ms"`
	}](t, ctx, `(async () => {
		await new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = 'blob-reader.js';
			s.onload = resolve;
			s.onerror = reject;
			document.head.append(s);
		});
		const n = 3 << 20;
		const bytes = new Uint8Array(n);
		for (let i = 0; i < n; i++) bytes[i] = (i * 7 + (i >> 11)) & 255;
		const real = new Blob([bytes]);
		// The first stream hands over 1.5 MiB in 64 KiB pieces, then no more.
		let first = true;
		const wrap = (b) => ({
			size: b.size,
			slice: (...a) => wrap(b.slice(...a)),
			stream() {
				if (!first) return b.stream();
				first = false;
				let at = 0;
				return new ReadableStream({
					async pull(c) {
						if (at >= n / 2) return new Promise(() => {});
						c.enqueue(bytes.slice(at, at + (64 << 10)));
						at += 64 << 10;
					},
				});
			},
		});
		const out = new Uint8Array(n);
		let next = 100;
		let wrong = '';
		const t0 = performance.now();
		const stalls = await readBlob(wrap(real), 100, (piece, off) => {
			if (off !== next && !wrong) wrong = 'piece at ' + off + ', want ' + next;
			out.set(piece, off - 100);
			next = off + piece.length;
		});
		let same = next === n + 100;
		for (let i = 0; same && i < n; i++) same = out[i] === bytes[i];
		return { stalls, same, wrong, ms: Math.round(performance.now() - t0) };
	})()`)
	if got.Stalls != 1 || !got.Same || got.Wrong != "" {
		t.Fatalf("readBlob over a stalled stream: %+v, want one stall and every byte once, in order", got)
	}
	t.Logf("readBlob over a stalled stream: %+v", got)
}
