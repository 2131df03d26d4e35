// RecommenderClient: the promise API of a Recommender that lives in a Web Worker
// (worker.js). Shipped in the web and bundler builds; browsers only.
//
//   import { RecommenderClient } from 'hybrid-recommender/client.js';
//
//   const client = await RecommenderClient.create({
//     source: { data: { products, users, interactions } },
//     train: { factors: 16 },
//     onProgress: (p) => console.log(p.stage, p.percent, p.loss),
//   });
//   const list = await client.recommend({ userId: 'u1', k: 6 });
//   await client.recordInteraction({ userId: 'u1', productId: 'p7', type: 'cart' });
//   const bytes = await client.save();
//   client.terminate();
//
// Design: the worker keeps the only copy of the model and runs every call, queries
// included. Recorded interactions, added products and retraining therefore act on one
// state, and the model is not held twice in memory. The cost is a message round trip
// per call, and a call waits while the worker trains or evaluates, because the worker
// runs requests one at a time in arrival order. For synchronous queries on the main
// thread, pass the bytes of `save()` to `Recommender.load` of the wasm module there;
// that copy does not see later changes made through the client.

/** Sources that `create` accepts, one per call. */
const SOURCE_KINDS = ['synthetic', 'csv', 'data', 'bytes'];

/**
 * A Recommender running in a module Web Worker. Every method returns a promise that
 * resolves with the Recommender method's result or rejects with an Error carrying the
 * wasm error's message.
 */
export class RecommenderClient {
  /** @type {Worker} */
  #worker;

  /** Pending requests by id: their promise callbacks and optional progress callback. */
  #pending = new Map();

  #nextId = 1;

  /** The Error that every later call rejects with, once the worker is gone. */
  #closedError = null;

  /**
   * The report of the training that `create` ran, or null when it skipped training.
   * @type {import('./types.js').TrainReport | null}
   */
  trainReport = null;

  /**
   * The counts of a `csv` or `data` load, or null for the other sources.
   * @type {import('./types.js').LoadReport | null}
   */
  loadReport = null;

  /** Use `RecommenderClient.create`. */
  constructor(worker) {
    this.#worker = worker;
    worker.addEventListener('message', (event) => this.#handleMessage(event.data));
    worker.addEventListener('error', (event) => {
      // A module that fails to load or an uncaught exception in the worker.
      event.preventDefault();
      const detail = event.message || 'the worker script failed to load or threw';
      this.#close(new Error(`recommender worker failed: ${detail}`));
    });
    worker.addEventListener('messageerror', () => {
      this.#close(new Error('recommender worker sent a message that could not be deserialized'));
    });
  }

  /**
   * Starts a worker, builds the recommender from `source` in it and, unless `train` is
   * false, trains it. Rejects, and stops the worker, when any step fails.
   *
   * @param {import('./client.js').CreateOptions} options
   * @returns {Promise<RecommenderClient>}
   */
  static async create(options) {
    const { source, train, onProgress, wasmUrl, workerUrl } = options ?? {};
    checkSource(source);
    const trainOptions = train === false ? null : train ?? (source.bytes ? null : {});

    // Bundlers find the worker through this literal form: webpack 5 documents it in its
    // "Web Workers" guide, and Vite's worker plugin matches it.
    const worker =
      workerUrl === undefined
        ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
        : new Worker(workerUrl, { type: 'module' });
    const client = new RecommenderClient(worker);
    try {
      // Resolved here, because the worker would resolve a relative URL against its own location.
      const absoluteWasmUrl = wasmUrl === undefined ? undefined : new URL(wasmUrl, globalThis.location?.href).href;
      const created = await client.#call(
        'create',
        [{ source, train: trainOptions, wasmUrl: absoluteWasmUrl }],
        onProgress,
      );
      client.trainReport = created.trainReport;
      client.loadReport = created.loadReport;
    } catch (error) {
      client.terminate();
      throw error;
    }
    return client;
  }

  /** Trains every model again on the catalog as it is now. */
  train(options, onProgress) {
    return this.#call('train', [options], onProgress);
  }

  recommend(request) {
    return this.#call('recommend', [request]);
  }

