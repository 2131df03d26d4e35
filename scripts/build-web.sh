#!/usr/bin/env bash
# Builds the ES-module wasm builds that the demo page chooses from at startup
# (www/worker.js), release profile, wasm-pack --target web:
#
#   www/pkg          simd128, one thread: the default (.cargo/config.toml)
#   www/pkg-threads  simd128 and atomics, training on rayon's pool of Web Workers
#                    (wasm-bindgen-rayon); needs a cross-origin isolated page
#   www/pkg-nosimd   no simd128, one thread: for browsers without wasm SIMD
#
# Usage: scripts/build-web.sh [variant...]   (default: all three; variants are
# simd, threads, nosimd)
#
# The threaded build rebuilds the standard library with atomics, which needs the nightly
# toolchain below with rust-src (scripts/install-tools.sh installs both). Each variant
# has its own target directory, because the builds differ in RUSTFLAGS and would
# otherwise rebuild each other's dependencies.
set -euo pipefail

cd "$(dirname "$0")/.."

# Pinned so that the -Z build-std flags and the atomics support do not change under us.
NIGHTLY=$(cat scripts/nightly-toolchain)
OUT_NAME=hybrid_recommender

log() { printf '[build-web] %s\n' "$*"; }

build_simd() {
  log "simd128, one thread -> www/pkg"
  wasm-pack build --release --target web --out-dir www/pkg --out-name "$OUT_NAME"
}

build_nosimd() {
  log "no simd128, one thread -> www/pkg-nosimd"
  # RUSTFLAGS replaces the simd128 flag of .cargo/config.toml.
  CARGO_TARGET_DIR=target/wasm-nosimd RUSTFLAGS='-C target-feature=-simd128' \
    wasm-pack build --release --target web --out-dir www/pkg-nosimd --out-name "$OUT_NAME"
}

build_threads() {
  log "simd128 and atomics, rayon on Web Workers ($NIGHTLY) -> www/pkg-threads"
  # Since nightly-2025-10-03, rustc no longer turns atomics into a shared, imported
  # memory by itself, so the linker gets those flags and the thread-local storage
  # exports that wasm-bindgen's thread support uses.
  # NOTE: the shared memory is capped at 1 GiB (--max-memory), which bounds the
  # catalog size of this build; browsers reserve the maximum up front.
  local flags=(
    -C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128
    -C link-arg=--shared-memory
    -C link-arg=--max-memory=1073741824
    -C link-arg=--import-memory
    -C link-arg=--export=__wasm_init_tls
    -C link-arg=--export=__tls_size
    -C link-arg=--export=__tls_align
    -C link-arg=--export=__tls_base
  )
  CARGO_TARGET_DIR=target/wasm-threads RUSTUP_TOOLCHAIN=$NIGHTLY RUSTFLAGS="${flags[*]}" \
    wasm-pack build --release --target web --out-dir www/pkg-threads --out-name "$OUT_NAME" \
    -- --features threads -Z build-std=panic_abort,std
}

main() {
  local variants=("$@")
  if [ "${#variants[@]}" -eq 0 ]; then
    variants=(simd threads nosimd)
  fi
  local variant
  for variant in "${variants[@]}"; do
    case $variant in
      simd) build_simd ;;
      nosimd) build_nosimd ;;
      threads) build_threads ;;
      *)
        printf '[build-web] error: unknown variant %s, expected simd, threads or nosimd\n' "$variant" >&2
        exit 2
        ;;
    esac
  done
}

main "$@"
