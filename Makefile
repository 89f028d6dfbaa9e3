# optave-client: build and test entry points.
#
#   make tools      install what the build needs (idempotent; fast when already there)
#   make pkg        build the npm package into pkg/ (wasm-pack, short import names,
#                   wasm-opt -Oz, the JS layer bundled with the glue by esbuild)
#   make server     build the local OCO server (www-demo/server)
#   make demo       build everything and run the demo at http://127.0.0.1:$(PORT)/
#   make test       lint, native tests, browser tests, type tests, package lint, size gate,
#                   e2e tests, WebKit tests, consumer projects, summary
#   make test-wasm  the browser tests alone, once per engine (WASM_ENGINES="chromium firefox")
#   make test-webkit  the demo and the connect/send/close path in WebKitGTK (WebKitWebDriver, Xvfb)
#   make test-consumers  Vite, webpack and esbuild projects built from `npm pack` of pkg/,
#                   and optave-client/react (Vite + React 19 and 18 under StrictMode; server rendering)
#   make bench      browser benchmarks against the browser's own limits (BENCHMARKS.md)
#   make bench-coldstart  cold start on Slow 4G and unthrottled: bare socket vs the SDK, with and without preload
#   make bench-crosstab   one connection across tabs: sockets for five tabs, handover when the leader page closes
#   make fuzz       libFuzzer runs of the core (nightly + cargo-fuzz; FUZZ_SECONDS per target, FUZZ_TARGETS; FUZZING.md)
#   make fmt        format the workspace
#   make clean      remove build output
#
# Everything a fresh machine needs is installed by `make tools` (which `make test`
# runs): the wasm32 target, wasm-bindgen-cli (the exact version in Cargo.lock),
# wasm-pack, Debian's chromium + chromium-driver, firefox-esr, webkit2gtk-driver
# (WebKitWebDriver and WebKitGTK's MiniBrowser) and xvfb, geckodriver
# (cargo install), and node_modules (npm ci).
# Nothing is downloaded outside crates.io, npm and apt.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

export PATH := $(HOME)/.cargo/bin:$(PATH)

WASM_OPT := node_modules/.bin/wasm-opt
TSC := node_modules/.bin/tsc
ESBUILD := node_modules/.bin/esbuild

PORT ?= 8787
WASM_TARGET := wasm32-unknown-unknown
OUT_NAME := optave_client
PKG_DIR := pkg
# wasm-bindgen's output (the glue, the wasm before wasm-opt, the .d.ts), the
# input of the bundle `make pkg` writes into $(PKG_DIR).
GLUE_DIR := target/wasm-glue
SERVER_BIN := target/debug/oco-local-server
LOG_DIR := target/test-logs
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver
FIREFOX := /usr/bin/firefox-esr
WEBKITDRIVER := /usr/bin/WebKitWebDriver
WASM_PACK_VERSION ?= 0.15.1
GECKODRIVER_VERSION ?= 0.37.1
# The browsers `make test-wasm` runs the suite in, in this order (e.g.
# WASM_ENGINES=firefox for one); scripts/test-wasm.sh.
WASM_ENGINES ?= chromium firefox
# Extra arguments for `wasm-pack test` (e.g. WASM_TEST_ARGS='-- --test web').
WASM_TEST_ARGS ?=

# The features rustc's wasm32-unknown-unknown target emits by default
# (LLVM's "generic" CPU): wasm-opt must accept them, and must not add others.
WASM_OPT_FEATURES := --enable-bulk-memory --enable-bulk-memory-opt \
	--enable-nontrapping-float-to-int --enable-sign-ext \
	--enable-reference-types --enable-call-indirect-overlong \
	--enable-multivalue --enable-mutable-globals
# --low-memory-unused: the wasm's stack comes first in memory and grows down
# from 1 MiB, so the low 1 KiB is reached only by a stack about to overflow;
# wasm-opt may then fold constant offsets into loads and stores
# (BENCHMARKS.md, "Size"). -ocimfs 30: a function with one caller is inlined
# into it only up to 30 bytes; larger ones stay functions, which makes the
# wasm about 3 KB larger raw and about 1.1 KB smaller gzipped (its repeated
# code shapes compress better apart; 25 to 40 gave the same within 70 B).
WASM_OPT_FLAGS ?= -Oz --converge -ocimfs 30 --low-memory-unused --strip-debug --strip-producers

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CRATE_VERSION = $(shell awk -F'"' '/^\[/ { sec = $$0 } sec == "[package]" && /^version[[:space:]]*=/ { print $$2; exit }' Cargo.toml)

