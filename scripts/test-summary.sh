#!/usr/bin/env bash
# Print per-suite and total test counts from the logs `make test` leaves in
# a directory (default target/test-logs):
#   native.log  cargo test            ("test result: ok. N passed; M failed; K ignored")
#   wasm.log    wasm-pack test        (same format, from wasm-bindgen-test-runner)
#   types.log   make test-types       ("types: N passed, M failed")
#   size.log    make test-size        ("size: N passed, M failed")
#   e2e.log     node --test           ("ℹ pass N" / "# pass N", fail, skipped, todo)
# The last line is "total: N passed, M failed, K skipped".
set -euo pipefail

dir=${1:-target/test-logs}

strip() { sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1"; }

total_pass=0 total_fail=0 total_skip=0

report() { # suite pass fail skip
    printf '%-7s %s passed, %s failed, %s skipped\n' "$1:" "$2" "$3" "$4"
    total_pass=$((total_pass + $2))
    total_fail=$((total_fail + $3))
    total_skip=$((total_skip + $4))
}

cargo_counts() { # file -> "pass fail skip"
    strip "$1" | awk '
        /test result: / {
            for (i = 1; i <= NF; i++) {
                w = $i; gsub(/[;,.]/, "", w)
                if (w == "passed") p += $(i - 1)
                if (w == "failed") f += $(i - 1)
                if (w == "ignored") s += $(i - 1)
            }
        }
        END { printf "%d %d %d\n", p, f, s }'
}

echo
echo "==> test summary"
for suite in native wasm types size e2e; do
    f=$dir/$suite.log
    if [[ ! -f $f ]]; then
        printf '%-7s not run\n' "$suite:"
        continue
    fi
    case $suite in
        native | wasm)
            read -r p fl s < <(cargo_counts "$f")
            ;;
        types | size)
            read -r p fl < <(strip "$f" | sed -nE "s/^$suite: ([0-9]+) passed, ([0-9]+) failed.*/\\1 \\2/p" | tail -n1)
            p=${p:-0} fl=${fl:-0} s=0
            ;;
        e2e)
            # node's spec reporter prints "ℹ pass N", the tap reporter "# pass N".
            read -r p fl s < <(strip "$f" | awk '
                $1 == "ℹ" || $1 == "#" {
                    if ($2 == "pass") p = $3
                    if ($2 == "fail") f = $3
                    if ($2 == "skipped" || $2 == "todo") s += $3
                }
                END { printf "%d %d %d\n", p, f, s }')
            ;;
    esac
    report "$suite" "$p" "$fl" "$s"
done
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
