#!/bin/sh
# make measure-pages: seeds the PostgreSQL that `onedoor testenv` started (ONEDOOR_TEST_DATABASE_URL) with $1
# synthetic cases, starts `onedoor dev` on it, and times the queue and case pages in Chromium
# (web/perf/pages.perf.ts). Prints the medians; writes web/test-results/page-timings.json.
set -eu
cases=${1:-1000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/bin/onedoor
data=$(mktemp -d)
dev=
export DATABASE_URL="$ONEDOOR_TEST_DATABASE_URL"
trap '[ -n "$dev" ] && kill -INT "$dev" && wait "$dev"; rm -rf "$data"' EXIT
"$bin" seed --cases "$cases"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" dev --data "$data" --addr "127.0.0.1:$port" --temporal-port 0 >"$data/dev.log" 2>&1 &
dev=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do
	i=$((i + 1))
	if [ $i -gt 240 ]; then echo "onedoor dev did not answer; its log:"; cat "$data/dev.log"; exit 1; fi
	sleep 0.5
done
cd "$root/web"
ONEDOOR_URL="http://127.0.0.1:$port" npx playwright test -c perf/perf.config.ts
