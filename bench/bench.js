// Browser benchmark of the wasm build: the same stages as `hybrid-rec bench`, measured
// with performance.now() in this page, at each size of the `scales` URL parameter
// (multiples of the default 10,000 users x 5,000 products). Writes JSON into #result,
// which scripts/bench-browser.mjs reads.

import init, { Recommender } from '../www/pkg/hybrid_recommender.js';

/** Single recommend requests timed per size. */
const REQUESTS = 2000;

/** Users precomputed per size for the batch throughput. */
const BATCH_USERS = 5000;

const DEFAULT_USERS = 10_000;
const DEFAULT_PRODUCTS = 5_000;

function percentile(sorted, q) {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

function measure(wasm, scale) {
  const started = performance.now();
  const rec = Recommender.synthetic({ users: DEFAULT_USERS * scale, products: DEFAULT_PRODUCTS * scale });
  const generateMs = performance.now() - started;

  const iterationMarks = [];
  const report = rec.train({}, (progress) => {
    if (progress.stage === 'collaborative') {
      iterationMarks.push(performance.now());
    }
  });
  const iterations = iterationMarks.length - 1;
  const alsMsPerIteration = iterations > 0 ? (iterationMarks[iterations] - iterationMarks[0]) / iterations : 0;

  const evaluationStarted = performance.now();
  rec.evaluate({ bootstrap: 200 });
  const evaluateMs = performance.now() - evaluationStarted;

  const users = rec.users();
  const latencies = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const userId = users[(i * 7919) % users.length].userId;
    const begin = performance.now();
    rec.recommend({ userId, k: 10 });
    latencies.push(performance.now() - begin);
  }
  latencies.sort((a, b) => a - b);

  const batchStarted = performance.now();
  rec.precomputeAll({ k: 10 });
  const batchSeconds = (performance.now() - batchStarted) / 1000;

  const result = {
    scale,
    users: report.users,
    products: report.products,
    interactions: report.interactions,
    generate_ms: generateMs,
    confidence_ms: report.stageMillis.confidence,
    als_iterations: iterations,
    als_ms_per_iteration: alsMsPerIteration,
    content_ms: report.stageMillis.content,
    popularity_ms: report.stageMillis.popularity,
    train_ms: report.totalMillis,
    evaluate_ms: evaluateMs,
    pipeline_ms: generateMs + report.totalMillis + evaluateMs,
    recommend_p50_ms: percentile(latencies, 0.5),
    recommend_p99_ms: percentile(latencies, 0.99),
    precompute_users_per_second: report.users / batchSeconds,
    wasm_memory_mb: wasm.memory.buffer.byteLength / (1024 * 1024),
  };
  rec.free();
  return result;
}

async function main() {
  const output = document.getElementById('result');
  try {
    const wasm = await init();
    const scales = (new URLSearchParams(location.search).get('scales') ?? '1,4').split(',').map(Number);
    const results = [];
    for (const scale of scales) {
      results.push(measure(wasm, scale));
    }
    output.textContent = JSON.stringify({ userAgent: navigator.userAgent, results }, null, 1);
    output.dataset.done = 'true';
  } catch (error) {
    output.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
    output.dataset.done = 'error';
  }
}

main();
