// Browser benchmark of the wasm builds: the same stages as `hybrid-rec bench`, measured
// with performance.now() in a worker (bench-worker.js), at each size of the `scales`
// URL parameter (multiples of the default 10,000 users x 5,000 products). The `build`
// parameter picks www/pkg (simd, the default), www/pkg-nosimd (nosimd) or
// www/pkg-threads (threads, which needs a cross-origin isolated page), and `threads`
// sets the threaded build's pool size (default: the logical cores). Writes JSON into
// #result, which scripts/bench-browser.mjs reads.

const BUILDS = ['simd', 'nosimd', 'threads'];

/**
 * Runs the benchmark worker once and returns its reply.
 */
function runWorker(request) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event) => {
      worker.terminate();
      if (event.data.error !== undefined) {
        reject(new Error(event.data.error));
      } else {
        resolve(event.data);
      }
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new Error(`the benchmark worker failed: ${event.message}`));
    });
    worker.postMessage(request);
  });
}

async function main() {
  const output = document.getElementById('result');
  try {
    const parameters = new URLSearchParams(location.search);
    const scales = (parameters.get('scales') ?? '1,4').split(',').map(Number);
    const build = parameters.get('build') ?? 'simd';
    if (!BUILDS.includes(build)) {
      throw new Error(`unknown build ${build}, expected one of ${BUILDS.join(', ')}`);
    }
    if (build === 'threads' && !globalThis.crossOriginIsolated) {
      throw new Error('the threaded build needs a cross-origin isolated page (COOP and COEP headers)');
    }
    const threads = Number(parameters.get('threads') ?? navigator.hardwareConcurrency);
    const reply = await runWorker({ scales, build, threads });
    output.textContent = JSON.stringify({ userAgent: navigator.userAgent, ...reply }, null, 1);
    output.dataset.done = 'true';
  } catch (error) {
    output.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
    output.dataset.done = 'error';
  }
}

main();
