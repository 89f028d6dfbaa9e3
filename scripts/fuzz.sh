#!/usr/bin/env bash
# Fuzzes optave-core with libFuzzer (cargo-fuzz, nightly Rust).
#
#   scripts/fuzz.sh [seconds-per-target] [target...]
#
# Targets: outbound (the envelope builder), url (the websocketUrl rule),
# options (the client option parser), inbound (the frame router); all four
# by default, 60 s each. The
# properties are core/tests/fuzz/mod.rs, the same the stable short run
# (`cargo test -p optave-core --test core_fuzz`) checks.
#
# Each target starts from its committed seeds, core/fuzz/corpus/<target>
# (read only), and core/fuzz/corpus-run/<target> (git-ignored), where the
# inputs the run finds are kept for the next run. A failing input is written
# to core/fuzz/artifacts/<target>/ (git-ignored). libFuzzer's whole output
# goes to target/fuzz-logs/<target>.log; its final statistics (executions,
# exec/s, coverage) are printed here.
#
# Without a nightly toolchain (or cargo-fuzz, which is installed when
# missing and installable) this says so and runs the stable short run.
#
# Environment: CARGO_TARGET_DIR (where cargo-fuzz builds; default
# core/fuzz/target), FUZZ_ARGS (more libFuzzer flags, e.g. "-max_len=8192").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="$ROOT/core/fuzz"
LOG_DIR="$ROOT/target/fuzz-logs"
ALL_TARGETS=(outbound url options inbound)

usage() {
    echo "usage: scripts/fuzz.sh [seconds-per-target] [target...]  (targets: ${ALL_TARGETS[*]})" >&2
    exit 2
}

SECONDS_PER_TARGET=60
if [[ $# -gt 0 ]]; then
    [[ "$1" =~ ^[0-9]+$ && "$1" -gt 0 ]] || usage
    SECONDS_PER_TARGET="$1"
    shift
fi
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL_TARGETS[@]}")
for t in "${TARGETS[@]}"; do
    [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t'" >&2; usage; }
done

stable_run() {
    echo "fuzz.sh: $1; running the stable short run instead (cargo test -p optave-core --test core_fuzz)."
    cd "$ROOT"
    exec cargo test -p optave-core --test core_fuzz
}

if ! cargo +nightly --version >/dev/null 2>&1; then
    stable_run "no nightly toolchain (rustup toolchain install nightly)"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is missing; installing it (cargo install --locked cargo-fuzz)."
    cargo install --locked cargo-fuzz || stable_run "cargo-fuzz could not be installed"
fi

mkdir -p "$LOG_DIR"
cd "$FUZZ_DIR"
failed=()
for t in "${TARGETS[@]}"; do
    mkdir -p "corpus-run/$t"
    log="$LOG_DIR/$t.log"
    echo "== $t: ${SECONDS_PER_TARGET}s (log: ${log#"$ROOT"/})"
    status=0
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    cargo +nightly fuzz run "$t" "corpus-run/$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -dict="dict/$t.dict" -print_final_stats=1 \
        ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
    # libFuzzer's final line (#N DONE cov: ... exec/s: ...) and statistics.
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
    if [[ $status -ne 0 ]]; then
        failed+=("$t")
        echo "!! $t failed (exit $status); the end of its log:"
        tail -n 40 "$log"
        ls -1 "artifacts/$t" 2>/dev/null | sed "s|^|   artifact: core/fuzz/artifacts/$t/|" || true
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz.sh: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz.sh: ${TARGETS[*]}: no property violated"
