#!/usr/bin/env bash
# Builds the npm package into pkg/ for three wasm-pack targets, release profile:
#
#   pkg/web      ES module that fetches the .wasm itself (plain <script type="module">)
#   pkg/bundler  ES module that imports the .wasm (webpack 5, Vite, Rollup)
#   pkg/node     CommonJS for Node.js
#
# TODO: ship the threaded build of scripts/build-web.sh as pkg/web-threads too.
#
# Each output gets the hand-written declarations from js/ in place of the generated
# hybrid_recommender.d.ts, whose option and result types are `any`. The generated file
# stays as hybrid_recommender_bindgen.d.ts, because the new one re-exports init() from
# it. web and bundler also get the Web Worker wrapper (client.js, worker.js). The script
# ends by printing the size of each .wasm, raw and gzipped (gzip -9).
#
# Run from anywhere; it needs wasm-pack, the wasm-bindgen CLI matching Cargo.lock and
# a wasm-opt newer than binaryen 108 on PATH, which the repository's tools provide:
#
#   PATH=$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH scripts/build-package.sh
set -euo pipefail

cd "$(dirname "$0")/.."

OUT_NAME=hybrid_recommender
# wasm-pack target, then the directory under pkg/.
TARGETS=(web:web bundler:bundler nodejs:node)
# binaryen 108 (Debian 12's wasm-opt) writes reference-typed tables as anyref, which
# browsers reject; the npm "binaryen" package in package-lock.json is current.
MIN_WASM_OPT_VERSION=109

log() { printf '[build-package] %s\n' "$*"; }
fail() {
  printf '[build-package] error: %s\n' "$*" >&2
  exit 1
}

check_tools() {
  command -v wasm-pack >/dev/null 2>&1 ||
    fail "wasm-pack not found on PATH: run scripts/install-tools.sh, or add \$HOME/.cargo/bin to PATH"
  command -v wasm-bindgen >/dev/null 2>&1 ||
    fail "wasm-bindgen not found on PATH: run scripts/install-tools.sh, or add \$HOME/.cargo/bin to PATH"
  command -v node >/dev/null 2>&1 ||
    fail "node not found on PATH: it edits each output's package.json"

  local wasm_opt_version
  wasm_opt_version=$(wasm-opt --version 2>/dev/null | awk '{print $3}')
  if [[ ! $wasm_opt_version =~ ^[0-9]+$ ]]; then
    fail "wasm-opt not found on PATH: run npm ci at the repository root and put node_modules/.bin first on PATH"
  fi
  if ((wasm_opt_version < MIN_WASM_OPT_VERSION)); then
    fail "wasm-opt $(command -v wasm-opt) is version $wasm_opt_version, expected $MIN_WASM_OPT_VERSION or newer: put node_modules/.bin first on PATH"
  fi
}

# Replaces the generated declarations with the hand-written ones and lists the added
# files in package.json, so that `npm pack` ships them.
install_js_files() {
  local target=$1 out_dir=$2
  local entry_declarations
  case $target in
    web) entry_declarations=js/web.d.ts ;;
    *) entry_declarations=js/module.d.ts ;;
  esac

  mv "$out_dir/$OUT_NAME.d.ts" "$out_dir/${OUT_NAME}_bindgen.d.ts"
  cp "$entry_declarations" "$out_dir/$OUT_NAME.d.ts"
  cp js/types.d.ts js/recommender.d.ts "$out_dir/"
  local added=("${OUT_NAME}_bindgen.d.ts" types.d.ts recommender.d.ts)
  if [[ $target != nodejs ]]; then
    cp js/client.js js/client.d.ts js/worker.js "$out_dir/"
    added+=(client.js client.d.ts worker.js)
  fi

  node - "$out_dir/package.json" "${added[@]}" <<'EOF'
const fs = require('node:fs');
const [file, ...added] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
manifest.files = [...new Set([...(manifest.files ?? []), ...added])];
fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
EOF
}

print_size() {
  local wasm_file=$1
  local raw gzipped
  raw=$(wc -c <"$wasm_file")
  gzipped=$(gzip -9 -c "$wasm_file" | wc -c)
  awk -v file="$wasm_file" -v raw="$raw" -v gz="$gzipped" 'BEGIN {
    printf "%-45s %9d bytes (%.1f KiB), gzip -9: %8d bytes (%.1f KiB)\n", file, raw, raw / 1024, gz, gz / 1024
  }'
}

main() {
  check_tools
  local entry target dir
  for entry in "${TARGETS[@]}"; do
    target=${entry%%:*}
    dir=pkg/${entry#*:}
    log "wasm-pack build --target $target into $dir"
    wasm-pack build --release --target "$target" --out-dir "$dir" --out-name "$OUT_NAME"
    install_js_files "$target" "$dir"
  done

  log "sizes"
  for entry in "${TARGETS[@]}"; do
    print_size "pkg/${entry#*:}/${OUT_NAME}_bg.wasm"
  done
}

main "$@"
