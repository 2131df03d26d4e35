// Load test of the wasm build: many requests and recorded interactions in a loop, with
// the wasm memory size sampled every 10,000 calls, so growth beyond the response cache
// shows up. Writes JSON into #result (read by scripts/bench-browser.mjs with the page
// bench/load.html).

import init, { Recommender } from '../www/pkg/hybrid_recommender.js';

const RECOMMEND_CALLS = 100_000;
const RECORD_CALLS = 10_000;
const SAMPLE_EVERY = 10_000;
const TYPES = ['view', 'view', 'view', 'cart', 'purchase', 'not_interested'];

async function main() {
  const output = document.getElementById('result');
  try {
    const wasm = await init();
    const megabytes = () => wasm.memory.buffer.byteLength / (1024 * 1024);
    const rec = Recommender.synthetic({});
    rec.train({});
    const users = rec.users().map((u) => u.userId);
    const products = rec.products().map((p) => p.productId);
    const { last } = rec.timeRange();
    const afterTraining = megabytes();

    const samples = [];
    const started = performance.now();
    for (let i = 0; i < RECOMMEND_CALLS; i += 1) {
      // A skewed user mix: a third of the calls repeat one of 500 users (cache hits).
      const user = i % 3 === 0 ? users[i % 500] : users[(i * 7919) % users.length];
      rec.recommend({ userId: user, k: 10 });
      if ((i + 1) % SAMPLE_EVERY === 0) {
        samples.push({ calls: i + 1, wasmMemoryMb: megabytes() });
      }
    }
    const recommendSeconds = (performance.now() - started) / 1000;

    const recordStarted = performance.now();
    for (let i = 0; i < RECORD_CALLS; i += 1) {
      rec.recordInteraction({
        userId: users[(i * 104_729) % users.length],
        productId: products[(i * 15_485_863) % products.length],
        type: TYPES[i % TYPES.length],
        timestamp: last + 1000 * (i + 1),
      });
    }
    const recordSeconds = (performance.now() - recordStarted) / 1000;

    output.textContent = JSON.stringify(
      {
        recommendCalls: RECOMMEND_CALLS,
        recommendSeconds,
        recordCalls: RECORD_CALLS,
        recordSeconds,
        wasmMemoryMbAfterTraining: afterTraining,
        samples,
        wasmMemoryMbAfterRecording: megabytes(),
        stats: rec.stats(),
      },
      null,
      1,
    );
    output.dataset.done = 'true';
  } catch (error) {
    output.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
    output.dataset.done = 'error';
  }
}

main();
