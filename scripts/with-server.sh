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
# With OCO_SERVER_SUPERVISED=1 it runs `target/debug/oco-supervisor --max-lifetime-secs 900
# --server-bin <server binary> -- [server args...]` instead: the supervisor starts the
# server as its child and can kill and restart it on the same port. The script waits for
# the supervisor's "listening on http://127.0.0.1:<port>" and
# "control on http://127.0.0.1:<port>" lines, exports the server URL in $OCO_SERVER_URL_VAR
# and the control URL in ${OCO_SERVER_URL_VAR}_CONTROL, and afterwards stops the
# supervisor by its pid (the supervisor stops its server). The command runs without
# OCO_SERVER_SUPERVISED in its environment, so a nested with-server.sh starts a plain
# server unless asked again.
#
# Environment knobs:
#   OCO_SERVER_URL_VAR            name of the exported variable (default OCO_TEST_HTTP)
#   OCO_SERVER_BIN                server binary (default target/debug/oco-local-server)
#   OCO_SERVER_SUPERVISED         1: run the server under oco-supervisor (default 0)
#   OCO_SUPERVISOR_BIN            supervisor binary (default target/debug/oco-supervisor)
#   OCO_SERVER_START_TIMEOUT      seconds to wait for the listening line (default 30)
#   OCO_SERVER_MAX_LIFETIME_SECS  the server stops by itself after this long (default 900),
#                                 even if this script is killed
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server_bin=${OCO_SERVER_BIN:-$root/target/debug/oco-local-server}
url_var=${OCO_SERVER_URL_VAR:-OCO_TEST_HTTP}
supervised=${OCO_SERVER_SUPERVISED:-0}
supervisor_bin=${OCO_SUPERVISOR_BIN:-$root/target/debug/oco-supervisor}
unset OCO_SERVER_SUPERVISED
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

case $supervised in
0 | "") supervised=0 ;;
1) ;;
*)
    echo "with-server: OCO_SERVER_SUPERVISED='$supervised' must be 0 or 1" >&2
    exit 2
    ;;
esac

bins=("$server_bin")
if ((supervised)); then
    bins+=("$supervisor_bin")
fi
for bin in "${bins[@]}"; do
    if [[ ! -x $bin ]]; then
        echo "with-server: $bin not found; build it first (make server)" >&2
        exit 1
    fi
done

log=$(mktemp "${TMPDIR:-/tmp}/oco-local-server.XXXXXX.log")
# The supervisor's own stdout (its two address lines) goes to a file of its own.
out=""
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
    if [[ -n $out ]]; then
        rm -f "$out"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Prints the address of the first "<prefix>http://127.0.0.1:<port>" line of a file.
address_in() {
    local line
    line=$(grep -m1 -oE "^$2http://127\.0\.0\.1:[0-9]+" "$1" 2>/dev/null) || return 1
    echo "${line#"$2"}"
}

if ((supervised)); then
    out=$(mktemp "${TMPDIR:-/tmp}/oco-supervisor.XXXXXX.out")
    echo "with-server: starting $supervisor_bin --max-lifetime-secs $max_lifetime --server-bin $server_bin -- ${server_args[*]}" >&2
    "$supervisor_bin" --max-lifetime-secs "$max_lifetime" --server-bin "$server_bin" -- "${server_args[@]}" \
        >"$out" 2>"$log" </dev/null &
    server_pid=$!
    what="the supervisor"
    lines="'listening on' and 'control on' lines"
else
    echo "with-server: starting $server_bin --port 0 --max-lifetime-secs $max_lifetime ${server_args[*]}" >&2
    "$server_bin" --port 0 --max-lifetime-secs "$max_lifetime" "${server_args[@]}" >"$log" 2>&1 </dev/null &
    server_pid=$!
    what="the server"
    lines="'listening on http://127.0.0.1:<port>' line"
fi

url=""
control=""
deadline=$((SECONDS + start_timeout))
while ((SECONDS < deadline)); do
    if ((supervised)); then
        if url=$(address_in "$out" "listening on ") && control=$(address_in "$out" "control on "); then
            break
        fi
        url=""
    elif line=$(grep -m1 -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" 2>/dev/null); then
        url=${line#listening on }
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "with-server: $what exited before it was listening" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z $url ]]; then
    echo "with-server: no $lines within ${start_timeout}s" >&2
    exit 1
fi

if ((supervised)); then
    export "${url_var}_CONTROL=$control"
    echo "with-server: ${url_var}_CONTROL=$control (supervisor pid $server_pid)" >&2
fi
export "$url_var=$url"
echo "with-server: $url_var=$url (pid $server_pid, log $log)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
