#!/usr/bin/env bash
# The package as published (`make test-pkg`, pkg/ built first): publint on
# pkg/, then @arethetypeswrong/cli on the tarball `npm pack` makes of it,
# every entry of `exports` under node10, node16 (CJS and ESM) and bundler
# resolution. The one rule left out, cjs-resolves-to-esm: the package is
# ES modules only (wasm-bindgen's web target), so require() from CommonJS
# cannot load it (README.md, "Package").
# Prints "pkg: N passed, M failed".
#
# Usage: scripts/test-pkg.sh [pkgDir=pkg]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$(cd "${1:-$root/pkg}" && pwd)
bin=$root/node_modules/.bin
pass=0 fail=0

check() { # name command...
    local name=$1
    shift
    echo "==> test-pkg: $name"
    if "$@"; then
        pass=$((pass + 1))
    else
        echo "test-pkg: $name failed" >&2
        fail=$((fail + 1))
    fi
}

check "publint --strict" "$bin/publint" --strict "$pkg"
check "attw --pack (every entry, every resolution)" \
    "$bin/attw" --pack "$pkg" --ignore-rules cjs-resolves-to-esm --format table-flipped --no-color --no-emoji

echo "pkg: $pass passed, $fail failed"
((fail == 0))
