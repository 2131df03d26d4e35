#!/usr/bin/env bash
# Runs every native benchmark and writes the figures to target/bench/:
#  - stages.json: each stage at 1x, 4x and 16x the default synthetic shop (SCALES to
#    change), with peak memory;
#  - implicit-*.json: our ALS against the implicit library (PyPI, in .venv-bench/) on
#    the same confidence matrix, single-threaded, for the synthetic shop and the real
#    datasets in ../shared/data;
# then draws docs/benchmarks.svg. Not part of `make test`: it takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

scales=${SCALES:-1,4,16}
out=target/bench
data=../shared/data
mkdir -p "$out"

cargo build --release --features cli
bin=target/release/hybrid-rec

if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
fi
.venv-bench/bin/pip install -q implicit==0.7.3 scipy==1.17.1 threadpoolctl==3.8.0
# One thread for every library, so both sides are compared per core.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

echo "== stages at ${scales}x"
"$bin" bench --scales "$scales" --json > "$out/stages.json"
python3 - "$out/stages.json" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1])):
    print(f"{r['scale']:>3}x {r['users']:>7} users {r['products']:>6} items {r['interactions']:>8} events: "
          f"ALS {r['als_ms_per_iteration']:.0f} ms/it, content {r['content_ms']:.0f} ms, "
          f"recommend p99 {r['recommend_p99_ms']:.2f} ms, peak {r['peak_rss_mb']:.0f} MB")
EOF

# Each comparison runs once per ALS seed on both sides, because with a few hundred
# evaluated users the initial factors alone move NDCG@10 by a few percent.
seeds=${SEEDS:-1 2 3 4 5}

# Exports the ALS problem once per seed into $out/NAME-SEED and compares all of them.
compare() {
  local name=$1
  shift
  local dirs=()
  for seed in $seeds; do
    "$bin" export-als "$@" --als-seed "$seed" --out "$out/$name-$seed" >/dev/null
    dirs+=("$out/$name-$seed")
  done
  .venv-bench/bin/python scripts/compare_implicit.py "${dirs[@]}" --json "$out/implicit-$name.json"
}

echo "== ALS against implicit: synthetic shop"
compare synthetic

if [ -d "$data/uci-online-retail" ]; then
  echo "== ALS against implicit: UCI Online Retail"
  first=1
  : > "$out/uci-transactions.csv"
  for month in "$data"/uci-online-retail/transactions_*.csv; do
    if [ "$first" = 1 ]; then cat "$month" >> "$out/uci-transactions.csv"; first=0; else tail -n +2 "$month" >> "$out/uci-transactions.csv"; fi
  done
  compare uci --interactions "$out/uci-transactions.csv" --products-file "$data/uci-online-retail/products.csv" \
    --load-options scripts/datasets/uci-online-retail.json --factors 64 --test-days 30
fi

if [ -d "$data/movielens-100k" ]; then
  echo "== ALS against implicit: MovieLens 100K"
  compare movielens --interactions "$data/movielens-100k/u.data" --products-file "$data/movielens-100k/u.item" \
    --load-options scripts/datasets/movielens-100k.json --factors 64 --test-days 30
fi

python3 scripts/plot_benchmarks.py "$out" docs/benchmarks.svg
echo "figures in $out/, plot in docs/benchmarks.svg"
