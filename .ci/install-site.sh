#!/usr/bin/env bash
# Installs what the browser simulator needs: Chromium for the end-to-end
# suite (with a font that has Chinese glyphs, for the screenshots) and the
# npm packages of site/ (the charting library). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
	apt-get update
	apt-get install -y "${missing[@]}"
fi
cd site
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
