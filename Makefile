# `make demo` builds and serves the demo page; `make test` runs every test.
# Both first install whatever tool is missing (scripts/install-tools.sh).

PORT ?= 8080
# Tools from package-lock.json (a current wasm-opt) and cargo-installed binaries first.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

WASM_PACK_BUILD = wasm-pack build --release --out-name hybrid_recommender

.PHONY: demo test tools-demo tools-test web lint unit wasm-test page-test package package-test fuzz bench

demo: tools-demo web
	node scripts/serve.mjs www $(PORT)

test: tools-test lint unit wasm-test web page-test package-test

tools-demo:
	scripts/install-tools.sh demo

tools-test:
	scripts/install-tools.sh test

## The ES-module builds the page chooses from: www/pkg (SIMD), www/pkg-threads (SIMD and
## Web Worker threads, nightly toolchain) and www/pkg-nosimd.
web:
	scripts/build-web.sh

lint:
	cargo fmt --check
	cargo clippy --all-targets --features cli -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

unit:
	cargo test --release --features cli

wasm-test:
	wasm-pack test --headless --chrome --release

page-test:
	node --test tests/page/

## The importable package: web, bundler and nodejs builds in pkg/ with the typed wrapper.
package:
	scripts/build-package.sh

package-test: package
	npm ci --prefix tests/package --no-audit --no-fund
	node --test tests/package/

## Fuzz each input path for FUZZ_SECONDS (default 20) per target; not part of `test`.
fuzz:
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),20)

## Speed and memory benchmarks with the comparison against implicit; not part of `test`.
bench:
	scripts/benchmark.sh
