// Keep-alive glue for the segsim worker: one Go instance per isolate,
// started on the first request and reused by the next ones (the generated
// worker.mjs starts a fresh instance for every request). The Go side sees
// binding.keepAlive and answers with whole bodies (see main_js.go). If the
// instance exits, the request in flight gets a JSON 500 and the next
// request starts a new one. Requests share the first request's env and ctx.
// Request bodies are read here, whole, before Go sees them.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

let inst; // the running instance: { binding, dead, waiters }
let starting; // promise of the instance while it starts

// start instantiates Go. Promises made in one request cannot settle in
// another, so nothing here waits on the exit promise of go.run: the exit
// is caught where wasm_exec.js resolves it, synchronously.
async function start(env, ctx) {
  const mod = await loadModule();
  const go = new Go();
  const it = { binding: { keepAlive: true }, dead: false, waiters: new Set() };
  const resolveExit = go._resolveExitPromise;
  go._resolveExitPromise = () => {
    it.dead = true;
    for (const w of it.waiters) w();
    resolveExit();
  };
  let ready;
  const readyPromise = new Promise((resolve) => {
    ready = resolve;
  });
  const instance = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  const died = new Promise((_, reject) => it.waiters.add(() => reject(new Error("the Go instance exited while starting"))));
  go.run(instance, createRuntimeContext({ env, ctx, binding: it.binding }));
  await Promise.race([readyPromise, died]);
  it.waiters.clear();
  return it;
}

function failure(message) {
  return new Response(JSON.stringify({ error: { code: "internal", message } }) + "\n", {
    status: 500,
    headers: { "content-type": "application/json; charset=utf-8", "access-control-allow-origin": "*" },
  });
}

// whole returns the request with its body read into one Uint8Array, which
// the Go side copies in one call (see main_js.go) instead of awaiting the
// stream chunk by chunk, a round trip through the event loop per chunk.
// Bodies without a length, or longer than the Go side accepts
// (binding.maxBody), go through as streams for the Go side to refuse.
async function whole(req, maxBody) {
  const length = Number(req.headers.get("content-length"));
  if (req.body === null || !(length > 0 && length <= maxBody)) {
    return req;
  }
  const body = new Uint8Array(await req.arrayBuffer());
  return { url: req.url, method: req.method, headers: req.headers, body };
}

async function fetch(req, env, ctx) {
  if (inst === undefined || inst.dead) {
    inst = undefined;
    if (starting === undefined) {
      starting = start(env, ctx);
    }
    try {
      inst = await starting;
    } catch (e) {
      return failure(String(e));
    } finally {
      starting = undefined;
    }
  }
  const it = inst;
  let onExit;
  const died = new Promise((_, reject) => {
    onExit = () => reject(new Error("the Go instance exited"));
  });
  it.waiters.add(onExit);
  try {
    return await Promise.race([it.binding.handleRequest(await whole(req, it.binding.maxBody)), died]);
  } catch (e) {
    return failure(String(e));
  } finally {
    it.waiters.delete(onExit);
  }
}

export default { fetch };
