#!/usr/bin/env bash
# Trains Apache Spark MLlib's implicit ALS on our strength matrix and compares it with
# our ALS on the same time split, for the synthetic default shop and, when
# ../shared/data has it, UCI Online Retail. Per dataset it runs:
#   1. hybrid-rec export-als: strengths, ids, settings and our ALS time per iteration;
#   2. scripts/spark_als.py with local[1] (JSON output), local[2] (binary output) and
#      local[1] with the unscaled regParam;
#   3. hybrid-rec evaluate with our ALS, and with each factor file (--import-factors).
# The metrics go to $OUT (default target/spark-als) and a Markdown table to standard
# output. Installs pyspark from PyPI into .venv-spark/ and needs Java 17 or newer on PATH.
# Not part of `make test`: it takes about five minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-target/spark-als}
data=../shared/data
mkdir -p "$out"

cargo build --release --features cli
bin=target/release/hybrid-rec

if [ ! -x .venv-spark/bin/python ]; then
  python3 -m venv .venv-spark
fi
.venv-spark/bin/pip install -q pyspark==4.0.1 numpy==2.1.3

# compare NAME TEST_DAYS [catalog options...]
compare() {
  local name=$1 test_days=$2
  shift 2
  local dir="$out/$name"
  mkdir -p "$dir"
  echo "== $name" >&2
  "$bin" export-als "$@" --test-days "$test_days" --out "$dir/export"
  "$bin" evaluate "$@" --test-days "$test_days" --bootstrap 0 --json > "$dir/ours-metrics.json"
  for run in "local[1] mean json" "local[2] mean bin" "local[1] none json"; do
    read -r master scaling format <<< "$run"
    local label="spark-${master//[^0-9]/}-$scaling"
    .venv-spark/bin/python scripts/spark_als.py "$dir/export" --master "$master" \
      --reg-scaling "$scaling" --out "$dir/$label-factors.$format" --report "$dir/$label-fit.json"
    "$bin" evaluate "$@" --test-days "$test_days" --bootstrap 0 --json \
      --import-factors "$dir/$label-factors.$format" > "$dir/$label-metrics.json"
  done
}

compare synthetic 14

if [ -d "$data/uci-online-retail" ]; then
  transactions="$out/uci-transactions.csv"
  first=1
  : > "$transactions"
  for month in "$data"/uci-online-retail/transactions_*.csv; do
    if [ "$first" = 1 ]; then cat "$month" >> "$transactions"; first=0; else tail -n +2 "$month" >> "$transactions"; fi
  done
  compare uci 30 --interactions "$transactions" --products-file "$data/uci-online-retail/products.csv" \
    --load-options scripts/datasets/uci-online-retail.json
fi

python3 - "$out" <<'PY'
import json, sys
from pathlib import Path

out = Path(sys.argv[1])
print("| dataset | model | fit s | collaborative P@10 | R@10 | NDCG@10 | hybrid NDCG@10 | coverage |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for dataset in ("synthetic", "uci"):
    folder = out / dataset
    if not folder.is_dir():
        continue
    meta = json.loads((folder / "export" / "meta.json").read_text())
    runs = [("ours (CG, 1 thread)", "ours", meta["seconds_per_iteration"] * meta["iterations"])]
    for label, name in (("Spark local[1], regParam scaled", "spark-1-mean"),
                        ("Spark local[2], regParam scaled", "spark-2-mean"),
                        ("Spark local[1], regParam = lambda", "spark-1-none")):
        fit = json.loads((folder / f"{name}-fit.json").read_text())
        runs.append((f"{label} ({fit['regParam']:.4g})", name, fit["fitSeconds"]))
    for label, name, seconds in runs:
        report = json.loads((folder / f"{name}-metrics.json").read_text())
        c, h = report["collaborative"], report["hybrid"]
        print(f"| {dataset} | {label} | {seconds:.1f} | {c['precision']:.4f} | {c['recall']:.4f} "
              f"| {c['ndcg']:.4f} | {h['ndcg']:.4f} | {c['coverage']:.3f} |")
PY
