// Chooses which of the three wasm builds of scripts/build-web.sh this browser runs, and
// loads it. Imported by worker.js.
//
//   threads  simd128 + atomics, training on a pool of Web Workers sharing the memory;
//            needs a cross-origin isolated page (COOP same-origin, COEP require-corp)
//   simd     simd128, one thread
//   nosimd   one thread, for browsers without wasm SIMD

/** Entry module of each build, relative to this file. */
export const BUILD_URLS = {
  threads: './pkg-threads/hybrid_recommender.js',
  simd: './pkg/hybrid_recommender.js',
  nosimd: './pkg-nosimd/hybrid_recommender.js',
};

/** Readable names of the builds, for the page. */
export const BUILD_LABELS = {
  threads: 'SIMD, threads',
  simd: 'SIMD, 1 thread',
  nosimd: 'no SIMD, 1 thread',
};

/**
 * Time for the threaded build's pool workers to start, in milliseconds. Past it the
 * page falls back to a single-thread build instead of waiting forever.
 */
const POOL_START_TIMEOUT_MS = 20_000;

/**
 * A minimal module whose one function returns `i8x16.splat(i32.const 0)`: it validates
 * only where the engine supports 128-bit SIMD.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code: i32.const 0, i8x16.splat, end
]);

/**
 * Returns what this context offers the builds.
 *
 * @param {typeof globalThis} scope the worker's global scope
 * @returns {{isolated: boolean, sharedMemory: boolean, simd: boolean}}
 */
export function detectSupport(scope) {
  let simd = false;
  try {
    simd = scope.WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  return {
    isolated: scope.crossOriginIsolated === true,
    sharedMemory: typeof scope.SharedArrayBuffer === 'function',
    simd,
  };
}

/**
 * Picks the fastest build that `support` runs: threads when the page is cross-origin
 * isolated with shared memory and SIMD, else simd when SIMD validates, else nosimd.
 * A `requested` build name (the page's `wasm` URL parameter) wins when it is supported.
 *
 * @param {{isolated: boolean, sharedMemory: boolean, simd: boolean}} support
 * @param {string | null} [requested]
 * @returns {'threads' | 'simd' | 'nosimd'}
 */
export function chooseBuild(support, requested = null) {
  const threads = support.isolated && support.sharedMemory && support.simd;
  const supported = { threads, simd: support.simd, nosimd: true };
  if (requested !== null && supported[requested] === true) {
    return requested;
  }
  if (threads) {
    return 'threads';
  }
  return support.simd ? 'simd' : 'nosimd';
}

/**
 * Loads the chosen build, initializes it and, for the threaded build, starts its
 * thread pool with one thread per logical core. When the threaded build fails to
 * start, it logs the error and loads the single-thread build instead.
 *
 * @param {typeof globalThis} scope the worker's global scope
 * @param {string | null} requested the `wasm` URL parameter, or null
 * @returns {Promise<{module: object, build: {name: string, label: string, threads: number}}>}
 */
export async function loadBuild(scope, requested) {
  const support = detectSupport(scope);
  const name = chooseBuild(support, requested);
  if (name !== 'threads') {
    return initialize(scope, name);
  }
  try {
    return await initialize(scope, name);
  } catch (error) {
    const fallback = chooseBuild({ ...support, isolated: false });
    console.warn(`the threaded wasm build failed to start, using ${fallback} instead:`, error);
    return initialize(scope, fallback);
  }
}

async function initialize(scope, name) {
  const module = await import(BUILD_URLS[name]);
  await module.default();
  if (name === 'threads') {
    const cores = Math.max(1, scope.navigator.hardwareConcurrency || 1);
    await withTimeout(module.initThreadPool(cores), POOL_START_TIMEOUT_MS, `the ${cores} pool workers`);
  }
  const build = { name, label: BUILD_LABELS[name], threads: module.trainingThreads() };
  return { module, build };
}

/**
 * Resolves as `promise` does, or rejects once `millis` pass first.
 */
function withTimeout(promise, millis, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${millis} ms`)), millis);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
