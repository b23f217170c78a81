// Keep-alive glue for the segsim worker: one Go instance per isolate,
// started on the first request and reused by the next ones (the generated
// worker.mjs starts a fresh instance for every request). The Go side sees
// binding.keepAlive and answers with whole bodies (see main_js.go). If the
// instance exits, the request that ended it gets a JSON 500, a request
// held while it waited gets a JSON 503 with Retry-After, and every other
// request runs on a new instance. Requests share the first request's env and ctx.
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

// Load shedding. One instance answers one request at a time, at about
// 10 MB of request body a second, so what waits ahead of a request is
// estimated by the bytes of the requests in the isolate. Beyond 2 MB
// (about 0.2 s of work) or 64 requests, a request is answered at once
// with 503 and Retry-After instead of waiting seconds: the wait of an
// admitted request stays near 0.2 s plus its own work.
const maxQueuedBytes = 2 << 20;
const maxQueued = 64;
const maxBodyRead = 1 << 20;
let queued = 0;
let queuedBytes = 0;

// The headers every answer carries are added here rather than by the Go
// side (binding.hostHeaders; see hostHeaderNames in handler.go): a header
// set in Go costs a call out of wasm for each name and value.
const everyAnswer = [
  ["access-control-allow-origin", "*"],
  ["access-control-expose-headers", "X-Request-Id, Server-Timing"],
  ["x-content-type-options", "nosniff"],
];

// withHostHeaders adds them to an answer of the Go side: the CORS headers
// and nosniff to all, and to all but a 204 the JSON Content-Type and,
// unless the Go side chose one, Cache-Control: no-store. The body, a
// Uint8Array, gives the Content-Length.
function withHostHeaders(res) {
  const h = res.headers;
  for (const [k, v] of everyAnswer) h.set(k, v);
  if (res.status !== 204) {
    h.set("content-type", "application/json; charset=utf-8");
    if (!h.has("cache-control")) h.set("cache-control", "no-store");
  }
  return res;
}

// yieldTurns is how many turns of the event loop a large request lets
// pass when it yields between stages (binding.yield, called by the Go
// side): a request arriving meanwhile needs a few turns (reading, parsing,
// dispatch) before it reaches fetch, and one 0 ms timer gave it one, so
// that a health check often waited for several stages.
const yieldTurns = 16;

// yieldToRequests calls cb after yieldTurns turns of the event loop. The
// timers are set in the context of the request that yields, and so is cb
// run.
function yieldToRequests(cb) {
  let n = yieldTurns;
  const turn = () => (--n > 0 ? setTimeout(turn, 0) : cb());
  setTimeout(turn, 0);
}

// start instantiates Go. Promises made in one request cannot settle in
// another, so nothing here waits on the exit promise of go.run: the exit
// is caught where wasm_exec.js resolves it, synchronously.
async function start(env, ctx) {
  const mod = await loadModule();
  const go = new Go();
  const it = { binding: { keepAlive: true, hostHeaders: true, yield: yieldToRequests }, dead: false, waiters: new Set() };
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

// failure answers a request the Go instance could not: a JSON error with
// the headers every answer carries (CORS, a request id) and, for 503,
// Retry-After.
function failure(req, status, code, message) {
  const id = /^[\x21-\x7e]{1,128}$/.test(req.headers.get("x-request-id") || "")
    ? req.headers.get("x-request-id")
    : crypto.randomUUID().replaceAll("-", "");
  const headers = {
    "content-type": "application/json; charset=utf-8",
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "X-Request-Id, Server-Timing",
    "x-request-id": id,
  };
  if (status === 503) headers["retry-after"] = "1";
  return new Response(JSON.stringify({ error: { code, message, request_id: id } }) + "\n", { status, headers });
}

// live returns a running instance, starting one when there is none or the
// last one ended.
async function live(env, ctx) {
  while (inst === undefined || inst.dead) {
    inst = undefined;
    if (starting === undefined) {
      starting = start(env, ctx).finally(() => {
        starting = undefined;
      });
    }
    inst = await starting;
  }
  return inst;
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
  const size = Number(req.headers.get("content-length")) || 0;
  const health = req.method === "GET" && new URL(req.url).pathname === "/v1/health";
  if (!health && queued > 0 && (queued >= maxQueued || queuedBytes + size > maxQueuedBytes)) {
    // Read the body first (it is at most the limit; a longer one is not
    // read), so that the client, still sending, is not cut off.
    if (req.body !== null && size > 0 && size <= maxBodyRead) {
      await req.arrayBuffer().catch(() => {});
    }
    return failure(req, 503, "busy", `the service is busy (${queued} requests, ${queuedBytes} bytes ahead); send it again in a second`);
  }
  queued++;
  queuedBytes += size;
  try {
    return await serve(req, env, ctx);
  } finally {
    queued--;
    queuedBytes -= size;
  }
}

// serve runs a request on a live instance.
async function serve(req, env, ctx) {
  try {
    let it = await live(env, ctx);
    const r = await whole(req, it.binding.maxBody);
    // An instance that ended while the body was read never saw this
    // request: a new one runs it.
    if (it.dead) {
      it = await live(env, ctx);
    }
    let onExit;
    const died = new Promise((resolve) => {
      onExit = () => resolve(null);
    });
    it.waiters.add(onExit);
    try {
      // A handler runs to its end inside handleRequest unless it waits on
      // a streamed body. If the instance ends meanwhile, handleRequest
      // returns undefined for the request that ended it (500), and a
      // request that was waiting gets null from died (503: run it again).
      const res = await Promise.race([it.binding.handleRequest(r), died]);
      if (res instanceof Response) {
        return withHostHeaders(res);
      }
      if (res === null) {
        return failure(req, 503, "restarting", "the service restarted while it held this request; send it again");
      }
      return failure(req, 500, "internal", "the Go instance ended while it answered this request");
    } finally {
      it.waiters.delete(onExit);
    }
  } catch (e) {
    return failure(req, 500, "internal", String(e));
  }
}

export default { fetch };
