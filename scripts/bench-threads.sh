#!/usr/bin/env bash
# Measures ALS time per iteration and the content stage at 1x the default shop on 1 and
# 2 threads, natively (hybrid-rec --threads) and in headless Chromium (the threaded
# wasm build), plus the single-thread SIMD and non-SIMD wasm builds. It also runs two
# single-thread native processes at once ("native pair"): their combined throughput
# against one process alone is the speedup the machine allows two threads at that time,
# which on a shared VM can be far below 2. Each figure is the
# minimum over REPEAT runs (default 3), because other work on a shared machine only
# ever slows a run down. Each run first waits up to IDLE_WAIT seconds (default 120) for
# a second in which the CPUs are at least 90% idle. Writes target/bench/threads.json and
# prints a table.
#
# Needs `make web` (all three wasm builds) and `npm ci`. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=${REPEAT:-3}
out=target/bench
mkdir -p "$out"

cargo build --release --features cli
bin=target/release/hybrid-rec

# Waits until the CPUs were at least 90% idle over one second, or IDLE_WAIT seconds passed.
wait_for_idle() {
  local deadline=$((SECONDS + ${IDLE_WAIT:-120}))
  local idle_before total_before idle_after total_after
  while ((SECONDS < deadline)); do
    read -r idle_before total_before < <(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    sleep 1
    read -r idle_after total_after < <(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    if (((idle_after - idle_before) * 10 >= (total_after - total_before) * 9)); then
      return
    fi
  done
  echo "the CPUs were busy for ${IDLE_WAIT:-120} s; measuring anyway" >&2
}

runs=$out/threads-runs.jsonl
: >"$runs"
for ((run = 1; run <= repeat; run++)); do
  echo "== run $run of $repeat"
  for threads in 1 2; do
    wait_for_idle
    "$bin" --threads "$threads" bench --scales 1 --requests 200 --json |
      node -e 'const [r] = JSON.parse(require("fs").readFileSync(0, "utf8"));
        console.log(JSON.stringify({side: "native", build: "avx2", threads: Number(process.argv[1]), als: r.als_ms_per_iteration, content: r.content_ms}));' \
        "$threads" >>"$runs"
  done
  wait_for_idle
  "$bin" bench --scales 1 --requests 200 --json >"$out/pair-a.json" &
  "$bin" bench --scales 1 --requests 200 --json >"$out/pair-b.json"
  wait
  node -e 'const fs = require("fs");
    const [a, b] = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8"))[0]);
    const als = (a.als_ms_per_iteration + b.als_ms_per_iteration) / 2;
    console.log(JSON.stringify({side: "native pair", build: "avx2", threads: 2, als, content: (a.content_ms + b.content_ms) / 2}));' \
    "$out/pair-a.json" "$out/pair-b.json" >>"$runs"
  for variant in "simd" "nosimd" "threads 1" "threads 2"; do
    wait_for_idle
    # shellcheck disable=SC2086 # the variant is a build name and an optional thread count
    node scripts/bench-browser.mjs 1 "$out/browser-run.json" $variant >/dev/null
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(JSON.stringify({side: "wasm", build: r.build, threads: r.threads,
        als: r.results[0].als_ms_per_iteration, content: r.results[0].content_ms}));' \
      "$out/browser-run.json" >>"$runs"
  done
done

node - "$runs" "$out/threads.json" <<'EOF'
const fs = require('node:fs');
const [runsFile, outFile] = process.argv.slice(2);
const runs = fs.readFileSync(runsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const best = new Map();
for (const run of runs) {
  const key = `${run.side} ${run.build} ${run.threads}`;
  const previous = best.get(key);
  best.set(key, {
    ...run,
    als: Math.min(run.als, previous?.als ?? Infinity),
    content: Math.min(run.content, previous?.content ?? Infinity),
  });
}
const rows = [...best.values()];
const find = (side, build, threads) => rows.find((r) => r.side === side && r.build === build && r.threads === threads);
console.log('side         build    threads  ALS ms/it  content ms  ALS speedup');
for (const row of rows) {
  const single = find(row.side.replace(' pair', ''), row.build, 1);
  // A pair does twice the work of one process in its time.
  const work = row.side === 'native pair' ? 2 : 1;
  const speedup = single ? ((work * single.als) / row.als).toFixed(2) : '';
  console.log(`${row.side.padEnd(12)} ${row.build.padEnd(8)} ${String(row.threads).padStart(7)} ${row.als.toFixed(1).padStart(10)} ${row.content.toFixed(0).padStart(11)} ${speedup.padStart(12)}`);
}
const simd = find('wasm', 'simd', 1);
const nosimd = find('wasm', 'nosimd', 1);
const native = find('native', 'avx2', 1);
const pair = find('native pair', 'avx2', 2);
console.log(`machine ceiling for 2 threads (2 x one process / each of a pair): ${((2 * native.als) / pair.als).toFixed(2)}`);
console.log(`wasm non-SIMD / SIMD ALS: ${(nosimd.als / simd.als).toFixed(2)}`);
console.log(`wasm SIMD / native ALS, one thread: ${(simd.als / native.als).toFixed(2)}`);
fs.writeFileSync(outFile, JSON.stringify({ repeat: runs.length / rows.length, rows }, null, 1) + '\n');
EOF
