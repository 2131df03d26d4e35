#!/usr/bin/env bash
# Installs what `make demo` (argument "demo") or `make test` (argument "test") needs,
# skipping every tool that is already present at the right version. Meant for a fresh
# Debian or Ubuntu machine with the Rust toolchain (rustup) installed; apt-get steps
# run as root or through sudo.
set -euo pipefail

mode=${1:-test}
cd "$(dirname "$0")/.."

log() { printf '[install] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root for: $*"
    exit 1
  fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v cargo >/dev/null 2>&1; then
  log "cargo not found: install Rust with rustup (https://rustup.rs), then run this again"
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The threaded wasm build (scripts/build-web.sh) rebuilds the standard library with
# atomics, which needs this pinned nightly and its rust-src.
nightly=$(cat scripts/nightly-toolchain)
if ! rustup component list --toolchain "$nightly" --installed 2>/dev/null | grep -q '^rust-src'; then
  log "installing the $nightly toolchain with rust-src"
  rustup toolchain install "$nightly" --profile minimal --component rust-src
fi

# wasm-pack runs the wasm-bindgen CLI, which must match the wasm-bindgen crate in
# Cargo.lock exactly; cargo-installed copies live in ~/.cargo/bin.
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  log "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

wasm_pack_version=0.15.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$wasm_pack_version" ]; then
  log "installing wasm-pack $wasm_pack_version (a few minutes)"
  cargo install wasm-pack --version "$wasm_pack_version"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing Node.js and npm"
  apt_install nodejs npm
fi

# package-lock.json pins a current wasm-opt (npm "binaryen") and the browser driver.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "$mode" = test ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
fi

log "tools ready for '$mode'"
