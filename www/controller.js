// Page state and the order of work: build, train, recommend, evaluate. The
// controller requests data from the engine and passes it to the view, which is
// the only module that touches the DOM.

/** Delay between the last slider movement and the query it causes, in milliseconds. */
const SLIDER_DEBOUNCE_MS = 100;

/** Users listed per activity group in the user picker. */
const USERS_PER_GROUP = 10;

/** Minimum interactions of an active user. Users with fewer, but at least one, are light users. */
const ACTIVE_USER_MIN_INTERACTIONS = 5;

/** Products listed under the search field, and history products offered as picks. */
const SEARCH_RESULTS = 8;
const HISTORY_PICKS = 6;

/** Recommendations per query until the k field changes. */
const DEFAULT_K = 10;

/** Slider positions before the user moves one. They are sent only while automatic weights are off. */
const INITIAL_MANUAL_WEIGHTS = { collaborative: 0.5, content: 0.3, popularity: 0.2 };

const STAGE_LABELS = {
  confidence: 'Confidence weighting',
  collaborative: 'Collaborative filtering (ALS)',
  content: 'Content model',
  popularity: 'Popularity',
  evaluation: 'Offline evaluation',
};

const CONTEXT_LABELS = {
  homepage: 'Homepage',
  product_page: 'Product page',
  cart: 'Cart',
};

export class Controller {
  #engine;
  #view;
  #settings;

  /**
   * Catalog data fetched once after the build. The maps are keyed by String(id),
   * the form in which ids come back from the DOM.
   */
  #usersByKey = new Map();
  #productsByKey = new Map();
  #searchIndex = [];

  /** True when the catalog's user ids are numbers, so typed ids must be parsed. */
  #numericUserIds = false;

