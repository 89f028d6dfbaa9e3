#!/usr/bin/env bash
# Browser tests: `wasm-pack test --headless` once per engine, in the order of
# WASM_ENGINES (default "chromium firefox"; e.g. WASM_ENGINES=firefox runs one):
#   chromium  Debian's Chromium through chromedriver (--chrome)
#   firefox   Debian's Firefox ESR through geckodriver (--firefox)
# Every engine runs against the same four local oco-local-server instances,
# started once:
#   OCO_TEST_HTTP                  auth ON  (tests fetch tickets from /api/ws-ticket;
#                                  POST /message/* also takes the token in
#                                  OCO_TEST_REST_TOKEN, --rest-token)
#   OCO_TEST_HTTP_NOAUTH           --no-auth
#   OCO_TEST_HTTP_NOWS             --no-auth --no-websocket (every /ws upgrade refused
#                                  as a proxy would, until POST /api/test/websocket)
#   OCO_TEST_HTTP_RESTART          --no-auth, run under oco-supervisor, whose control
#   OCO_TEST_HTTP_RESTART_CONTROL  endpoints (POST /kill, /start, /restart?downMs=N,
#                                  GET /status) stop and start the server process on
#                                  the same port
# The tests read them with option_env! at compile time, so cargo rebuilds the
# test crates when the ports change (once per run: the engines share the build).
#
# The capabilities come from webdriver.json (crate root): "goog:chromeOptions"
# for Chromium, "moz:firefoxOptions" for Firefox. Each engine's run gets a copy
# holding only its own key, passed to wasm-bindgen-test-runner through
# WASM_BINDGEN_TEST_WEBDRIVER_JSON, and a fresh, empty profile, deleted
# afterwards:
#   chromium  --user-data-dir=<fresh directory>
#   firefox   geckodriver makes a new profile for each test binary under
#             --profile-root=<fresh directory>; geckodriver and Firefox run with
#             HOME, XDG_*_HOME and TMPDIR in that directory too (a wrapper
#             script), so nothing lands in the caller's home.
# webdriver.json's Firefox prefs: services.settings.server points Remote
# Settings at nothing (no fetches from the network) and network.proxy.type 0
# keeps any system proxy away from the local servers.
# Drivers: CHROMEDRIVER (default /usr/bin/chromedriver), GECKODRIVER (default:
# geckodriver on PATH, else ~/.cargo/bin/geckodriver); `make tools` installs them.
#
# Each engine's part of the output opens with "==> test-wasm: engine <name>"
# and closes with "==> test-wasm: engine <name> done: exit <status> in <N> s"
# (scripts/test-summary.sh counts the tests per engine from these lines). A
# failing engine does not stop the next; the script fails if any engine did.
#
# WASM_BINDGEN_TEST_TIMEOUT (seconds for one test binary) defaults to 300 for
# Chromium and 900 for Firefox: after an abnormal closure Firefox waits 200 to
# 400 ms before it opens the next WebSocket to the same host (its default
# network.websocket.delay-failed-reconnects), which the 1,000 drop/reconnect
# cycles of tests/web_session_stress.rs meet 1,000 times.
#
# Extra arguments are passed to wasm-pack test (e.g. `-- --test web`).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

