# workerd configuration for the segsim worker. Build first (make
# worker-build), then: workerd serve worker/config.capnp [constant]
# Constants: config (the generated glue: a Go instance per request),
# keepAlive (one Go instance per isolate), and the benchmark baselines
# trivialGo and trivialKeepAlive (a trivial Go handler under each glue)
# and plainJS; crashKeepAlive serves a test build with POST /v1/crash.
# Override the address with --socket-addr http=127.0.0.1:PORT.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .segsim)],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "main")],
);

const keepAlive :Workerd.Config = (
  services = [(name = "main", worker = .segsimKeepAlive)],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "main")],
);

const crashKeepAlive :Workerd.Config = (
  services = [(name = "main", worker = .crashKA)],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "main")],
);

const trivialGo :Workerd.Config = (
  services = [(name = "main", worker = .trivial)],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "main")],
);

const trivialKeepAlive :Workerd.Config = (
  services = [(name = "main", worker = .trivialKA)],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "main")],
);

const plainJS :Workerd.Config = (
  services = [(name = "main", worker = .plain)],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "main")],
);

const segsim :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "build/worker.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/app.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);

const segsimKeepAlive :Workerd.Worker = (
  modules = [
    (name = "keepalive.mjs", esModule = embed "build/keepalive.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/app.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);

const crashKA :Workerd.Worker = (
  modules = [
    (name = "keepalive.mjs", esModule = embed "build/keepalive.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/crash.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);

const trivial :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "build/worker.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/trivial.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);

const trivialKA :Workerd.Worker = (
  modules = [
    (name = "keepalive.mjs", esModule = embed "build/keepalive.mjs"),
    (name = "runtime.mjs", esModule = embed "build/runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/trivial.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);

const plain :Workerd.Worker = (
  modules = [(name = "plain.mjs", esModule = embed "bench/plain.mjs")],
  compatibilityDate = "2026-11-01",
);
