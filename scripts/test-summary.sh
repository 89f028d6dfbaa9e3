#!/usr/bin/env bash
# Print per-suite and total test counts from the logs `make test` leaves in
# a directory (default target/test-logs):
#   native.log  cargo test            ("test result: ok. N passed; M failed; K ignored")
#   wasm.log    wasm-pack test        (same format, from wasm-bindgen-test-runner), once
#                                     per engine: scripts/test-wasm.sh opens each
#                                     engine's part with "==> test-wasm: engine <name>",
#                                     and each engine gets a line "wasm (<name>): ..."
#   types.log   make test-types       ("types: N passed, M failed")
#   pkg.log     make test-pkg         ("pkg: N passed, M failed")
#   size.log    make test-size        ("size: N passed, M failed")
#   e2e.log     node --test           ("ℹ pass N" / "# pass N", fail, skipped, todo)
#   webkit.log  make test-webkit      (node --test, same format; WebKitGTK)
#   consumers.log make test-consumers (node --test, same format; the line also says
#                                     "<bundler> ok" or "<bundler> FAILED" per consumer
#                                     project, from the spec reporter's ✔/✖ lines)
# The last line is "total: N passed, M failed, K skipped".
#
# Usage: scripts/test-summary.sh [dir [suite...]]; with suites (e.g. `wasm`),
# only those are printed and added up.
set -euo pipefail

dir=${1:-target/test-logs}
shift || true
suites=("$@")
((${#suites[@]})) || suites=(native wasm types pkg size e2e webkit consumers)

strip() { sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1"; }

total_pass=0 total_fail=0 total_skip=0

report() { # suite pass fail skip [note]
    printf '%-7s %s passed, %s failed, %s skipped%s\n' "$1:" "$2" "$3" "$4" "${5:+ ($5)}"
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

# wasm.log -> one line "engine pass fail skip status" per engine, in the order
# they ran ("-" for a log without engine lines, status "-" when the engine's
# closing line is missing). wasm-bindgen-test-runner prints no "test result"
# for a test binary it gave up on ("Failed to detect test as having been
# run", a timeout): that counts as one failed test.
wasm_counts() { # file
    strip "$1" | awk '
        function start(e) {
            if (!(e in seen)) { seen[e] = 1; order[++n] = e; p[e] = f[e] = s[e] = 0; st[e] = "-" }
            cur = e
        }
        BEGIN { cur = "" }
        /^==> test-wasm: engine [^ ]+ done: exit [0-9]+/ {
            e = $4; start(e); st[e] = $7; next
        }
        /^==> test-wasm: engine [^ ]+:/ { e = $4; sub(/:$/, "", e); start(e); next }
        /Failed to detect test as having been run/ { if (cur == "") start("-"); f[cur]++; next }
        /test result: / {
            if (cur == "") start("-")
            for (i = 1; i <= NF; i++) {
                w = $i; gsub(/[;,.]/, "", w)
                if (w == "passed") p[cur] += $(i - 1)
                if (w == "failed") f[cur] += $(i - 1)
                if (w == "ignored") s[cur] += $(i - 1)
            }
        }
        END { for (i = 1; i <= n; i++) { e = order[i]; printf "%s %d %d %d %s\n", e, p[e], f[e], s[e], st[e] } }'
}

echo
echo "==> test summary"
for suite in "${suites[@]}"; do
    f=$dir/$suite.log
    if [[ ! -f $f ]]; then
        printf '%-7s not run\n' "$suite:"
        continue
    fi
    case $suite in
        native)
            read -r p fl s < <(cargo_counts "$f")
            ;;
        wasm)
            found=0
            while read -r engine p fl s st; do
                found=1
                note=""
                [[ $st == - || $st == 0 ]] || note="exit $st"
                [[ $st != - || $engine == - ]] || note="unfinished"
                if [[ $engine == - ]]; then
                    report wasm "$p" "$fl" "$s" "$note"
                else
                    report "wasm ($engine)" "$p" "$fl" "$s" "$note"
                fi
            done < <(wasm_counts "$f")
            ((found)) || report wasm 0 0 0
            continue
            ;;
        types | pkg | size)
            read -r p fl < <(strip "$f" | sed -nE "s/^$suite: ([0-9]+) passed, ([0-9]+) failed.*/\\1 \\2/p" | tail -n1)
            p=${p:-0} fl=${fl:-0} s=0
            ;;
        e2e | webkit | consumers)
            # node's spec reporter prints "ℹ pass N", the tap reporter "# pass N".
            read -r p fl s < <(strip "$f" | awk '
                $1 == "ℹ" || $1 == "#" {
                    if ($2 == "pass") p = $3
                    if ($2 == "fail") f = $3
                    if ($2 == "skipped" || $2 == "todo") s += $3
                }
                END { printf "%d %d %d\n", p, f, s }')
            if [[ $suite == consumers ]]; then
                # "✔ vite: builds ..." / "✖ vite: builds ..." -> "vite ok, esbuild FAILED"
                note=$(strip "$f" | awk '
                    ($1 == "✔" || $1 == "✖") && $2 ~ /:$/ {
                        name = $2; sub(/:$/, "", name)
                        if (!(name in seen)) { seen[name] = 1; order[++n] = name }
                        res[name] = ($1 == "✔") ? "ok" : "FAILED"
                    }
                    END { for (i = 1; i <= n; i++) printf "%s%s %s", (i > 1 ? ", " : ""), order[i], res[order[i]] }')
                report "$suite" "$p" "$fl" "$s" "$note"
                continue
            fi
            ;;
    esac
    report "$suite" "$p" "$fl" "$s"
done
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
