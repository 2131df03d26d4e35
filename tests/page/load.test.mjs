// Load test of the wasm build in headless Chromium: bench/load.html trains the default
// synthetic shop, then makes 100,000 recommend calls and 10,000 recordInteraction calls
// in a loop, sampling the wasm memory every 10,000 recommend calls. The figures are
// printed; the test fails only when memory grows after the response cache is full, or
// when recording grows it by more than the interactions themselves can explain.
//
// Run: `make page-test`, or `node --test tests/page/load.test.mjs` after `make web`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runBenchPage } from '../../scripts/bench-page.mjs';

/** The load page took about 60 s in headless Chromium on a 2-core machine. */
const TIMEOUT_MS = 10 * 60_000;

/**
 * Memory that 10,000 recorded interactions may add, in MB: the events, the fold-in
 * state of up to 10,000 touched users (a 64-float factor row and history each) and
 * the allocator's slack. Measured growth was 3.7 MB.
 */
const MAX_RECORDING_GROWTH_MB = 16;

/** Default capacity of the response cache (CacheConfig in src/cache.rs), in lists. */
const CACHE_CAPACITY = 1000;

test('100k recommends keep memory flat', { timeout: TIMEOUT_MS }, async () => {
  const { result } = await runBenchPage('bench/load.html', TIMEOUT_MS);
  console.log(
    `recommend: ${result.recommendCalls} calls in ${result.recommendSeconds.toFixed(1)} s; ` +
      `record: ${result.recordCalls} calls in ${result.recordSeconds.toFixed(1)} s; ` +
      `wasm memory ${result.wasmMemoryMbAfterTraining} MB after training, ` +
      `${result.samples.map((sample) => sample.wasmMemoryMb).join(', ')} MB per 10,000 calls, ` +
      `${result.wasmMemoryMbAfterRecording} MB after recording`,
  );

  assert.equal(result.recommendCalls, 100_000);
  assert.equal(result.samples.length, 10);
  assert.equal(result.stats.requests, 100_000);
  // The cache fills within the first 10,000 calls; after that wasm memory must not grow.
  const [first, ...rest] = result.samples;
  for (const sample of rest) {
    assert.equal(sample.wasmMemoryMb, first.wasmMemoryMb, `memory grew by ${sample.calls} calls`);
  }
  assert.ok(result.stats.cacheEntries <= CACHE_CAPACITY, `${result.stats.cacheEntries} cached lists`);

  assert.equal(result.recordCalls, 10_000);
  const recordingGrowth = result.wasmMemoryMbAfterRecording - first.wasmMemoryMb;
  assert.ok(recordingGrowth <= MAX_RECORDING_GROWTH_MB, `recording grew wasm memory by ${recordingGrowth} MB`);
});
