#!/usr/bin/env bash
# Installs the Workers runtime (npm workerd, pinned in worker/package-lock.json)
# into worker/node_modules for the edge worker's end-to-end tests. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../worker"
if [ -x node_modules/.bin/workerd ] && node_modules/.bin/workerd --version >/dev/null 2>&1; then
	exit 0
fi
npm ci --no-audit --no-fund
node_modules/.bin/workerd --version
