// Page state and the order of work: build, train, recommend, evaluate, then the
// shopper's actions. The controller requests data from the engine and passes it
// to the view, which is the only module that touches the DOM.

import { CatalogIndex } from './catalog.js';
import { buildQuery, describeQuery, missingInput } from './query.js';
import { Trainer } from './training.js';

/** Delay between the last slider movement and the query it causes, in milliseconds. */
const SLIDER_DEBOUNCE_MS = 100;

/** Products listed under the search field, and history products offered as picks. */
const SEARCH_RESULTS = 8;
const HISTORY_PICKS = 6;

/** Recommendations per query until the k field changes. */
const DEFAULT_K = 10;

/** Slider positions before the user moves one. They are sent only while automatic weights are off. */
const INITIAL_MANUAL_WEIGHTS = { collaborative: 0.5, content: 0.3, popularity: 0.2 };

/** MMR trade-off until the slider moves, the library default: 1 ranks by relevance only. */
const DEFAULT_MMR_LAMBDA = 0.7;

/** Descriptions of each recorded interaction type, for the action status line. */
const INTERACTION_PHRASES = {
  view: (name) => `viewed “${name}”`,
  cart: (name) => `added “${name}” to the cart`,
  purchase: (name) => `bought “${name}”`,
  not_interested: (name) => `is not interested in “${name}”`,
};

export class Controller {
  #engine;
  #view;
  #trainer;

