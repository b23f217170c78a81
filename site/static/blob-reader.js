// readBlob reads a Blob as the browser delivers it, calling each(piece,
// offset) for every piece in order, offsets counted from off; it resolves
// to the number of times the read stalled when the Blob ends. Where the
// browser's stream allows it (a byte stream), every piece is read into
// the same buffer, so a file's read leaves no garbage as large as the
// file: each must copy the piece before it returns.
//
// A read of a file's stream has been seen to wait for ever in Chromium
// (about one load in 40 on a busy machine, when the page read a file again
// while the part reader read its second half), and not since the streams
// being read are held here. Should one wait anyway, a read that brings
// nothing for STALL ms (twice as long at each new stall) is given up and
// the Blob is read on from where it stopped with a new stream: no byte is
// read twice or missed. A classic script for the core's workers
// (importScripts).
/* exported readBlob */
const STALL = 2000;

// reading holds the streams being read: a stream with a read pending must
// not be collected, whatever the browser holds of it.
const reading = new Set();

async function readBlob(blob, off, each) {
  let done = 0;
  let stalls = 0;
  const piece = (value) => {
    each(value, off + done);
    done += value.length;
  };
  while (!(await readStream(done ? blob.slice(done) : blob, piece, STALL << stalls))) stalls++;
  return stalls;
}

// readStream reads blob's stream to its end, calling each(piece), and
// resolves to true; or to false when a read brought nothing for patience
// ms.
async function readStream(blob, each, patience) {
  const s = blob.stream();
  let reader = null;
  let buf = null;
  try {
    reader = s.getReader({ mode: 'byob' });
    buf = new ArrayBuffer(1 << 20);
  } catch {
    reader = s.getReader();
  }
  const held = { s, reader };
  reading.add(held);
  try {
    for (;;) {
      let timer = 0;
      const late = new Promise((resolve) => { timer = setTimeout(resolve, patience, null); });
      const got = await Promise.race([buf ? reader.read(new Uint8Array(buf)) : reader.read(), late]);
      clearTimeout(timer);
      if (!got) {
        reader.cancel().catch(() => {});
        return false;
      }
      if (got.done) return true;
      if (buf) buf = got.value.buffer;
      each(got.value);
    }
  } finally {
    reading.delete(held);
  }
}
