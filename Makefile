# segsim — see README.md. `make run` and `make test` are the two commands a
# newcomer needs; the rest are for development.

GO    ?= go
BIN   := bin
WASM  := GOOS=js GOARCH=wasm

.PHONY: all build run test check-core fuzz bench clean

# Each area adds its targets and appends end-to-end suites to TEST_EXTRA.
TEST_EXTRA :=
-include site/site.mk worker/worker.mk core/warehouse/warehouse.mk

all: build

## build: the native CLI and the wasm builds of the page core and the worker
build:
	$(GO) build -o $(BIN)/segsim ./core/cmd/segsim
	$(WASM) $(GO) build -o $(BIN)/segsim.wasm ./wasm
	$(WASM) $(GO) build -o $(BIN)/worker.wasm ./worker

## run: score the bundled CDNOW sample and print the segment tables
run: build
	./$(BIN)/segsim segments seeds/samples/cdnow.csv

## test: vet, the core purity check, every Go test, the wasm builds, and
## the end-to-end suites of the areas below (TEST_EXTRA)
test: check-core build
	$(GO) vet ./...
	$(WASM) $(GO) vet ./wasm ./wasm/xlsx ./wasm/parquet ./worker
	$(GO) test -count=1 ./...
	@for t in $(TEST_EXTRA); do $(MAKE) --no-print-directory $$t || exit 1; done

## bench: the core benchmark table (medians) on a generated 1M-order file
bench:
	$(GO) run ./core/cmd/benchtable

## check-core: core must build for the browser and the worker: no syscall/js,
## net/http, os/exec or cgo anywhere in its dependencies. Excluded: the
## commands, and core/parquetfile (the Parquet reader of the command line and
## of the page's on-demand parquet.wasm; its library's brotli codec imports
## net/http for a helper it never calls). No other core package imports it,
## which the second check makes sure of.
CORE_PKGS = $$($(GO) list ./core/... | grep -v -e /cmd/ -e /parquetfile)
check-core:
	@bad=$$($(GO) list -deps $(CORE_PKGS) | grep -E '^(syscall/js|net/http|os/exec|runtime/cgo|segsim/core/parquetfile)$$' || true); \
	if [ -n "$$bad" ]; then echo "core depends on: $$bad"; exit 1; fi
	$(WASM) $(GO) build $(CORE_PKGS)

## fuzz: run each fuzz target for FUZZTIME (default 1m). With a duration, Go
## 1.26 may end a clean run with "context deadline exceeded" and no failing
## input written (go.dev/issue/75804); a count such as FUZZTIME=200000x
## avoids that.
FUZZTIME ?= 1m
fuzz:
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzParseDate$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzParseCents$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzStream$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzPart$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzParseInTwo$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzReadStats$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/ingest -run '^$$' -fuzz '^FuzzParsePlan$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/xlsx -run '^$$' -fuzz '^FuzzToCSV$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/scenario -run '^$$' -fuzz '^FuzzScenario$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/strategy -run '^$$' -fuzz '^FuzzParsePlaybook$$' -fuzztime $(FUZZTIME)
	$(GO) test ./worker -run '^$$' -fuzz '^FuzzScore$$' -fuzztime $(FUZZTIME)
	$(GO) test ./worker -run '^$$' -fuzz '^FuzzReadout$$' -fuzztime $(FUZZTIME)
	$(GO) test ./worker -run '^$$' -fuzz '^FuzzLone$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/jsonenc -run '^$$' -fuzz '^FuzzAppendString$$' -fuzztime $(FUZZTIME)
	$(GO) test ./core/jsoncheck -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME)

clean:
	rm -rf $(BIN)
