# The browser simulator (included by the top Makefile).
#
#   make serve          build everything, serve http://127.0.0.1:8080 with a sample loaded
#   make dist           write the static site to site/dist (any static host serves it as is)
#   make test-site      end-to-end suite in headless Chromium (also part of make test)
#   make bench-browser  segsim's page beside DuckDB-WASM and a plain JS scanner on a
#                       generated 1M-order file in headless Chromium, print medians

SITE_DIST   ?= site/dist
SITE_ADDR   ?= 127.0.0.1:8080
BROTLI      ?= 9
BENCH_ORDERS ?= 1000000
BENCH_RUNS   ?= 7
BENCH_STATS  ?= 1000000
BENCH_TMP    ?= $(or $(TMPDIR),/tmp)

.PHONY: serve venue dist site-deps site-browser test-site bench-browser bench-deps wasm-size

# npm packages (the charting library) stay inside site/node_modules.
site/node_modules/.package-lock.json: site/package.json site/package-lock.json
	cd site && npm ci --no-audit --no-fund
	@touch $@

site-deps: site/node_modules/.package-lock.json

## dist: the static site: page, scripts, charting library, samples, wasm
dist: site-deps
	$(GO) tool templ generate -path site -log-level error
	$(GO) run ./site/cmd/build -out $(SITE_DIST) -node-modules site/node_modules
	$(WASM) $(GO) build -trimpath -ldflags=-s -o $(SITE_DIST)/segsim.wasm ./wasm
	$(WASM) $(GO) build -trimpath -ldflags=-s -o $(SITE_DIST)/xlsx.wasm ./wasm/xlsx
	$(WASM) $(GO) build -trimpath -ldflags=-s -o $(SITE_DIST)/parquet.wasm ./wasm/parquet
	$(GO) run ./site/cmd/build -pack -out $(SITE_DIST) -brotli $(BROTLI)
	@$(MAKE) --no-print-directory wasm-size

## wasm-size: raw and gzip sizes of the page's wasm (first load) and of the
## .xlsx and Parquet readers (fetched only when such a file arrives)
wasm-size:
	@for f in segsim.wasm xlsx.wasm parquet.wasm; do \
		raw=$$(wc -c < $(SITE_DIST)/$$f); gz=$$(gzip -9 -c $(SITE_DIST)/$$f | wc -c); \
		awk -v f=$$f -v r=$$raw -v g=$$gz 'BEGIN { printf "  %-12s %6.2f MB raw, %5.2f MB gzip\n", f, r/1e6, g/1e6 }'; \
	done

## serve: build the site and serve it locally; the page opens with a sample loaded
serve: dist
	$(GO) run ./site/cmd/serve -dir $(SITE_DIST) -addr $(SITE_ADDR)

## venue: one program that carries the whole site (compressed), for a room
## with no network: copy bin/segsim-venue to a laptop and run it with -lan.
## GOOS=windows or GOOS=darwin builds it for those laptops.
venue: BROTLI = 11
venue: dist
	CGO_ENABLED=0 $(if $(GOOS),GOOS=$(GOOS)) $(if $(GOARCH),GOARCH=$(GOARCH)) $(GO) build -tags embed -trimpath -ldflags=-s -o bin/segsim-venue$(if $(filter windows,$(GOOS)),.exe) ./site/cmd/serve
	@ls -l bin/segsim-venue* | awk '{ printf "  %s %.1f MB\n", $$NF, $$5/1e6 }'

# The Debian Chromium the suite drives; installed on first use (as root).
site-browser:
	@command -v chromium >/dev/null 2>&1 || bash .ci/install-site.sh

## test-site: the browser end-to-end suite (headless Chromium)
test-site: dist site-browser
	SEGSIM_DIST=$(abspath $(SITE_DIST)) $(GO) test -count=1 -tags e2e -timeout 10m ./site/e2e

# The engines the browser benchmark measures segsim against (DuckDB-WASM),
# pinned in site/bench/package.json and installed in site/bench/node_modules:
# only the benchmark's own server serves them, never the site or make test.
site/bench/node_modules/.package-lock.json: site/bench/package.json site/bench/package-lock.json
	cd site/bench && npm ci --no-audit --no-fund
	@touch $@

bench-deps: site/bench/node_modules/.package-lock.json

## bench-browser: segsim's page, DuckDB-WASM and a plain JS byte scanner in
## the same Chromium on a generated file of BENCH_ORDERS orders, interleaved
## over BENCH_RUNS fresh browser contexts each: medians and ratios of the first
## result, re-score p50/p95, first move after a load, renderer peak memory,
## wasm size; and segsim's first result from a stats file of BENCH_STATS
## customers (`segsim sql`'s output shape). With BASELINE=dir (another build's site/dist), also both builds
## of segsim in turns.
bench-browser: dist site-browser bench-deps
	$(GO) run ./core/cmd/benchtable -stats $(BENCH_STATS) -stats-out $(BENCH_TMP)/stats.csv
	SEGSIM_DIST=$(abspath $(SITE_DIST)) SEGSIM_BENCH_ORDERS=$(BENCH_ORDERS) SEGSIM_BENCH_RUNS=$(BENCH_RUNS) \
		SEGSIM_BENCH_STATS=$(abspath $(BENCH_TMP))/stats.csv \
		$(if $(BASELINE),SEGSIM_BENCH_BASELINE=$(abspath $(BASELINE))) \
		$(GO) test -count=1 -tags e2e -timeout 120m ./site/e2e -run '^TestBenchBrowser(Baseline)?$$' -v

TEST_EXTRA += test-site
