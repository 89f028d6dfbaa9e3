#!/usr/bin/env bash
# Browser tests: `wasm-pack test --headless --chrome` in Debian's Chromium,
# against three local oco-local-server instances:
#   OCO_TEST_HTTP                  auth ON  (tests fetch tickets from /api/ws-ticket)
#   OCO_TEST_HTTP_NOAUTH           --no-auth
#   OCO_TEST_HTTP_RESTART          --no-auth, run under oco-supervisor, whose control
#   OCO_TEST_HTTP_RESTART_CONTROL  endpoints (POST /kill, /start, /restart?downMs=N,
#                                  GET /status) stop and start the server process on
#                                  the same port
# The tests read them with option_env! at compile time, so cargo rebuilds the
# test crates when the ports change.
#
# Chromium's capabilities come from webdriver.json (crate root). Each run gets a
# copy of it whose --user-data-dir points at a fresh, empty profile directory,
# passed to wasm-bindgen-test-runner through WASM_BINDGEN_TEST_WEBDRIVER_JSON.
#
# Extra arguments are passed to wasm-pack test (e.g. `-- --test web`).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}

profile=$(mktemp -d "${TMPDIR:-/tmp}/optave-wasm-chrome-profile.XXXXXX")
caps=$(mktemp "${TMPDIR:-/tmp}/optave-webdriver.XXXXXX.json")
trap 'rm -rf "$profile" "$caps"' EXIT

node - webdriver.json "$profile" >"$caps" <<'EOF'
const fs = require('node:fs');
const [file, profile] = process.argv.slice(2);
const caps = JSON.parse(fs.readFileSync(file, 'utf8'));
const opts = (caps['goog:chromeOptions'] ??= {});
const args = (opts.args ?? []).filter((a) => !/^-{0,2}user-data-dir(=|$)/.test(a));
args.push(`--user-data-dir=${profile}`);
opts.args = args;
process.stdout.write(JSON.stringify(caps, null, 2) + '\n');
EOF
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$caps
echo "test-wasm: chromedriver $CHROMEDRIVER, capabilities $caps, fresh profile $profile" >&2

# The tests' console lines are shown (--nocapture): some print figures (the
# fault matrix's memory growth). Given runner arguments of its own, the
# caller decides.
# (wasm-pack takes the first `--` as its own: with no cargo arguments of the
# caller's, `-p optave-client` stands in front of it.)
args=("$@")
has_separator=0
for a in "$@"; do [[ $a == -- ]] && has_separator=1; done
((${#args[@]})) || args=(-p optave-client)
((has_separator)) || args+=(-- --nocapture)

OCO_SERVER_SUPERVISED=1 OCO_SERVER_URL_VAR=OCO_TEST_HTTP_RESTART "$root/scripts/with-server.sh" --no-auth -- \
    env OCO_SERVER_SUPERVISED=0 OCO_SERVER_URL_VAR=OCO_TEST_HTTP_NOAUTH "$root/scripts/with-server.sh" --no-auth -- \
    env OCO_SERVER_SUPERVISED=0 OCO_SERVER_URL_VAR=OCO_TEST_HTTP "$root/scripts/with-server.sh" -- \
    wasm-pack test --mode no-install --headless --chrome --chromedriver "$CHROMEDRIVER" "${args[@]}"
