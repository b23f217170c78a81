# Edge worker targets, included by the top Makefile.
#
#   make worker-dev      the API natively on http://127.0.0.1:8787/v1/ (PORT=...)
#   make worker-build    worker/build: generated glue + app.wasm (+ benchmark baselines)
#   make worker-workerd  the built worker under workerd on 127.0.0.1:8788
#   make test-worker     handler tests, then end-to-end tests and the bad-input
#                        campaign under workerd (npm workerd: .ci/install-worker.sh)
#   make bench-worker    bundle size, cold start and latency: workerd and native

WORKER_DIR   := worker
WORKER_BUILD := $(WORKER_DIR)/build
WORKERD       = $(firstword $(wildcard $(CURDIR)/$(WORKER_DIR)/node_modules/@cloudflare/workerd-*/bin/workerd) $(CURDIR)/$(WORKER_DIR)/node_modules/.bin/workerd)
WORKER_GLUE  ?= keepAlive
# A count, not a duration: Go 1.26's fuzz coordinator can fail a run with
# "context deadline exceeded" when a duration ends (go.dev/issue/75804).
WORKER_FUZZ  ?= 40000x

.PHONY: worker-dev worker-build worker-workerd test-worker bench-worker

worker-dev:
	$(GO) run ./$(WORKER_DIR)

worker-build:
	cd $(WORKER_DIR) && $(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o build
	cd $(WORKER_DIR) && GOOS=js GOARCH=wasm $(GO) build -trimpath -o build/app.wasm .
	cd $(WORKER_DIR) && GOOS=js GOARCH=wasm $(GO) build -trimpath -o build/trivial.wasm ./bench/trivial
	cd $(WORKER_DIR) && GOOS=js GOARCH=wasm $(GO) build -trimpath -tags crashtest -o build/crash.wasm .
	cp $(WORKER_DIR)/glue/keepalive.mjs $(WORKER_BUILD)/keepalive.mjs

$(WORKER_DIR)/node_modules/.bin/workerd:
	bash .ci/install-worker.sh

worker-workerd: worker-build $(WORKER_DIR)/node_modules/.bin/workerd
	cd $(WORKER_DIR) && $(WORKERD) serve config.capnp $(WORKER_GLUE)

test-worker: worker-build $(WORKER_DIR)/node_modules/.bin/workerd
	$(WASM) $(GO) vet ./$(WORKER_DIR)
	SEGSIM_WORKERD=$(WORKERD) $(GO) test -count=1 -timeout 5m -v -run 'Workerd|Native' ./$(WORKER_DIR)
	$(GO) test -count=1 ./$(WORKER_DIR) -run '^$$' -fuzz '^FuzzScore$$' -fuzztime $(WORKER_FUZZ)
	$(GO) test -count=1 ./$(WORKER_DIR) -run '^$$' -fuzz '^FuzzReadout$$' -fuzztime $(WORKER_FUZZ)
	$(GO) test -count=1 ./$(WORKER_DIR) -run '^$$' -fuzz '^FuzzLone$$' -fuzztime $(WORKER_FUZZ)

bench-worker: worker-build $(WORKER_DIR)/node_modules/.bin/workerd
	SEGSIM_WORKERD=$(WORKERD) SEGSIM_BENCH=1 $(GO) test -count=1 -timeout 10m -run '^TestBenchWorker$$' -v ./$(WORKER_DIR)

TEST_EXTRA += test-worker