  /** @type {CatalogIndex|null} null until the catalog is built */
  #catalog = null;

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
    mmrLambda: DEFAULT_MMR_LAMBDA,
    minCategories: 0,
    preferredCategories: [],
  };

  /** False until training finishes, because the recommender cannot rank before that. */
  #trained = false;

  /** True while a retraining runs. The page accepts no actions meanwhile. */
  #retraining = false;

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
    this.#trainer = new Trainer(engine, view, settings);
  }

  /**
   * Builds and trains the recommender, shows the first recommendations, then
   * runs the evaluation. Failures are shown on the page, so the promise never rejects.
   */
  async start() {
    this.#view.bind(this.#handlers());
    this.#setInteractive(false);
    this.#view.blend.showWeights(true, this.#state.weights);
    this.#view.blend.showDiversity(this.#state);
    this.#view.context.showContext(this.#state.context);

    try {
      await this.#trainer.build();
      await this.#loadCatalog();
      await this.#trainer.train();
    } catch (error) {
      this.#view.showFatal(`The recommender could not start: ${error.message}`);
      return;
    }

    this.#trained = true;
    this.#view.setControlsEnabled(true);
    this.#view.recommendations.setActionsEnabled(true);
    this.#refreshRecommendations();

    // Retraining waits for the evaluation, which keeps the worker busy for several seconds.
    await this.#trainer.evaluate();
    this.#trainer.showReady();
    this.#view.serving.setRetrainEnabled(true);
  }

  async #loadCatalog() {
    const [users, products, categories] = await Promise.all([
      this.#engine.users(),
      this.#engine.products(),
      this.#engine.categories(),
    ]);
    this.#catalog = new CatalogIndex(users, products, categories);
    this.#view.shopper.showCategories(categories);

    const groups = this.#catalog.userGroups();
    const first = groups.flatMap((group) => group.users)[0];
    if (first === undefined) {
      throw new Error('the catalog has no users');
    }
    this.#view.shopper.showUserChoices(groups, first.userId);
    this.#selectUser(first.userId);
  }

  #handlers() {
    return {
      selectUser: (userKey) => this.#selectUser(this.#catalog.userIdFromKey(userKey)),
      enterUserId: (text) => this.#enterUserId(text),
      setPreferredCategories: (categories) => this.#update({ preferredCategories: categories }),
      forgetUser: () => this.#forgetUser(),
      changeContext: (context) => this.#changeContext(context),
      searchProducts: (text) => this.#searchProducts(text),
      pickProduct: (productKey) => this.#pickProduct(productKey),
      viewProduct: (productKey) => this.#recordThen(productKey, 'view', () => this.#viewProduct(productKey)),
      addToCart: (productKey) => this.#recordThen(productKey, 'cart', () => this.#addToCart(productKey)),
      buyProduct: (productKey) => this.#recordThen(productKey, 'purchase', () => this.#refreshRecommendations()),
      dismissProduct: (productKey) =>
        this.#recordThen(productKey, 'not_interested', () => this.#refreshRecommendations()),
      removeFromCart: (productKey) => this.#removeFromCart(productKey),
      setAutomaticWeights: (automatic) => this.#setAutomaticWeights(automatic),
      setWeight: (component, value) => this.#setWeight(component, value),
      setK: (k) => this.#update({ k }),
      setExcludePurchased: (excludePurchased) => this.#update({ excludePurchased }),
      setMmrLambda: (lambda) => this.#setMmrLambda(lambda),
      setMinCategories: (minCategories) => this.#update({ minCategories }),
      retrain: () => this.#retrain(),
    };
  }

  /**
   * Enables or disables everything that changes the recommender or the query.
   */
  #setInteractive(enabled) {
    this.#view.setControlsEnabled(enabled);
    this.#view.recommendations.setActionsEnabled(enabled);
    this.#view.serving.setRetrainEnabled(enabled);
  }

  // Shopper

  #selectUser(userId) {
    this.#state.userId = userId;
    this.#state.preferredCategories = [];
    this.#view.shopper.showForgetResult('');
    this.#view.recommendations.showActionStatus('');
    this.#showUser();
    this.#refreshHistory();
    this.#refreshRecommendations();
  }

  #enterUserId(text) {
    const parsed = this.#catalog.parseUserId(text);
    if (parsed.error !== undefined) {
      this.#view.shopper.showUserIdError(parsed.error);
      return;
    }
    this.#selectUser(parsed.userId);
  }

  /** Shows the current user, and the onboarding picker while they have no history. */
  #showUser() {
    const { userId, preferredCategories } = this.#state;
    this.#view.shopper.showSelectedUser(userId, this.#catalog.user(userId));
    this.#view.shopper.showOnboarding(this.#isOnboarding(), preferredCategories);
  }

  /** Returns true while the current user has no interactions, so the picked categories apply. */
  #isOnboarding() {
    return this.#catalog.interactionCount(this.#state.userId) === 0;
  }

  /**
   * Records a card action for the current user, then runs `next`, which
   * switches the context or refreshes the recommendations. `next` runs even when
   * recording failed, because the failure is shown and the page keeps working.
   */
  async #recordThen(productKey, type, next) {
    const product = this.#catalog.product(productKey);
    if (!this.#trained || this.#retraining || product === undefined) {
      return;
    }

    const { userId } = this.#state;
    const phrase = INTERACTION_PHRASES[type](product.name);
    try {
      await this.#engine.recordInteraction({ userId, productId: product.productId, type });
      this.#catalog.setInteractionCount(userId, this.#catalog.interactionCount(userId) + 1);
      this.#view.recommendations.showActionStatus(`Recorded: user ${userId} ${phrase}.`, 'info');
    } catch (error) {
      this.#view.recommendations.showActionStatus(
        `Could not record that user ${userId} ${phrase}: ${error.message}`,
        'error',
      );
    }

    if (userId === this.#state.userId) {
      this.#showUser();
      this.#refreshHistory();
    }
    next();
  }

  async #forgetUser() {
    if (!this.#trained || this.#retraining) {
      return;
    }

    const { userId } = this.#state;
    let removed;
    try {
      removed = await this.#engine.forgetUser(userId);
    } catch (error) {
      this.#view.shopper.showForgetResult(`Could not forget user ${userId}: ${error.message}`, 'error');
      return;
    }

    this.#catalog.setInteractionCount(userId, 0);
    if (userId === this.#state.userId) {
      this.#view.recommendations.showActionStatus('');
      this.#showUser();
      const noun = removed === 1 ? 'interaction' : 'interactions';
      this.#view.shopper.showForgetResult(`Forgot user ${userId}: deleted ${removed} ${noun}.`);
      this.#refreshHistory();
    }
    this.#refreshRecommendations();
  }

  // Context

  #changeContext(context) {
    this.#state.context = context;
    this.#view.context.showContext(context);
    this.#view.context.clearProductSearch();
    this.#showContextDetail();
    this.#refreshRecommendations();
  }

  #searchProducts(text) {
    this.#view.context.showProductResults(this.#catalog.search(text, SEARCH_RESULTS), text);
  }

  #pickProduct(productKey) {
    if (this.#state.context === 'cart') {
      this.#addToCart(productKey);
      return;
    }
    this.#viewProduct(productKey);
  }

  #viewProduct(productKey) {
    const product = this.#catalog.product(productKey);
    if (product === undefined) {
      return;
    }

    this.#state.productId = product.productId;
    this.#changeContext('product_page');
  }

  #addToCart(productKey) {
    const product = this.#catalog.product(productKey);
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

  #showContextDetail() {
    const { context, productId, cartProductIds } = this.#state;
    if (context === 'product_page') {
      this.#view.context.showCurrentProduct(this.#catalog.product(String(productId)) ?? null);
    }
    if (context === 'cart') {
      const products = cartProductIds.map((id) => this.#catalog.product(String(id))).filter(Boolean);
      this.#view.context.showCart(products);
    }
  }

  // Blend and diversity

  #setAutomaticWeights(automatic) {
    clearTimeout(this.#sliderTimer);
    this.#update({ automaticWeights: automatic });
  }

  #setWeight(component, value) {
    this.#state.automaticWeights = false;
    this.#state.weights = { ...this.#state.weights, [component]: value };
    this.#view.blend.showWeights(false, this.#state.weights);
    this.#refreshAfterSlider();
  }

  #setMmrLambda(lambda) {
    this.#state.mmrLambda = lambda;
    this.#view.blend.showDiversity(this.#state);
    this.#refreshAfterSlider();
  }

  #refreshAfterSlider() {
    clearTimeout(this.#sliderTimer);
    this.#sliderTimer = setTimeout(() => this.#refreshRecommendations(), SLIDER_DEBOUNCE_MS);
  }

  #update(changes) {
    Object.assign(this.#state, changes);
    this.#view.blend.showWeights(this.#state.automaticWeights, this.#state.weights);
    this.#view.blend.showDiversity(this.#state);
    this.#refreshRecommendations();
  }

  // Model

  async #retrain() {
    if (!this.#trained || this.#retraining) {
      return;
    }

    this.#retraining = true;
    this.#setInteractive(false);
    this.#view.serving.showRetraining();
    try {
      const report = await this.#trainer.train();
      this.#view.serving.showRetrained(report);
    } catch (error) {
      this.#view.serving.showRetrainError(error.message);
    }

    this.#trainer.showReady();
    this.#retraining = false;
    this.#setInteractive(true);
    this.#refreshRecommendations();
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

      const missing = missingInput(this.#state);
      if (missing === null) {
        await this.#recommend(context);
      } else {
        this.#view.recommendations.showMessage(missing, 'info', context);
      }
      await this.#refreshStats();
    }

    this.#recommendationsRunning = false;
  }

  /** Runs one query and shows its result with the diversity of the list, unless it became stale. */
  async #recommend(context) {
    const query = buildQuery(this.#state, this.#isOnboarding());
    this.#view.recommendations.showLoading();

    let items;
    try {
      items = await this.#engine.recommend(query);
    } catch (error) {
      if (!this.#recommendationsStale) {
        const message = `Could not get recommendations: ${error.message}`;
        this.#view.recommendations.showMessage(message, 'error', context);
      }
      return;
    }
    if (this.#recommendationsStale) {
      return;
    }

    this.#view.recommendations.show(items, { context, caption: describeQuery(query) });

    const categories = new Set(items.map((item) => item.category)).size;
    if (items.length < 2) {
      this.#view.recommendations.showListMetrics({ diversity: null, categories });
      return;
    }
    try {
      const diversity = await this.#engine.intraListDiversity(items.map((item) => item.productId));
      if (!this.#recommendationsStale) {
        this.#view.recommendations.showListMetrics({ diversity, categories });
      }
    } catch (error) {
      if (!this.#recommendationsStale) {
        const message = `Could not compute the diversity: ${error.message}`;
        this.#view.recommendations.showListMetrics({ diversity: null, categories, error: message });
      }
    }
  }

  async #refreshStats() {
    try {
      this.#view.serving.showStats(await this.#engine.stats());
    } catch (error) {
      this.#view.serving.showStatsError(error.message);
    }
  }

  async #refreshHistory() {
    const request = ++this.#historyRequest;
    const { userId } = this.#state;

    let history;
    try {
      history = await this.#engine.userHistory(userId);
    } catch (error) {
      if (request === this.#historyRequest) {
        this.#view.history.showError(`Could not load the history of user ${userId}: ${error.message}`);
        this.#view.context.showHistoryPicks([]);
      }
      return;
    }
    if (request !== this.#historyRequest) {
      return;
    }

    // The history is the recommender's own record, so its length corrects the count.
    if (history.length !== this.#catalog.interactionCount(userId)) {
      this.#catalog.setInteractionCount(userId, history.length);
      this.#showUser();
    }
    this.#view.history.show(history);
    this.#view.context.showHistoryPicks(this.#catalog.recentProducts(history, HISTORY_PICKS));
  }
}
