#!/usr/bin/env bash
# Fetches the Go modules of the DuckDB query test (core/warehouse/enginetest, a
# module of its own so that the main module and its wasm builds stay free of
# cgo) and the C and C++ compilers its cgo build needs. Idempotent.
set -euo pipefail
if ! command -v gcc >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1; then
	apt-get update
	apt-get install -y gcc g++
fi
cd "$(dirname "$0")/../core/warehouse/enginetest"
go mod download
