#!/usr/bin/env bash
# The type tests of `make test-types` (pkg/ built first):
#   1. tests/consumer.ts and tests/react.ts (the React entry) with
#      tests/tsconfig.json (strict; each `@ts-expect-error` line is a mistake
#      the declarations must reject).
#   2. The package as a consumer resolves it (tests/exports.ts through the
#      `exports` map: main entry, /inline, /react, the wasm subpath) with the package's
#      .d.ts files checked too (skipLibCheck false), once per lib: ES2020,
#      ES2022, ESNext (each with DOM: a browser package).
#   3. The snapshot of the public types (scripts/dts-snapshot.mjs): the
#      built optave_client.d.ts, react.d.ts and inline.d.ts equal
#      tests/types-snapshot/ (UPDATE_SNAPSHOTS=1 writes them there instead).
# Prints "types: N passed, M failed", N counting each mistake of consumer.ts
# and react.ts, the two files themselves, each lib and each snapshot file.
#
# Usage: scripts/test-types.sh [pkgDir=pkg]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$(cd "${1:-$root/pkg}" && pwd)
tsc=$root/node_modules/.bin/tsc
pass=0 fail=0

expected=$(cat "$root/tests/consumer.ts" "$root/tests/react.ts" | grep -cE '^[[:space:]]*// @ts-expect-error' || true)
echo "==> test-types: tsc -p tests/tsconfig.json --noEmit (consumer.ts, react.ts: $expected @ts-expect-error lines)"
if "$tsc" -p "$root/tests/tsconfig.json" --noEmit; then
    pass=$((pass + expected + 2))
else
    echo "test-types: consumer.ts / react.ts: tsc reported errors (an unused '@ts-expect-error' means a mistake was accepted)" >&2
    fail=$((fail + 1))
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/node_modules/@types"
ln -s "$pkg" "$work/node_modules/optave-client"
# The React entry's types import 'react' (a peer dependency): the consumer has it.
ln -s "$root/node_modules/@types/react" "$work/node_modules/@types/react"
cp "$root/tests/exports.ts" "$work/exports.ts"
for lib in es2020 es2022 esnext; do
    cat > "$work/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "skipLibCheck": false, "types": [],
    "target": "es2020", "module": "esnext", "moduleResolution": "bundler",
    "lib": ["$lib", "dom"]
  },
  "files": ["exports.ts", "node_modules/optave-client/optave_client.d.ts",
    "node_modules/optave-client/inline.d.ts", "node_modules/optave-client/react.d.ts",
    "node_modules/optave-client/optave_client_bg.wasm.d.ts"]
}
JSON
    echo "==> test-types: lib $lib: tsc over the package .d.ts and tests/exports.ts (skipLibCheck false)"
    if "$tsc" -p "$work/tsconfig.json"; then
        pass=$((pass + 1))
    else
        echo "test-types: lib $lib: tsc reported errors" >&2
        fail=$((fail + 1))
    fi
done

echo "==> test-types: the public types against tests/types-snapshot/ (UPDATE_SNAPSHOTS=1 updates them)"
if out=$(node "$root/scripts/dts-snapshot.mjs" "$pkg"); then
    echo "$out"
    pass=$((pass + 3))
else
    echo "$out"
    fail=$((fail + $(echo "$out" | sed -n 's/^types-snapshot: [0-9]* passed, \([0-9]*\) failed$/\1/p')))
fi

echo "types: $pass passed, $fail failed"
((fail == 0))