# Inputs of the package build: rebuild pkg/ only when one of them changed.
PKG_INPUTS := $(shell find src core/src js -type f 2>/dev/null) Cargo.toml core/Cargo.toml \
	$(wildcard Cargo.lock build.rs) $(wildcard pkg-template/*) LICENSE-MIT LICENSE-APACHE Makefile \
	scripts/pkg-entries.mjs scripts/check-pkg.mjs $(shell find tools/wasm-imports -type f 2>/dev/null)
PKG_STAMP := $(PKG_DIR)/.build-stamp

.PHONY: fuzz help tools tool-rust tool-wasm-bindgen tool-wasm-pack tool-chromium \
	tool-firefox tool-webkit tool-geckodriver tool-node \
	pkg server server-release demo test lint test-native test-wasm test-types test-pkg test-e2e test-summary \
	test-webkit test-consumers \
	test-size bench bench-coldstart bench-crosstab \
	fmt clean distclean

help:
	@sed -n '1,/^$$/p' Makefile | sed -e '/^$$/d' -e 's/^# \{0,1\}//'

# ---------------------------------------------------------------------------
# fuzz: the long runs (the short stable run is part of test-native:
# core/tests/core_fuzz.rs). Without a nightly toolchain it says so and runs
# the stable short run.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

fuzz:
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---------------------------------------------------------------------------
# tools

tools: tool-rust tool-wasm-bindgen tool-wasm-pack tool-chromium tool-firefox tool-webkit tool-geckodriver tool-node
	@echo "==> tools: all present"

tool-rust:
	@if rustup target list --installed | grep -qx '$(WASM_TARGET)'; then
		echo "==> tools: rust target $(WASM_TARGET) present"
	else
		echo "==> tools: rustup target add $(WASM_TARGET)"
		rustup target add $(WASM_TARGET)
	fi
	for comp in clippy rustfmt; do
		if ! rustup component list --installed 2>/dev/null | grep -q "^$$comp"; then
			echo "==> tools: rustup component add $$comp"
			rustup component add $$comp
		fi
	done

tool-wasm-bindgen:
	@if [ ! -f Cargo.lock ]; then
		echo "==> tools: no Cargo.lock; cargo generate-lockfile"
		cargo generate-lockfile
	fi
	want=$$(awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
	if [ -z "$$want" ]; then
		echo "tools: cannot find the wasm-bindgen version in Cargo.lock" >&2
		exit 1
	fi
	have=$$(wasm-bindgen --version 2>/dev/null | awk '{ print $$2 }' || true)
	if [ "$$have" = "$$want" ] && command -v wasm-bindgen-test-runner >/dev/null; then
		echo "==> tools: wasm-bindgen-cli $$want present"
		exit 0
	fi
	echo "==> tools: cargo install --locked wasm-bindgen-cli --version $$want --force (have: $${have:-none})"
	if ! cargo install --locked wasm-bindgen-cli --version "$$want" --force; then
		# Happens when the registry index lacks a version pinned by the CLI's own
		# lockfile; a fresh resolution still gives the same wasm-bindgen-cli.
		echo "==> tools: --locked install failed; retrying: cargo install wasm-bindgen-cli --version $$want --force"
		cargo install wasm-bindgen-cli --version "$$want" --force
	fi
	wasm-bindgen --version

tool-wasm-pack:
	@if command -v wasm-pack >/dev/null; then
		echo "==> tools: $$(wasm-pack --version) present"
		exit 0
	fi
	echo "==> tools: cargo install --locked wasm-pack --version $(WASM_PACK_VERSION)"
	if ! cargo install --locked wasm-pack --version $(WASM_PACK_VERSION); then
		echo "==> tools: --locked install failed; retrying without --locked"
		cargo install wasm-pack --version $(WASM_PACK_VERSION)
	fi

tool-chromium:
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; then
		echo "==> tools: chromium and chromedriver present"
		exit 0
	fi
	echo "==> tools: apt-get install -y chromium chromium-driver"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver

tool-firefox:
	@if [ -x $(FIREFOX) ]; then
		echo "==> tools: firefox-esr present"
		exit 0
	fi
	echo "==> tools: apt-get install -y firefox-esr"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends firefox-esr

# WebKitGTK 2.50's MiniBrowser has no headless mode: it needs an X display,
# which xvfb-run gives it (scripts/test-webkit.sh).
tool-webkit:
	@if [ -x $(WEBKITDRIVER) ] && command -v xvfb-run >/dev/null && command -v xauth >/dev/null; then
		echo "==> tools: WebKitWebDriver and xvfb-run present"
		exit 0
	fi
	echo "==> tools: apt-get install -y webkit2gtk-driver xvfb xauth"
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends webkit2gtk-driver xvfb xauth

# geckodriver is built from crates.io (its prebuilt downloads are not reachable).
tool-geckodriver:
	@if command -v geckodriver >/dev/null; then
		echo "==> tools: $$(geckodriver --version 2>/dev/null | awk 'NR == 1') present"
		exit 0
	fi
	echo "==> tools: cargo install --locked geckodriver --version $(GECKODRIVER_VERSION)"
	cargo install --locked geckodriver --version $(GECKODRIVER_VERSION)

tool-node:
	@if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
		echo "==> tools: node_modules up to date"
		exit 0
	fi
	echo "==> tools: npm ci"
	npm ci --no-audit --no-fund
	touch node_modules/.package-lock.json

# ---------------------------------------------------------------------------
# build

pkg: tools $(PKG_STAMP)
	@echo "==> pkg: $(PKG_DIR)/ is up to date (optave-client $(CRATE_VERSION))"

$(PKG_STAMP): $(PKG_INPUTS) | tools
	@echo "==> pkg: wasm-pack build --release --target web into $(GLUE_DIR)/ (no std: --no-default-features)"
	rm -rf $(PKG_DIR) $(GLUE_DIR)
	mkdir -p $(PKG_DIR)
	wasm-pack build --mode no-install --release --target web --out-dir $(GLUE_DIR) --out-name $(OUT_NAME) \
		-- --no-default-features
	wasm=$(PKG_DIR)/$(OUT_NAME)_bg.wasm
	echo "==> pkg: short import names in the wasm (tools/wasm-imports, walrus)"
	cargo run --quiet -p wasm-imports -- $(GLUE_DIR)/$(OUT_NAME)_bg.wasm $(GLUE_DIR)/short.wasm $(GLUE_DIR)/imports.json
	echo "==> pkg: wasm-opt $(WASM_OPT_FLAGS) (features: $(WASM_OPT_FEATURES))"
	$(WASM_OPT) $(WASM_OPT_FLAGS) $(WASM_OPT_FEATURES) $(GLUE_DIR)/short.wasm -o $$wasm
	echo "==> pkg: $$wasm: $$(stat -c %s $(GLUE_DIR)/$(OUT_NAME)_bg.wasm) -> $$(stat -c %s $$wasm) bytes"
	echo "==> pkg: $(GLUE_DIR)/parts.wasm: the wasm before wasm-opt without its unused functions, names kept (make test-size's parts)"
	$(WASM_OPT) --remove-unused-module-elements -g $(WASM_OPT_FEATURES) $(GLUE_DIR)/short.wasm -o $(GLUE_DIR)/parts.wasm
	echo "==> pkg: bundle js/entry.js with the glue, js/api.js and js/bindings.js (esbuild, the wasm's import names)"
	node scripts/pkg-entries.mjs bundle $(GLUE_DIR) $(PKG_DIR)
	cp $(GLUE_DIR)/$(OUT_NAME).d.ts $(PKG_DIR)/
	echo "==> pkg: copy pkg-template/ (version $(CRATE_VERSION))"
	for f in pkg-template/*; do
		name=$$(basename "$$f")
		if [ "$$name" = package.json ]; then
			sed 's/0\.0\.0-PLACEHOLDER/$(CRATE_VERSION)/g' "$$f" > $(PKG_DIR)/package.json
		else
			cp -R "$$f" $(PKG_DIR)/
		fi
	done
	cp LICENSE-MIT LICENSE-APACHE $(PKG_DIR)/
	echo "==> pkg: optave-client/inline (wasm as base64), typed wasm subpath, create() in the .d.ts"
	node scripts/pkg-entries.mjs finish $(PKG_DIR)
	echo "==> pkg: check (validate + instantiate the wasm in node, npm pack --dry-run)"
	node scripts/check-pkg.mjs $(PKG_DIR) $(CRATE_VERSION)
	touch $(PKG_STAMP)

server:
	@echo "==> server: cargo build -p oco-local-server"
	cargo build -p oco-local-server

demo: tools pkg server
	@echo "==> demo: open http://127.0.0.1:$(PORT)/ in a browser (Ctrl-C stops the server)"
	exec $(SERVER_BIN) --port $(PORT)

# ---------------------------------------------------------------------------
# tests

test:
	@rm -rf $(LOG_DIR)
	mkdir -p $(LOG_DIR)
	for t in tools lint test-native test-wasm test-types test-pkg test-size test-e2e test-webkit test-consumers; do
		echo
		echo "######## make $$t"
		$(MAKE) $$t
	done
	$(MAKE) test-summary

test-summary:
	@bash scripts/test-summary.sh $(LOG_DIR)

lint:
	@echo "==> lint: cargo fmt --all --check"
	cargo fmt --all --check
	echo "==> lint: cargo clippy --workspace --all-targets --features optave-core/ts -- -D warnings"
	cargo clippy --workspace --all-targets --features optave-core/ts -- -D warnings
	echo "==> lint: cargo clippy -p optave-client --target $(WASM_TARGET) --all-targets -- -D warnings"
	cargo clippy -p optave-client --target $(WASM_TARGET) --all-targets -- -D warnings
	echo "==> lint: cargo clippy -p optave-client --target $(WASM_TARGET) --lib --no-default-features -- -D warnings"
	cargo clippy -p optave-client --target $(WASM_TARGET) --lib --no-default-features -- -D warnings

test-native:
	@mkdir -p $(LOG_DIR)
	echo "==> test-native: cargo test --workspace --features optave-core/ts"
	cargo test --workspace --features optave-core/ts 2>&1 | tee $(LOG_DIR)/native.log

test-wasm: tools server
	@mkdir -p $(LOG_DIR)
	echo "==> test-wasm: wasm-pack test --headless in each engine of WASM_ENGINES ($(WASM_ENGINES)) against three local servers (auth, --no-auth, and a supervised --no-auth one the fault matrix restarts)"
	status=0
	WASM_ENGINES="$(WASM_ENGINES)" bash scripts/test-wasm.sh $(WASM_TEST_ARGS) 2>&1 | tee $(LOG_DIR)/wasm.log || status=$$?
	bash scripts/test-summary.sh $(LOG_DIR) wasm
	exit $$status

test-types: pkg
	@mkdir -p $(LOG_DIR)
	bash scripts/test-types.sh $(PKG_DIR) 2>&1 | tee $(LOG_DIR)/types.log

# The package as published: publint (package.json, exports, files) and
# @arethetypeswrong/cli (every entry's types resolve, under node10, node16
# and bundler resolution) on the packed tarball; README.md, "Package",
# explains the one rule left out (an ESM-only package has no require()).
test-pkg: pkg
	@mkdir -p $(LOG_DIR)
	bash scripts/test-pkg.sh $(PKG_DIR) 2>&1 | tee $(LOG_DIR)/pkg.log

# Size gate: prints the gzip -9 size of wasm + JS (the bundled entry) against the
# 58,000 B budget and each part's share against its own budget (core, facade,
# wasm-bindgen, library code, message text, glue: scripts/size-check.mjs,
# apportioned by the wasm before wasm-opt, which keeps its function names,
# less the functions nothing calls: $(GLUE_DIR)/parts.wasm),
# and fails above the growth ceiling SIZE_CEILING. The ceiling moves down with
# every change that wins bytes, and up only with a note in BENCHMARKS.md,
# "Size", saying what bought the bytes. It also reports the brotli size, the
# inline entry (optave-client/inline) and the React entry
# (optave-client/react), none of them gated.
SIZE_BUDGET ?= 58000
SIZE_CEILING ?= 87100
test-size: pkg
	@mkdir -p $(LOG_DIR)
	node scripts/size-check.mjs $(PKG_DIR) $(SIZE_BUDGET) --ceiling=$(SIZE_CEILING) --parts=$(GLUE_DIR)/parts.wasm 2>&1 | tee $(LOG_DIR)/size.log

# Browser benchmarks (release package, headless Chromium, local server):
# prints one table and writes target/bench.json.
server-release:
	@echo "==> server-release: cargo build --profile server-release -p oco-local-server"
	cargo build --profile server-release -p oco-local-server

bench: tools pkg server-release
	@echo "==> bench: node bench/run.mjs"
	node bench/run.mjs

# Cold start of a chat widget (navigation to the first superpower frame) on a
# throttled network and without: prints one table, writes target/coldstart.json.
bench-coldstart: tools pkg server-release
	@echo "==> bench-coldstart: node bench/coldstart.mjs"
	node bench/coldstart.mjs

# One connection across tabs: sockets for five tabs of one key, and the
# handover when the leader's page closes (median and p90); prints one table,
# writes target/cross-tab.json.
bench-crosstab: tools pkg server-release
	@echo "==> bench-crosstab: node bench/cross-tab.mjs"
	node bench/cross-tab.mjs

test-e2e: pkg server
	@mkdir -p $(LOG_DIR)
	shopt -s nullglob
	files=(tests/e2e/*.mjs tests/e2e/*.js)
	if [ $${#files[@]} -eq 0 ]; then
		echo "test-e2e: no test files in tests/e2e/" >&2
		exit 1
	fi
	echo "==> test-e2e: node --test $${files[*]} against a local server"
	OCO_SERVER_URL_VAR=OCO_DEMO_BASE node tests/lib/local-server.mjs -- \
		bash -c 'export OCO_DEMO_URL="$$OCO_DEMO_BASE/"; echo "test-e2e: OCO_DEMO_URL=$$OCO_DEMO_URL"; exec node --test --test-reporter=spec "$$@"' \
		node-test "$${files[@]}" 2>&1 | tee $(LOG_DIR)/e2e.log

# The WebKit suite (tests/webkit/): WebKitWebDriver drives WebKitGTK's
# MiniBrowser under Xvfb against a local server; scripts/test-webkit.sh.
test-webkit: tools pkg server
	@mkdir -p $(LOG_DIR)
	echo "==> test-webkit: node --test tests/webkit/*.mjs in WebKitGTK (WebKitWebDriver, xvfb-run) against a local server"
	bash scripts/test-webkit.sh 2>&1 | tee $(LOG_DIR)/webkit.log

# Consumer projects (tests/consumers/): Vite, webpack and esbuild builds of the
# packed package, served by the local server and run in headless Chromium; the
# React entry in a Vite app on React 19 and 18 (dev server and production build, the
# docs' React examples) and on the server (react-dom/server in Node).
test-consumers: tools pkg server
	@mkdir -p $(LOG_DIR)
	echo "==> test-consumers: node --test tests/consumers/{consumers,react,react-ssr}.test.mjs (Vite, webpack, esbuild; the npm README quick start in Vite; optave-client/react in Vite on React 19 and 18, and in Node)"
	node --test --test-reporter=spec tests/consumers/consumers.test.mjs tests/consumers/react.test.mjs \
		tests/consumers/react-ssr.test.mjs 2>&1 | tee $(LOG_DIR)/consumers.log

# ---------------------------------------------------------------------------

fmt:
	@echo "==> fmt: cargo fmt --all"
	cargo fmt --all

clean:
	@echo "==> clean: cargo clean; rm -rf $(PKG_DIR)"
	cargo clean
	rm -rf $(PKG_DIR)

distclean: clean
	@echo "==> distclean: rm -rf node_modules"
	rm -rf node_modules
