#!/usr/bin/env bash
# Run a command against a freshly started oco-local-server.
#
# Usage: scripts/with-server.sh [server args...] -- <command...>
#
# Starts `target/debug/oco-local-server --port 0 --max-lifetime-secs 900 [server args...]`
# (it listens on 127.0.0.1 only, on a free port), waits for its
# "listening on http://127.0.0.1:<port>" line, exports the base URL
# (e.g. http://127.0.0.1:41234, no trailing slash) in the variable named by
# $OCO_SERVER_URL_VAR (default OCO_TEST_HTTP), runs the command, always stops
# the server afterwards and exits with the command's status.
#
# Environment knobs:
#   OCO_SERVER_URL_VAR            name of the exported variable (default OCO_TEST_HTTP)
#   OCO_SERVER_BIN                server binary (default target/debug/oco-local-server)
#   OCO_SERVER_START_TIMEOUT      seconds to wait for the listening line (default 30)
#   OCO_SERVER_MAX_LIFETIME_SECS  the server stops by itself after this long (default 900),
#                                 even if this script is killed
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server_bin=${OCO_SERVER_BIN:-$root/target/debug/oco-local-server}
url_var=${OCO_SERVER_URL_VAR:-OCO_TEST_HTTP}
start_timeout=${OCO_SERVER_START_TIMEOUT:-30}
max_lifetime=${OCO_SERVER_MAX_LIFETIME_SECS:-900}

usage() {
    echo "usage: $0 [server args...] -- <command...>" >&2
    exit 2
}

if [[ ! $url_var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
    echo "with-server: OCO_SERVER_URL_VAR='$url_var' is not a valid variable name" >&2
    exit 2
fi

server_args=()
saw_separator=0
while (($#)); do
    if [[ $1 == -- ]]; then
        saw_separator=1
        shift
        break
    fi
    server_args+=("$1")
    shift
done
((saw_separator)) || usage
(($#)) || usage

if [[ ! -x $server_bin ]]; then
    echo "with-server: $server_bin not found; build it first (make server)" >&2
    exit 1
fi

log=$(mktemp "${TMPDIR:-/tmp}/oco-local-server.XXXXXX.log")
server_pid=""

cleanup() {
    local status=$?
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        # Give it a moment to exit cleanly, then insist.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if ((status != 0)) && [[ -s $log ]]; then
        echo "---- last lines of the $url_var server log ($log) ----" >&2
        tail -n 40 "$log" >&2 || true
        echo "---- end of server log ----" >&2
    else
        rm -f "$log"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "with-server: starting $server_bin --port 0 --max-lifetime-secs $max_lifetime ${server_args[*]}" >&2
"$server_bin" --port 0 --max-lifetime-secs "$max_lifetime" "${server_args[@]}" >"$log" 2>&1 </dev/null &
server_pid=$!

url=""
deadline=$((SECONDS + start_timeout))
while ((SECONDS < deadline)); do
    if line=$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" 2>/dev/null); then
        url=${line#listening on }
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "with-server: the server exited before it was listening" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z $url ]]; then
    echo "with-server: no 'listening on http://127.0.0.1:<port>' line within ${start_timeout}s" >&2
    exit 1
fi

export "$url_var=$url"
echo "with-server: $url_var=$url (pid $server_pid, log $log)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
