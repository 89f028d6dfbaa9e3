#!/usr/bin/env bash
# The WebKit suite: tests/webkit/*.mjs under `node --test`, one file at a
# time, in WebKitGTK's MiniBrowser driven by WebKitWebDriver
# (tests/lib/webkit.mjs). MiniBrowser has no headless mode, so the run gets a
# virtual X display from xvfb-run (Xvfb stops with it). The tests start their
# own local OCO server (tests/lib/local-server.mjs) unless OCO_DEMO_URL names one.
#
# Usage: scripts/test-webkit.sh [test files...]   (default tests/webkit/*.mjs)
# Environment: WEBKITDRIVER (default /usr/bin/WebKitWebDriver), MINIBROWSER.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

driver=${WEBKITDRIVER:-/usr/bin/WebKitWebDriver}
if [[ ! -x $driver ]]; then
    echo "test-webkit: $driver is not there; run 'make tools' (Debian package webkit2gtk-driver)" >&2
    exit 1
fi
if ! command -v xvfb-run >/dev/null; then
    echo "test-webkit: xvfb-run is not there; run 'make tools' (Debian package xvfb)" >&2
    exit 1
fi

files=("$@")
if ((${#files[@]} == 0)); then
    shopt -s nullglob
    files=(tests/webkit/*.mjs)
fi
if ((${#files[@]} == 0)); then
    echo "test-webkit: no test files in tests/webkit/" >&2
    exit 1
fi

start=$SECONDS
status=0
xvfb-run --auto-servernum --server-args='-screen 0 1440x960x24 -nolisten tcp' \
    node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || status=$?
echo "==> test-webkit: done: exit $status in $((SECONDS - start)) s"
exit "$status"
