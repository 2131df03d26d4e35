// Module Web Worker that owns one wasm Recommender for client.js, so that building,
// training and evaluation (seconds of CPU on a large catalog) run off the page's main
// thread. Shipped in the web and bundler builds next to hybrid_recommender.js.
//
// Protocol, shared with client.js:
//   page -> worker  {id, method, args}
//   worker -> page  {id, kind: 'progress', progress}   zero or more times, then
//                   {id, kind: 'result', result}       or
//                   {id, kind: 'error', message}       exactly once per request
// Requests run one at a time, in arrival order.

import * as bindings from './hybrid_recommender.js';

const { Recommender } = bindings;

/** Methods that take an options object and a progress callback. */
const PROGRESS_METHODS = new Set(['train', 'evaluate', 'tune']);

/** Recommender methods the page may call, besides `create`. */
const QUERY_METHODS = new Set([
  'train',
  'recommend',
  'similarItems',
  'evaluate',
  'importFactors',
  'tune',
  'simulateAbTest',
  'products',
  'users',
  'userHistory',
  'categories',
  'timeRange',
  'recordInteraction',
  'addProduct',
  'forgetUser',
  'precomputeAll',
  'stats',
  'setCacheOptions',
  'intraListDiversity',
  'save',
  'loadReport',
  'exportCsv',
  'exportJson',
]);

/** @type {Promise<unknown> | null} */
let wasmReady = null;

/** @type {InstanceType<typeof Recommender> | null} */
let recommender = null;

/**
 * Initializes the wasm module once. The web build's default export is init(), which
 * fetches the .wasm from `wasmUrl` (default: next to hybrid_recommender.js). The bundler
 * build has no default export because the bundler instantiates the module on import.
 */
function initWasm(wasmUrl) {
  if (wasmReady === null) {
    const init = bindings.default;
    if (typeof init === 'function') {
      wasmReady = wasmUrl === undefined ? init() : init({ module_or_path: wasmUrl });
    } else {
      wasmReady = Promise.resolve();
    }
  }
  return wasmReady;
}

/**
 * Builds the recommender from `source` (already checked by client.js) and trains it
 * unless `train` is null. Replaces, and frees, any previous recommender.
 */
async function create({ source, train, wasmUrl }, reportProgress) {
  await initWasm(wasmUrl);

  recommender?.free();
  recommender = null;

  let built;
  if (source.synthetic !== undefined) {
    built = Recommender.synthetic(source.synthetic);
  } else if (source.csv !== undefined) {
    built = Recommender.fromCsv(source.csv, source.options);
  } else if (source.data !== undefined) {
    built = Recommender.fromData(source.data, source.options);
  } else {
    built = Recommender.load(new Uint8Array(source.bytes));
  }

  let trainReport = null;
  try {
    if (train !== null) {
      trainReport = built.train(train, reportProgress);
    }
  } catch (error) {
    built.free();
    throw error;
  }
  recommender = built;
  return { trainReport, loadReport: built.loadReport() };
}

/**
 * Runs one request and posts its progress and its result or error.
 */
async function handleRequest({ id, method, args }) {
  const reportProgress = (progress) => {
    self.postMessage({ id, kind: 'progress', progress });
  };

  try {
    let result;
    if (method === 'create') {
      result = await create(args[0], reportProgress);
    } else if (QUERY_METHODS.has(method)) {
      if (recommender === null) {
        throw new Error(`cannot call ${method}(): no recommender was created in this worker`);
      }
      const callArgs = PROGRESS_METHODS.has(method) ? [args[0], reportProgress] : args;
      result = recommender[method](...callArgs);
    } else {
      throw new Error(`unknown worker method: ${method}`);
    }

    // The bytes of save() are a fresh copy, so their buffer can move without a copy.
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    self.postMessage({ id, kind: 'result', result }, transfer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    self.postMessage({ id, kind: 'error', message });
  }
}

// Chaining keeps requests in arrival order even while `create` awaits the wasm download.
let queue = Promise.resolve();

self.addEventListener('message', (event) => {
  queue = queue.then(() => handleRequest(event.data));
});
