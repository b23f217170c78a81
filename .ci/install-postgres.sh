#!/usr/bin/env bash
# Installs Debian's PostgreSQL for the warehouse query test (core/warehouse,
# make test-warehouse): the test starts a server of its own with initdb and
# pg_ctl on a free localhost port in a temporary data directory, and stops it
# after. initdb refuses to run as root, so as root the test runs the server as
# the postgres user this package creates. Idempotent.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null 2>&1 && id postgres >/dev/null 2>&1; then
	exit 0
fi
apt-get update
apt-get install -y postgresql
