// Module worker that owns the wasm Recommender, so that building, training,
// retraining, evaluation and tuning (up to several seconds of CPU each) run off
// the page's main thread.
//
// Protocol, shared with engine.js:
//   page -> worker  {id, method, params}
//   worker -> page  {id, kind: 'progress', progress}   zero or more times
//                   {id, kind: 'result', result}       or
//                   {id, kind: 'error', message}       exactly once per request
// Requests run one at a time, in arrival order.

import { loadBuild } from './wasm-build.js';

/**
 * The loaded wasm build (see wasm-build.js), chosen on the first request that needs it.
 *
 * @type {Promise<{module: object, build: {name: string, label: string, threads: number}}> | null}
 */
let wasmReady = null;

/** The page's `wasm` URL parameter, which engine.js passes on: a build to prefer. */
const REQUESTED_BUILD = new URL(self.location.href).searchParams.get('wasm');

function loadWasm() {
  wasmReady ??= loadBuild(self, REQUESTED_BUILD);
  return wasmReady;
}

/** @type {Recommender | null} */
let recommender = null;

/**
 * Request handlers by method name. Each receives the request params and a
 * function that posts a progress message for that request.
 */
const HANDLERS = {
  async build(params) {
    const { module, build } = await loadWasm();

    recommender?.free();
    recommender = null;

    const started = performance.now();
    recommender = module.Recommender.synthetic(params ?? {});
    const millis = performance.now() - started;
    return { millis, wasmBuild: build };
  },

  async restore({ bytes }) {
    const { module, build } = await loadWasm();

    recommender?.free();
    recommender = null;

    const started = performance.now();
    recommender = module.Recommender.load(bytes);
    const millis = performance.now() - started;
    return { millis, wasmBuild: build };
  },

  async loadCsv({ files, options }) {
    const { module } = await loadWasm();

    // The current recommender keeps serving until the files have loaded, so a bad
    // file changes nothing.
    const started = performance.now();
    const loaded = module.Recommender.fromCsv(files, options);
    const millis = performance.now() - started;
    recommender?.free();
    recommender = loaded;
    return { millis, report: loaded.loadReport() };
  },

  loadReport() {
    return requireRecommender().loadReport();
  },

  save() {
    return requireRecommender().save();
  },

  replay({ actions }) {
    const target = requireRecommender();
    let replayed = 0;
    let failed = 0;
    let firstError = null;
    for (const action of actions) {
      try {
        replayAction(target, action);
        replayed += 1;
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
    return { replayed, failed, firstError };
  },

  train(params, reportProgress) {
    return requireRecommender().train(params ?? {}, reportProgress);
  },

  evaluate(params, reportProgress) {
    const started = performance.now();
    const metrics = requireRecommender().evaluate(params ?? {}, reportProgress);
    return { metrics, millis: performance.now() - started };
  },

  tune(params, reportProgress) {
    const started = performance.now();
    const { best, runs } = requireRecommender().tune(params ?? {}, reportProgress);
    return { best, runs, millis: performance.now() - started };
  },

  simulateAbTest(params) {
    return requireRecommender().simulateAbTest(params ?? {});
  },

  recommend(params) {
    return requireRecommender().recommend(params);
  },

  similarItems({ productId, k }) {
    return requireRecommender().similarItems(productId, k);
  },

  userHistory({ userId }) {
    return requireRecommender().userHistory(userId);
  },

  recordInteraction(params) {
    requireRecommender().recordInteraction(params);
  },

  timeRange() {
    return requireRecommender().timeRange();
  },

  forgetUser({ userId }) {
    return requireRecommender().forgetUser(userId);
  },

  async stats() {
    const stats = requireRecommender().stats();
    const { build } = await loadWasm();
    return { ...stats, wasmBuild: build };
  },

  intraListDiversity({ productIds }) {
    return requireRecommender().intraListDiversity(productIds);
  },

  categories() {
    return requireRecommender().categories();
  },

  products() {
    return requireRecommender().products();
  },

  users() {
    return requireRecommender().users();
  },
};

/**
 * Applies one journal action of store.js to the recommender.
 */
function replayAction(target, action) {
  if (action?.kind === 'interaction') {
    target.recordInteraction(action.interaction);
    return;
  }
  if (action?.kind === 'forget') {
    target.forgetUser(action.userId);
    return;
  }
  throw new Error(`unknown journal action kind: ${action?.kind}`);
}

function requireRecommender() {
  if (recommender === null) {
    throw new Error('the catalog is not built yet: send "build" before any other request');
  }
  return recommender;
}

/**
 * Runs one request and posts its progress and its result or error.
 */
async function handleRequest({ id, method, params }) {
  const handler = Object.hasOwn(HANDLERS, method) ? HANDLERS[method] : null;
  if (handler === null) {
    self.postMessage({ id, kind: 'error', message: `unknown worker method: ${method}` });
    return;
  }

  const reportProgress = (progress) => {
    self.postMessage({ id, kind: 'progress', progress });
  };

  try {
    const result = await handler(params, reportProgress);
    // save() returns a copy outside the wasm memory, so its buffer can move to the page uncopied.
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    self.postMessage({ id, kind: 'result', result }, transfer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    self.postMessage({ id, kind: 'error', message });
  }
}

// Chaining keeps requests in arrival order even while "build" awaits the wasm download.
let queue = Promise.resolve();

self.addEventListener('message', (event) => {
  queue = queue.then(() => handleRequest(event.data));
});