  similarItems(productId, k) {
    return this.#call('similarItems', [productId, k]);
  }

  evaluate(options, onProgress) {
    return this.#call('evaluate', [options], onProgress);
  }

  /** Installs factors trained elsewhere (see `Recommender.importFactors`). The data is copied to the worker. */
  importFactors(data, options) {
    return this.#call('importFactors', [data, options]);
  }

  tune(options, onProgress) {
    return this.#call('tune', [options], onProgress);
  }

  simulateAbTest(options) {
    return this.#call('simulateAbTest', [options]);
  }

  products() {
    return this.#call('products', []);
  }

  users() {
    return this.#call('users', []);
  }

  userHistory(userId) {
    return this.#call('userHistory', [userId]);
  }

  categories() {
    return this.#call('categories', []);
  }

  timeRange() {
    return this.#call('timeRange', []);
  }

  recordInteraction(interaction) {
    return this.#call('recordInteraction', [interaction]);
  }

  addProduct(product) {
    return this.#call('addProduct', [product]);
  }

  forgetUser(userId) {
    return this.#call('forgetUser', [userId]);
  }

  precomputeAll(options) {
    return this.#call('precomputeAll', [options]);
  }

  stats() {
    return this.#call('stats', []);
  }

  setCacheOptions(options) {
    return this.#call('setCacheOptions', [options]);
  }

  intraListDiversity(productIds) {
    return this.#call('intraListDiversity', [productIds]);
  }

  /** Serializes the model; the bytes can seed another `create({source: {bytes}})` or `Recommender.load`. */
  save() {
    return this.#call('save', []);
  }

  exportCsv() {
    return this.#call('exportCsv', []);
  }

  exportJson() {
    return this.#call('exportJson', []);
  }

  /** Whether `terminate` ran or the worker failed; every call then rejects. */
  get closed() {
    return this.#closedError !== null;
  }

  /**
   * Stops the worker at once, even in the middle of training, and frees its memory.
   * Pending and later calls reject.
   */
  terminate() {
    this.#close(new Error('the recommender worker was terminated'));
  }

  #close(error) {
    if (this.#closedError !== null) {
      return;
    }
    this.#closedError = error;
    this.#worker.terminate();
    for (const { reject } of this.#pending.values()) {
      reject(error);
    }
    this.#pending.clear();
  }

  #call(method, args, onProgress) {
    if (this.#closedError !== null) {
      return Promise.reject(this.#closedError);
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      try {
        this.#worker.postMessage({ id, method, args });
      } catch (error) {
        // A DataCloneError: an argument contains a value that cannot be cloned, such as a function.
        this.#pending.delete(id);
        reject(new Error(`invalid arguments for ${method}(): ${error.message}`));
      }
    });
  }

  #handleMessage({ id, kind, progress, result, message }) {
    const request = this.#pending.get(id);
    if (request === undefined) {
      return;
    }
    if (kind === 'progress') {
      // A throwing callback must not lose the request's result.
      try {
        request.onProgress?.({ ...progress, percent: Math.floor(progress.fraction * 100) });
      } catch (error) {
        console.error('onProgress callback threw:', error);
      }
      return;
    }
    this.#pending.delete(id);
    if (kind === 'result') {
      request.resolve(result);
    } else {
      request.reject(new Error(message));
    }
  }
}

/** Throws unless `source` has exactly one of the keys in SOURCE_KINDS, of the right type. */
function checkSource(source) {
  if (source === null || typeof source !== 'object') {
    throw new Error(
      `invalid source for RecommenderClient.create(): ${String(source)}, expected an object with one of ${SOURCE_KINDS.join(', ')}`,
    );
  }
  const kinds = SOURCE_KINDS.filter((kind) => source[kind] !== undefined);
  if (kinds.length !== 1) {
    throw new Error(
      `invalid source for RecommenderClient.create(): found ${kinds.length === 0 ? 'none' : kinds.join(' and ')}, expected exactly one of ${SOURCE_KINDS.join(', ')}`,
    );
  }
  const bytes = source.bytes;
  if (bytes !== undefined && !(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) {
    throw new Error('invalid source.bytes for RecommenderClient.create(): expected a Uint8Array or an ArrayBuffer');
  }
}
