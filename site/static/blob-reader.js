// readBlob reads a Blob as the browser delivers it, calling each(piece,
// offset) for every piece in order, offsets counted from off; it resolves
// when the Blob ends. Where the browser's stream allows it (a byte
// stream), every piece is read into the same buffer, so a file's read
// leaves no garbage as large as the file: each must copy the piece before
// it returns. A classic script for the core's workers (importScripts).
/* exported readBlob */
async function readBlob(blob, off, each) {
  const s = blob.stream();
  let reader = null;
  let buf = null;
  try {
    reader = s.getReader({ mode: 'byob' });
    buf = new ArrayBuffer(1 << 20);
  } catch {
    reader = s.getReader();
  }
  for (;;) {
    const { done, value } = buf ? await reader.read(new Uint8Array(buf)) : await reader.read();
    if (done) return;
    if (buf) buf = value.buffer;
    each(value, off);
    off += value.length;
  }
}
