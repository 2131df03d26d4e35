// Main-thread client of worker.js: every method sends one request and returns a
// promise of its result. A failed request rejects with an Error that carries the
// worker's message, and later requests still work.

const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * @typedef {{stage: string, fraction: number, iteration?: number, loss?: number}} Progress
 * @typedef {(progress: Progress) => void} ProgressListener
 */

export class Engine {
  /** @type {Worker} */
  #worker;

  #nextRequestId = 1;

  /** @type {Map<number, {resolve: Function, reject: Function, onProgress?: ProgressListener}>} */
  #pending = new Map();

  /** Error message that every request rejects with once the worker has failed, or null. */
  #failure = null;

  /**
   * Starts the worker. The wasm module loads with the first `build` request.
   */
  constructor() {
    // The page's `wasm` parameter (threads, simd or nosimd) picks a build, if supported.
    const workerUrl = new URL(WORKER_URL);
    const requestedBuild = new URLSearchParams(globalThis.location?.search ?? '').get('wasm');
    if (requestedBuild !== null) {
      workerUrl.searchParams.set('wasm', requestedBuild);
    }
    this.#worker = new Worker(workerUrl, { type: 'module' });
    this.#worker.addEventListener('message', (event) => this.#handleMessage(event.data));
    this.#worker.addEventListener('error', (event) => this.#handleWorkerError(event));
    this.#worker.addEventListener('messageerror', () => {
      this.#failWorker('a worker message could not be deserialized');
    });
  }

  /**
   * Loads the wasm module and builds the synthetic catalog.
   *
   * @param {{users?: number, products?: number, days?: number, seed?: number}} options
   *   catalog size; omitted fields take the library defaults
   * @returns {Promise<{millis: number}>} time spent building, in milliseconds
   */
  build(options) {
    return this.#request('build', options);
  }

  /**
   * Loads a catalog from CSV texts in place of the current one, which stays when
   * the files fail to load.
   *
   * @param {{interactions: string, products?: string, users?: string}} files CSV texts
   * @param {object} options the load options of `Recommender.fromCsv`
   * @returns {Promise<{millis: number, report: object}>} time spent loading, in
   *   milliseconds, and `loadReport()`
   */
  loadCsv(files, options) {
    return this.#request('loadCsv', { files, options });
  }

  /**
   * Returns the counts of the load that built the catalog, or null for the synthetic shop.
   *
   * @returns {Promise<object|null>} from `Recommender.loadReport`
   */
  loadReport() {
    return this.#request('loadReport');
  }

  /**
   * Loads the wasm module and restores a recommender from `save` bytes, in place
   * of building and training one.
   *
   * @param {Uint8Array} bytes from `save`. They move to the worker, so the caller must not use them afterwards.
   * @returns {Promise<{millis: number}>} time spent restoring, in milliseconds
   */
  restore(bytes) {
    return this.#request('restore', { bytes }, undefined, [bytes.buffer]);
  }

  /**
   * Serializes the recommender with its trained models.
   *
   * @returns {Promise<Uint8Array>} the versioned binary format of `Recommender.save`
   */
  save() {
    return this.#request('save');
  }

  /**
   * Applies journal actions recorded after a save, in order. A failed action is
   * counted and skipped, so the others still apply.
   *
   * @param {import('./store.js').JournalAction[]} actions
   * @returns {Promise<{replayed: number, failed: number, firstError: string|null}>}
   */
  replay(actions) {
    return this.#request('replay', { actions });
  }

  /**
   * Trains all models on the catalog, including every interaction recorded so
   * far. A second call retrains from scratch.
   *
   * @param {object} options training options of `Recommender.train`, where omitted fields take the library defaults
   * @param {ProgressListener} [onProgress] receives each progress report
   * @returns {Promise<object>} the training report of `Recommender.train`
   */
  train(options, onProgress) {
    return this.#request('train', options, onProgress);
  }

  /**
   * Evaluates every strategy on held-out recent interactions.
   *
   * @param {object} options the options of `Recommender.evaluate`, such as k, testDays and maxUsers
   * @param {ProgressListener} [onProgress] receives each progress report
   * @returns {Promise<{metrics: object, millis: number}>} metrics per strategy and the time spent, in milliseconds
   */
  evaluate(options, onProgress) {
    return this.#request('evaluate', options, onProgress);
  }

  /**
   * Searches ALS settings and blend weights on the validation window before the test window.
   *
   * @param {object} options the options of `Recommender.tune`, with the grid
   * @param {ProgressListener} [onProgress] receives each progress report
   * @returns {Promise<{best: object, runs: object[], millis: number}>} the runs, the best one and the time spent, in milliseconds
   */
  tune(options, onProgress) {
    return this.#request('tune', options, onProgress);
  }

  /**
   * Simulates an A/B test of two request settings against the synthetic shoppers' hidden tastes.
   *
   * @param {object} options the options of `Recommender.simulateAbTest`
   * @returns {Promise<object>} both arms' results, their difference, z and the p-value
   */
  simulateAbTest(options) {
    return this.#request('simulateAbTest', options);
  }

  /**
   * Ranks products for a user in a context.
   *
   * @param {object} query the argument of `Recommender.recommend`
   * @returns {Promise<object[]>} recommended products, best first
   */
  recommend(query) {
    return this.#request('recommend', query);
  }

  /**
   * Finds the products most similar to one product.
   *
   * @param {string|number} productId
   * @param {number} k maximum number of results
   * @returns {Promise<object[]>}
   */
  similarItems(productId, k) {
    return this.#request('similarItems', { productId, k });
  }

  /**
   * Fetches a user's interactions in chronological order.
   *
   * @param {string|number} userId
   * @returns {Promise<object[]>} an empty array for a user without interactions
   */
  userHistory(userId) {
    return this.#request('userHistory', { userId });
  }

  /**
   * Returns the times of the catalog's oldest and newest interaction.
   *
   * @returns {Promise<{first: number, last: number} | null>} milliseconds since the Unix epoch
   */
  timeRange() {
    return this.#request('timeRange');
  }

  /**
   * Records what a shopper did. The next `recommend` for that user reflects it,
   * and an unknown user id creates the user.
   *
   * @param {{userId: string|number, productId: string|number, type: string, timestamp?: number, value?: number}} interaction
   *   `type` is "view", "cart", "purchase", "rating" (with `value` 1 to 5) or "not_interested";
   *   `timestamp` is in milliseconds since the Unix epoch and defaults to now
   * @returns {Promise<void>}
   */
  recordInteraction(interaction) {
    return this.#request('recordInteraction', interaction);
  }

  /**
   * Deletes a user's interactions and the user factors learned from them.
   *
   * @param {string|number} userId
   * @returns {Promise<number>} the number of interactions removed, 0 for an unknown user
   */
  forgetUser(userId) {
    return this.#request('forgetUser', { userId });
  }

  /**
   * Fetches the serving statistics of `recommend`.
   *
   * @returns {Promise<{requests: number, cacheHitRate: number, latencyMs: {p50: number, p95: number, p99: number},
   *   interactionsSinceTraining: number, cacheEntries: number}>} latencies in milliseconds
   */
  stats() {
    return this.#request('stats');
  }

  /**
   * Measures how different the products of a list are from each other.
   *
   * @param {string[]} productIds
   * @returns {Promise<number>} mean (1 - content cosine) over all pairs, in [0, 1]; 0 for fewer than two products
   */
  intraListDiversity(productIds) {
    return this.#request('intraListDiversity', { productIds });
  }

  /**
   * Fetches the catalog's category names.
   *
   * @returns {Promise<string[]>}
   */
  categories() {
    return this.#request('categories');
  }

  /**
   * Fetches the whole product catalog.
   *
   * @returns {Promise<object[]>}
   */
  products() {
    return this.#request('products');
  }

  /**
   * Fetches every user with their interaction count.
   *
   * @returns {Promise<object[]>}
   */
  users() {
    return this.#request('users');
  }

  #request(method, params, onProgress, transfer = []) {
    if (this.#failure !== null) {
      return Promise.reject(new Error(this.#failure));
    }

    const id = this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, method, params }, transfer);
    });
  }

  #handleMessage({ id, kind, progress, result, message }) {
    const request = this.#pending.get(id);
    if (request === undefined) {
      console.warn(`engine: ignoring a worker message for unknown request ${id}`);
      return;
    }

    if (kind === 'progress') {
      request.onProgress?.(progress);
      return;
    }

    this.#pending.delete(id);
    if (kind === 'result') {
      request.resolve(result);
      return;
    }
    request.reject(new Error(message));
  }

  #handleWorkerError(event) {
    // An uncaught error in the worker ends up here, most often because
    // ./pkg/hybrid_recommender.js is missing. The page shows the message, so
    // the browser does not need to report it again.
    event.preventDefault();

    const detail = event.message || 'the worker script or one of its imports failed to load';
    this.#failWorker(
      `${detail}. If www/pkg/ is missing, build it with ` +
        '`wasm-pack build --target web --out-dir www/pkg --out-name hybrid_recommender`.',
    );
  }

  #failWorker(message) {
    this.#failure = `recommender worker failed: ${message}`;
    for (const request of this.#pending.values()) {
      request.reject(new Error(this.#failure));
    }
    this.#pending.clear();
  }
}
