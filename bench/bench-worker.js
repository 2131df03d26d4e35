// Worker half of the browser benchmark (bench/index.html): loads one wasm build, runs
// the same stages as `hybrid-rec bench` at each requested size, and posts the figures.
// Training runs here rather than on the page's main thread, as in the demo page,
// because the threaded build's calling thread must be able to block.
//
// Request: {scales: number[], build: 'simd' | 'nosimd' | 'threads', threads: number}.
// Reply: {results, build, threads} or {error}.

import { BUILD_URLS } from '../www/wasm-build.js';

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

function measure(module, wasm, scale) {
  const started = performance.now();
  const rec = module.Recommender.synthetic({ users: DEFAULT_USERS * scale, products: DEFAULT_PRODUCTS * scale });
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

/**
 * Loads `build`, starts `threads` pool threads for the threaded build, and measures every
 * scale.
 */
async function run({ scales, build, threads }) {
  const url = new URL(`../www/${BUILD_URLS[build]}`, import.meta.url);
  const module = await import(url);
  const wasm = await module.default();
  if (build === 'threads') {
    await module.initThreadPool(threads);
  }
  const results = scales.map((scale) => measure(module, wasm, scale));
  return { results, build, threads: module.trainingThreads() };
}

self.addEventListener('message', async (event) => {
  try {
    self.postMessage(await run(event.data));
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
