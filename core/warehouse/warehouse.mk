# Warehouse query tests, included by the top Makefile.
#
#   make test-warehouse  the DuckDB and PostgreSQL queries run on real engines:
#                        their stats checked against segsim's, and segsim's scores
#                        of them against its scores of the orders (part of make test)
#
# PostgreSQL is Debian's package (.ci/install-postgres.sh); the test starts its
# own server in a temporary directory. DuckDB is a cgo Go module, kept to a
# module of its own (enginetest/go.mod, .ci/install-duckdb.sh) so that the main
# module and the wasm builds stay pure Go.

WAREHOUSE_DIR := core/warehouse

.PHONY: test-warehouse warehouse-postgres

# The PostgreSQL server programs; installed on first use (as root).
warehouse-postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || bash .ci/install-postgres.sh

## test-warehouse: PostgreSQL (build tag postgres) and DuckDB (module enginetest)
test-warehouse: warehouse-postgres
	$(GO) vet -tags postgres ./$(WAREHOUSE_DIR)
	$(GO) test -count=1 -tags postgres -timeout 20m -v -run '^TestPostgres$$' ./$(WAREHOUSE_DIR)
	cd $(WAREHOUSE_DIR)/enginetest && CGO_ENABLED=1 $(GO) vet ./... && CGO_ENABLED=1 $(GO) test -count=1 -timeout 20m -v ./...

TEST_EXTRA += test-warehouse