read -r -a engines <<<"${WASM_ENGINES:-chromium firefox}"
if ((${#engines[@]} == 0)); then
    echo "test-wasm: WASM_ENGINES is empty (choose from: chromium firefox)" >&2
    exit 2
fi

chromedriver=${CHROMEDRIVER:-/usr/bin/chromedriver}
geckodriver=${GECKODRIVER:-$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")}
# wasm-bindgen-test-runner takes the first driver named in its environment
# (GECKODRIVER before CHROMEDRIVER, and any *_REMOTE before those), whatever
# wasm-pack was asked for: each engine's run sees only its own driver.
drivers_env=(GECKODRIVER CHROMEDRIVER SAFARIDRIVER MSEDGEDRIVER
    GECKODRIVER_REMOTE CHROMEDRIVER_REMOTE SAFARIDRIVER_REMOTE MSEDGEDRIVER_REMOTE)
unset "${drivers_env[@]}"

for engine in "${engines[@]}"; do
    case $engine in
    chromium) driver=$chromedriver ;;
    firefox) driver=$geckodriver ;;
    *)
        echo "test-wasm: unknown engine '$engine' in WASM_ENGINES (choose from: chromium firefox)" >&2
        exit 2
        ;;
    esac
    if [[ ! -x $driver ]]; then
        echo "test-wasm: the $engine driver $driver is not there; run 'make tools'" >&2
        exit 1
    fi
done

# ---------------------------------------------------------------------------
# Outer part: start the three servers once and run this script again inside
# them for the engines.

if [[ ${OCO_TEST_WASM_STAGE:-} != engines ]]; then
    # The servers stop by themselves after this long (a guard against a killed
    # run): 15 minutes per engine.
    export OCO_SERVER_MAX_LIFETIME_SECS=${OCO_SERVER_MAX_LIFETIME_SECS:-$((900 * ${#engines[@]}))}
    echo "test-wasm: engines: ${engines[*]}" >&2
    export OCO_TEST_REST_TOKEN=${OCO_TEST_REST_TOKEN:-rest-test-token}
    OCO_SERVER_SUPERVISED=1 OCO_SERVER_URL_VAR=OCO_TEST_HTTP_RESTART node "$root/tests/lib/local-server.mjs" --no-auth -- \
        env OCO_SERVER_SUPERVISED=0 OCO_SERVER_URL_VAR=OCO_TEST_HTTP_NOAUTH node "$root/tests/lib/local-server.mjs" --no-auth -- \
        env OCO_SERVER_SUPERVISED=0 OCO_SERVER_URL_VAR=OCO_TEST_HTTP_NOWS node "$root/tests/lib/local-server.mjs" --no-auth --no-websocket -- \
        env OCO_SERVER_SUPERVISED=0 OCO_SERVER_URL_VAR=OCO_TEST_HTTP node "$root/tests/lib/local-server.mjs" --rest-token "$OCO_TEST_REST_TOKEN" -- \
        env OCO_TEST_WASM_STAGE=engines WASM_ENGINES="${engines[*]}" \
        CHROMEDRIVER="$chromedriver" GECKODRIVER="$geckodriver" bash "$root/scripts/test-wasm.sh" "$@"
    exit
fi

# ---------------------------------------------------------------------------
# Inner part: one `wasm-pack test` per engine.

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

scratch=()
nudger=
cleanup() {
    local dir
    [[ -z $nudger ]] || kill "$nudger" 2>/dev/null || true
    for dir in "${scratch[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Writes webdriver.json's capabilities for one engine to stdout: only that
# engine's key, with the profile options of the caller's file replaced.
#   capabilities chromium <user-data-dir>
#   capabilities firefox
capabilities() {
    node - webdriver.json "$@" <<'EOF'
const fs = require('node:fs');
const [file, engine, profile] = process.argv.slice(2);
const all = JSON.parse(fs.readFileSync(file, 'utf8'));
const key = { chromium: 'goog:chromeOptions', firefox: 'moz:firefoxOptions' }[engine];
const caps = {};
for (const [k, v] of Object.entries(all)) {
  if (k === key || !/^(goog|moz):/.test(k)) caps[k] = v;
}
const opts = (caps[key] ??= {});
const args = [];
for (let i = 0, list = opts.args ?? []; i < list.length; i++) {
  const a = list[i];
  if (engine === 'chromium' && /^-{0,2}user-data-dir(=|$)/.test(a)) continue;
  // Firefox: geckodriver makes the fresh profile; a -profile of the file's would replace it.
  if (engine === 'firefox' && /^-{1,2}profile$/.test(a)) { i++; continue; }
  if (engine === 'firefox' && /^-{1,2}(P|profile=.*)$/.test(a)) continue;
  args.push(a);
}
if (engine === 'chromium') args.push(`--user-data-dir=${profile}`);
opts.args = args;
process.stdout.write(JSON.stringify(caps, null, 2) + '\n');
EOF
}

# wasm-bindgen-test-runner serves the test page with tiny_http 0.12, whose
# thread pool can leave a new connection queued behind threads that hold the
# browser's idle keep-alive connections: spawn() counts a waiting thread that
# a task pushed just before has already claimed. The page then waits for the
# wasm (or a snippet) until another connection reaches the server, or until
# the browser drops an idle one after minutes, and the run fails with
# "Failed to detect test as having been run" and the output div still at
# "Loading scripts...". Chromium's six parallel fetches of the page meet it now
# and then. Every second, while the engine runs, this opens and closes one
# connection to each port a wasm-bindgen-test-runner listens on
# (runner_ports): a pool with no thread waiting starts one for it, and that
# thread then takes the queued connection. The server sees an empty
# connection and nothing else.
nudge_runner_servers() {
    local port
    while sleep 1; do
        for port in $(runner_ports); do
            timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && exec 3<&-" 2>/dev/null || true
        done
    done
}

# The TCP ports the running wasm-bindgen-test-runner processes listen on, from
# /proc alone (no ss or lsof needed): their socket inodes, matched against the
# listening sockets (state 0A) of /proc/net/tcp.
runner_ports() {
    local dir comm fd link hex
    for dir in /proc/[0-9]*; do
        # `read`, a builtin: no process started per process looked at.
        read -r comm 2>/dev/null <"$dir/comm" || continue
        [[ $comm == wasm-bindgen-te* ]] || continue
        for fd in "$dir"/fd/*; do
            link=$(readlink "$fd" 2>/dev/null) || continue
            [[ $link == socket:* ]] || continue
            link=${link#socket:[}
            link=${link%]}
            for hex in $(awk -v inode="$link" '$4 == "0A" && $10 == inode { split($2, a, ":"); print a[2] }' /proc/net/tcp); do
                echo $((16#$hex))
            done
        done
    done
}

# Runs the suite in one engine; returns wasm-pack's status.
run_engine() {
    local engine=$1 dir caps timeout
    dir=$(mktemp -d "${TMPDIR:-/tmp}/optave-wasm-$engine.XXXXXX")
    scratch+=("$dir")
    caps=$dir/webdriver.json
    case $engine in
    chromium)
        mkdir "$dir/profile"
        capabilities chromium "$dir/profile" >"$caps"
        timeout=${WASM_BINDGEN_TEST_TIMEOUT:-300}
        echo "==> test-wasm: engine chromium: wasm-pack test --headless --chrome (chromedriver $chromedriver, capabilities $caps, fresh profile $dir/profile, timeout ${timeout}s per test binary)"
        WASM_BINDGEN_TEST_TIMEOUT=$timeout WASM_BINDGEN_TEST_WEBDRIVER_JSON=$caps \
            wasm-pack test --mode no-install --headless --chrome --chromedriver "$chromedriver" "${args[@]}"
        ;;
    firefox)
        mkdir -p "$dir/profiles" "$dir/home/.config" "$dir/home/.cache" "$dir/home/.local/share" "$dir/tmp"
        capabilities firefox >"$caps"
        # geckodriver passes its own environment on to Firefox. A release
        # build of Firefox honours the services.settings.server pref of
        # webdriver.json (no Remote Settings fetches from the network) only
        # with MOZ_REMOTE_SETTINGS_DEVTOOLS set.
        cat >"$dir/geckodriver" <<EOF
#!/bin/sh
export HOME='$dir/home' XDG_CONFIG_HOME='$dir/home/.config' XDG_CACHE_HOME='$dir/home/.cache' \\
    XDG_DATA_HOME='$dir/home/.local/share' TMPDIR='$dir/tmp' \\
    MOZ_CRASHREPORTER_DISABLE=1 MOZ_REMOTE_SETTINGS_DEVTOOLS=1
exec '$geckodriver' --profile-root '$dir/profiles' "\$@"
EOF
        chmod +x "$dir/geckodriver"
        timeout=${WASM_BINDGEN_TEST_TIMEOUT:-900}
        echo "==> test-wasm: engine firefox: wasm-pack test --headless --firefox (geckodriver $geckodriver, capabilities $caps, fresh profiles and home under $dir, timeout ${timeout}s per test binary)"
        WASM_BINDGEN_TEST_TIMEOUT=$timeout WASM_BINDGEN_TEST_WEBDRIVER_JSON=$caps \
            wasm-pack test --mode no-install --headless --firefox --geckodriver "$dir/geckodriver" "${args[@]}"
        ;;
    esac
}

results=()
failed=0
for engine in "${engines[@]}"; do
    start=$SECONDS
    status=0
    nudge_runner_servers &
    nudger=$!
    run_engine "$engine" || status=$?
    kill "$nudger" 2>/dev/null || true
    wait "$nudger" 2>/dev/null || true
    took=$((SECONDS - start))
    echo "==> test-wasm: engine $engine done: exit $status in $took s"
    if ((status == 0)); then
        results+=("$engine ok in $took s")
    else
        results+=("$engine FAILED (exit $status) in $took s")
        failed=1
    fi
done
echo "==> test-wasm: $(IFS=';'; echo "${results[*]}" | sed 's/;/; /g')"
exit "$failed"
