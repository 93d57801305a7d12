#!/usr/bin/env bash
# The whole test suite: lint and types, everything on SQLite (browser tests included), then the
# service, CLI and web tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
BIN=.venv/bin
export BACKSTRIDE_DATA_DIR="${BACKSTRIDE_DATA_DIR:-$(mktemp -d /tmp/backstride-test-data.XXXXXX)}"
unset BACKSTRIDE_DB
echo "== lint and types"
paths=(src tests)
[ -d bench ] && paths+=(bench)
$BIN/ruff check "${paths[@]}"
$BIN/ruff format --check "${paths[@]}"
$BIN/mypy
DJANGO_SETTINGS_MODULE=backstride.web.settings $BIN/django-admin makemigrations --check --dry-run backstride
echo "== tests on SQLite"
$BIN/python -m pytest -q
echo "== service, CLI and web tests on PostgreSQL"
bash scripts/with-postgres.sh $BIN/python -m pytest -q -m "not e2e" tests/services tests/cli tests/web tests/clinic
