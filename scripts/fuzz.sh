#!/usr/bin/env bash
# Fuzzes the CSV loader, the JSON record loader, model loading and factor import with
# cargo-fuzz (libFuzzer), SECONDS per target (default 20). Installs the nightly toolchain and
# cargo-fuzz when missing: cargo-fuzz needs nightly for its sanitizer flags.
# Crashes are saved under fuzz/artifacts/<target>/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi

for target in csv_loader records_loader model_load factor_import; do
  echo "== fuzzing $target for ${seconds}s"
  mkdir -p "fuzz/corpus/$target"
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 3
done