  /** Shopper's choices in the sidebar. */
  #state = {
    userId: null,
    context: 'homepage',
    productId: null,
    cartProductIds: [],
    automaticWeights: true,
    weights: { ...INITIAL_MANUAL_WEIGHTS },
    k: DEFAULT_K,
    excludePurchased: true,
  };

  /** Rows of the stage timing list, extended by the evaluation time once it is known. */
  #timings = [];

  /** False until training finishes, because the recommender cannot rank before that. */
  #trained = false;

  /** Recommendation queries run one at a time. A change during a query marks its result stale. */
  #recommendationsRunning = false;
  #recommendationsStale = false;
  #historyRequest = 0;
  #sliderTimer = null;

  /**
   * @param {import('./engine.js').Engine} engine
   * @param {import('./view.js').View} view
   * @param {{catalog: object, training: object, evaluation: object}} settings from settings.js
   */
  constructor(engine, view, settings) {
    this.#engine = engine;
    this.#view = view;
    this.#settings = settings;
  }

  /**
   * Builds and trains the recommender, shows the first recommendations, then
   * runs the evaluation. Failures are shown on the page, so the promise never rejects.
   */
  async start() {
    this.#view.bind(this.#handlers());
    this.#view.setControlsEnabled(false);
    this.#view.showWeights(true, this.#state.weights);
    this.#view.showContext(this.#state.context);

    try {
      await this.#buildAndTrain();
    } catch (error) {
      this.#view.showFatal(`The recommender could not start: ${error.message}`);
      return;
    }

    this.#trained = true;
    this.#view.setControlsEnabled(true);
    this.#refreshRecommendations();
    await this.#evaluate();
  }

  async #buildAndTrain() {
    this.#view.showStatus('loading', 'Building the catalog…');
    this.#view.showStage('Loading WebAssembly and building the catalog', null);
    const build = await this.#engine.build(this.#settings.catalog);

    const [users, products] = await Promise.all([this.#engine.users(), this.#engine.products()]);
    this.#indexCatalog(users, products);
    this.#showUserChoices(users);

    this.#view.showStatus('training', 'Training…');
    const losses = [];
    const report = await this.#engine.train(this.#settings.training, (progress) => {
      const label = STAGE_LABELS[progress.stage] ?? progress.stage;
      this.#view.showStage(label, progress.fraction);
      this.#view.showStatus('training', `Training: ${label}`);
      if (Number.isFinite(progress.loss)) {
        const iteration = Number.isInteger(progress.iteration) ? progress.iteration : losses.length + 1;
        losses[iteration - 1] = progress.loss;
        this.#view.showLoss(losses.filter(Number.isFinite));
      }
    });

    this.#view.showLoss(report.loss);
    this.#view.showCatalogSummary(report);
    this.#timings = [
      { label: 'Catalog build', millis: build.millis },
      { label: STAGE_LABELS.confidence, millis: report.stageMillis.confidence },
      { label: STAGE_LABELS.collaborative, millis: report.stageMillis.collaborative },
      { label: STAGE_LABELS.content, millis: report.stageMillis.content },
      { label: STAGE_LABELS.popularity, millis: report.stageMillis.popularity },
      { label: 'Training total', millis: report.totalMillis },
    ];
    this.#view.showTimings(this.#timings);
    this.#view.showStage('Trained', 1);
  }

  async #evaluate() {
    const { k } = this.#settings.evaluation;
    this.#view.showStatus('evaluating', 'Evaluating…');
    this.#view.showEvaluationPending(k);

    try {
      const { metrics, millis } = await this.#engine.evaluate(this.#settings.evaluation, (progress) => {
        this.#view.showStage(STAGE_LABELS.evaluation, progress.fraction);
      });
      this.#view.showEvaluation(metrics, { k, millis });
      this.#timings.push({ label: STAGE_LABELS.evaluation, millis });
      this.#view.showTimings(this.#timings);
    } catch (error) {
      this.#view.showEvaluationError(error.message);
    }

    this.#view.showStage('Ready', 1);
    this.#view.showStatus('ready', 'Ready');
  }

  #indexCatalog(users, products) {
    this.#usersByKey = new Map(users.map((user) => [String(user.userId), user]));
    this.#productsByKey = new Map(products.map((product) => [String(product.productId), product]));
    this.#numericUserIds = typeof users[0]?.userId === 'number';
    this.#searchIndex = products.map((product) => ({ product, name: product.name.toLowerCase() }));
  }

  #showUserChoices(users) {
    // Active users are sampled across their range of activity, because the most
    // active few are outliers with far more interactions than is typical.
    const allActive = users
      .filter((user) => user.interactions >= ACTIVE_USER_MIN_INTERACTIONS)
      .sort((a, b) => b.interactions - a.interactions);
    const active = sampleEvenly(allActive, USERS_PER_GROUP);
    const light = users
      .filter((user) => user.interactions > 0 && user.interactions < ACTIVE_USER_MIN_INTERACTIONS)
      .slice(0, USERS_PER_GROUP);
    const brandNew = users.filter((user) => user.interactions === 0).slice(0, USERS_PER_GROUP);

    const groups = [
      { label: `Active users (${ACTIVE_USER_MIN_INTERACTIONS}+ interactions)`, users: active },
      { label: `Light users (1–${ACTIVE_USER_MIN_INTERACTIONS - 1} interactions)`, users: light },
      { label: 'Brand-new users (no interactions)', users: brandNew },
    ];

    const first = active[0] ?? light[0] ?? brandNew[0];
    if (first === undefined) {
      throw new Error('the catalog has no users');
    }
    this.#view.showUserChoices(groups, first.userId);
    this.#selectUser(first.userId);
  }

  #handlers() {
    return {
      selectUser: (userKey) => this.#selectUser(this.#usersByKey.get(userKey)?.userId ?? userKey),
      enterUserId: (text) => this.#enterUserId(text),
      changeContext: (context) => this.#changeContext(context),
      searchProducts: (text) => this.#searchProducts(text),
      pickProduct: (productKey) => this.#pickProduct(productKey),
      viewProduct: (productKey) => this.#viewProduct(productKey),
      addToCart: (productKey) => this.#addToCart(productKey),
      removeFromCart: (productKey) => this.#removeFromCart(productKey),
      setAutomaticWeights: (automatic) => this.#setAutomaticWeights(automatic),
      setWeight: (component, value) => this.#setWeight(component, value),
      setK: (k) => this.#update({ k }),
      setExcludePurchased: (excludePurchased) => this.#update({ excludePurchased }),
    };
  }

  // Sidebar actions

  #selectUser(userId) {
    this.#state.userId = userId;
    this.#view.showSelectedUser(userId, this.#usersByKey.get(String(userId)) ?? null);
    this.#refreshHistory();
    this.#refreshRecommendations();
  }

  #enterUserId(text) {
    const trimmed = text.trim();
    if (trimmed === '') {
      this.#view.showUserIdError('Enter a user id first.');
      return;
    }
    if (!this.#numericUserIds) {
      this.#selectUser(trimmed);
      return;
    }

    const userId = Number(trimmed);
    if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(userId)) {
      this.#view.showUserIdError(`Invalid user id "${trimmed}": this catalog expects a non-negative integer.`);
      return;
    }
    this.#selectUser(userId);
  }

  #changeContext(context) {
    this.#state.context = context;
    this.#view.showContext(context);
    this.#view.clearProductSearch();
    this.#showContextDetail();
    this.#refreshRecommendations();
  }

  #searchProducts(text) {
    const query = text.trim().toLowerCase();
    if (query === '') {
      this.#view.showProductResults([], text);
      return;
    }

    const matches = [];
    for (const entry of this.#searchIndex) {
      if (entry.name.includes(query)) {
        matches.push(entry.product);
        if (matches.length === SEARCH_RESULTS) {
          break;
        }
      }
    }
    this.#view.showProductResults(matches, text);
  }

  #pickProduct(productKey) {
    if (this.#state.context === 'cart') {
      this.#addToCart(productKey);
      return;
    }
    this.#viewProduct(productKey);
  }

  #viewProduct(productKey) {
    const product = this.#productsByKey.get(productKey);
    if (product === undefined) {
      return;
    }

    this.#state.productId = product.productId;
    this.#changeContext('product_page');
  }

  #addToCart(productKey) {
    const product = this.#productsByKey.get(productKey);
    if (product === undefined) {
      return;
    }

    if (!this.#state.cartProductIds.includes(product.productId)) {
      this.#state.cartProductIds = [...this.#state.cartProductIds, product.productId];
    }
    this.#changeContext('cart');
  }

  #removeFromCart(productKey) {
    this.#state.cartProductIds = this.#state.cartProductIds.filter((id) => String(id) !== productKey);
    this.#showContextDetail();
    this.#refreshRecommendations();
  }

  #setAutomaticWeights(automatic) {
    clearTimeout(this.#sliderTimer);
    this.#update({ automaticWeights: automatic });
  }

  #setWeight(component, value) {
    this.#state.automaticWeights = false;
    this.#state.weights = { ...this.#state.weights, [component]: value };
    this.#view.showWeights(false, this.#state.weights);

    clearTimeout(this.#sliderTimer);
    this.#sliderTimer = setTimeout(() => this.#refreshRecommendations(), SLIDER_DEBOUNCE_MS);
  }

  #update(changes) {
    Object.assign(this.#state, changes);
    this.#view.showWeights(this.#state.automaticWeights, this.#state.weights);
    this.#refreshRecommendations();
  }

  #showContextDetail() {
    const { context, productId, cartProductIds } = this.#state;
    if (context === 'product_page') {
      this.#view.showCurrentProduct(this.#productsByKey.get(String(productId)) ?? null);
    }
    if (context === 'cart') {
      const products = cartProductIds.map((id) => this.#productsByKey.get(String(id))).filter(Boolean);
      this.#view.showCart(products);
    }
  }

  // Queries

  #refreshRecommendations() {
    if (!this.#trained) {
      return;
    }

    this.#recommendationsStale = true;
    if (this.#recommendationsRunning) {
      return;
    }
    this.#runRecommendations();
  }

  async #runRecommendations() {
    this.#recommendationsRunning = true;

    while (this.#recommendationsStale) {
      this.#recommendationsStale = false;
      const { context } = this.#state;

      const missing = this.#missingInput();
      if (missing !== null) {
        this.#view.showRecommendationsMessage(missing, 'info', context);
        continue;
      }

      const query = this.#recommendQuery();
      this.#view.showRecommendationsLoading();
      try {
        const items = await this.#engine.recommend(query);
        if (!this.#recommendationsStale) {
          this.#view.showRecommendations(items, { context, caption: this.#caption(query) });
        }
      } catch (error) {
        if (!this.#recommendationsStale) {
          this.#view.showRecommendationsMessage(`Could not get recommendations: ${error.message}`, 'error', context);
        }
      }
    }

    this.#recommendationsRunning = false;
  }

  /** Returns why the current context cannot be queried yet, or null when it can. */
  #missingInput() {
    const { context, productId, cartProductIds } = this.#state;
    if (context === 'product_page' && productId === null) {
      return 'Pick a product to see what goes with it.';
    }
    if (context === 'cart' && cartProductIds.length === 0) {
      return 'Add a product to the cart to see what goes with it.';
    }
    return null;
  }

  #recommendQuery() {
    const { userId, context, productId, cartProductIds, automaticWeights, weights, k, excludePurchased } = this.#state;
    const query = { userId, k, context, excludePurchased };
    if (context === 'product_page') {
      query.productId = productId;
    }
    if (context === 'cart') {
      query.cartProductIds = [...cartProductIds];
    }
    if (!automaticWeights) {
      query.weights = { ...weights };
    }
    return query;
  }

  #caption(query) {
    const parts = [CONTEXT_LABELS[query.context], `user ${query.userId}`, `k = ${query.k}`];
    if (query.weights === undefined) {
      parts.push('automatic weights');
    } else {
      const { collaborative, content, popularity } = query.weights;
      parts.push(`weights ${collaborative.toFixed(2)} / ${content.toFixed(2)} / ${popularity.toFixed(2)}`);
    }
    return parts.join(' · ');
  }

  async #refreshHistory() {
    const request = ++this.#historyRequest;
    const { userId } = this.#state;

    let history;
    try {
      history = await this.#engine.userHistory(userId);
    } catch (error) {
      if (request === this.#historyRequest) {
        this.#view.showHistoryError(`Could not load the history of user ${userId}: ${error.message}`);
        this.#view.showHistoryPicks([]);
      }
      return;
    }
    if (request !== this.#historyRequest) {
      return;
    }

    this.#view.showHistory(history);
    this.#view.showHistoryPicks(this.#recentProducts(history));
  }

  /** Returns distinct products from a chronological history, most recent first. */
  #recentProducts(history) {
    const seen = new Set();
    const products = [];
    for (let index = history.length - 1; index >= 0 && products.length < HISTORY_PICKS; index -= 1) {
      const product = this.#productsByKey.get(String(history[index].productId));
      if (product !== undefined && !seen.has(product.productId)) {
        seen.add(product.productId);
        products.push(product);
      }
    }
    return products;
  }
}

/**
 * Picks `count` items spread evenly over `items`: the middle item of each of
 * `count` equal slices, so neither extreme is included.
 */
function sampleEvenly(items, count) {
  if (items.length <= count) {
    return items;
  }

  const sliceLength = items.length / count;
  return Array.from({ length: count }, (_, index) => items[Math.floor((index + 0.5) * sliceLength)]);
}
