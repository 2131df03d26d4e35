// Page state and the order of work: restore a saved model or build and train
// one, recommend, evaluate, then the shopper's actions, each saved for the next
// reload. The controller requests data from the engine and passes it to the
// view, which is the only module that touches the DOM.

import { CatalogIndex } from './catalog.js';
import { Dashboard } from './dashboard.js';
import { Persistence } from './persistence.js';
import { RecommendationQueries } from './recommending.js';
import { settingsKey } from './settings.js';
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
  #dashboard;
  #persistence;
  #queries;

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

  #historyRequest = 0;
  #sliderTimer = null;

  /**
   * @param {import('./engine.js').Engine} engine
   * @param {import('./view.js').View} view
   * @param {{catalog: object, training: object, evaluation: object}} settings from settings.js
   * @param {() => void} reload reloads the page, which Reset does after deleting the saved data
   */
  constructor(engine, view, settings, reload) {
    this.#engine = engine;
    this.#view = view;
    this.#trainer = new Trainer(engine, view, settings);
    this.#dashboard = new Dashboard(engine, view, settings, () => this.#currentArm());
    this.#persistence = new Persistence(engine, view.storage, settingsKey(settings), reload);
    this.#queries = new RecommendationQueries(engine, view, () => ({
      state: this.#state,
      onboarding: this.#isOnboarding(),
    }));
  }

  /**
   * Restores the saved model, or builds and trains a new one, shows the first
   * recommendations, then shows the saved evaluation or runs a new one. Failures
   * are shown on the page, so the promise never rejects.
   */
  async start() {
    this.#view.bind(this.#handlers());
    this.#setInteractive(false);
    this.#view.blend.showWeights(true, this.#state.weights);
    this.#view.blend.showDiversity(this.#state);
    this.#view.context.showContext(this.#state.context);
    this.#dashboard.init();

    let restored;
    try {
      restored = await this.#restore();
      if (restored === null) {
        await this.#trainer.build();
        await this.#loadCatalog(null);
        const report = await this.#trainer.train();
        this.#persistence.saveModel(report, { keepPage: false });
      }
    } catch (error) {
      this.#view.showFatal(`The recommender could not start: ${error.message}`);
      return;
    }

    this.#trained = true;
    this.#view.setControlsEnabled(true);
    this.#view.recommendations.setActionsEnabled(true);
    this.#refreshRecommendations();

    if (restored === null) {
      // Retraining waits for the evaluation, which keeps the worker busy for several seconds.
      await this.#evaluate();
    } else if (restored.savedEvaluation !== null) {
      this.#trainer.showSavedEvaluation(restored.savedEvaluation);
    }
    this.#trainer.showReady();
    this.#view.serving.setRetrainEnabled(true);
    this.#view.upload.setEnabled(true);
    this.#dashboard.setSimulationAvailable((await this.#engine.loadReport()) === null);
    this.#dashboard.setEnabled(true);
  }

  /**
   * Loads the model saved for these settings and replays the shopper actions
   * saved after it.
   *
   * @returns {Promise<{savedEvaluation: object|null} | null>} null when no model is saved or it failed
   *   to load; `savedEvaluation` is null when the evaluation ran here because none was saved
   */
  async #restore() {
    const saved = await this.#persistence.load();
    if (saved === null) {
      return null;
    }

    const { model, size, journal, page } = saved;
    try {
      await this.#trainer.restore(model.bytes, model.training);
    } catch (error) {
      this.#persistence.showRestoreFailed(error.message);
      return null;
    }

    // A saved model without an evaluation was saved while its first evaluation ran.
    // It is evaluated before the replay, because the test window ends at the newest
    // interaction, and replayed ones are dated when the shopper acted, which can be
    // long after the last day of the synthetic catalog.
    const savedEvaluation = page?.evaluation ?? null;
    if (savedEvaluation === null) {
      await this.#evaluate();
    }

    const replay = await this.#engine.replay(journal);
    this.#persistence.showRestored(model, size, replay);
    await this.#loadCatalog(page?.userId ?? null);
    return { savedEvaluation };
  }

  /** Evaluates every strategy and stores the report. A failure is shown in the evaluation panel. */
  async #evaluate() {
    const evaluation = await this.#trainer.evaluate();
    if (evaluation !== null) {
      this.#persistence.saveEvaluation(evaluation);
    }
  }

  /**
   * Fetches the users, products and categories, and selects `preferredUserId`
   * when given, else the first listed user.
   */
  async #loadCatalog(preferredUserId) {
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
    this.#selectUser(preferredUserId ?? first.userId);
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
      runTuning: () => this.#dashboard.runTuning(),
      applyWeights: (weights) => this.#applyWeights(weights),
      runAbTest: (controlKey, treatmentKey) => this.#dashboard.runAbTest(controlKey, treatmentKey),
      resetStorage: () => this.#persistence.reset(),
      loadCatalogFiles: (files) => this.#loadCatalogFiles(files),
    };
  }

  /**
   * Enables or disables everything that changes the recommender or the query.
   */
  #setInteractive(enabled) {
    this.#view.setControlsEnabled(enabled);
    this.#view.recommendations.setActionsEnabled(enabled);
    this.#view.serving.setRetrainEnabled(enabled);
    this.#view.upload.setEnabled(enabled);
  }

  // Shopper

  #selectUser(userId) {
    this.#state.userId = userId;
    this.#persistence.saveUser(userId);
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
      // The explicit timestamp makes a replay after a reload record the same interaction.
      const timestamp = shopTimestamp(await this.#engine.timeRange(), Date.now());
      const interaction = { userId, productId: product.productId, type, timestamp };
      await this.#engine.recordInteraction(interaction);
      await this.#persistence.recordAction({ kind: 'interaction', interaction });
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
    await this.#persistence.recordAction({ kind: 'forget', userId });

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

  /** Switches to manual weights with the given values, rounded to the sliders' 0.05 steps. */
  #applyWeights(weights) {
    const round = (weight) => Math.round(weight * 20) / 20;
    this.#state.automaticWeights = false;
    this.#state.weights = {
      collaborative: round(weights.collaborative),
      content: round(weights.content),
      popularity: round(weights.popularity),
    };
    this.#view.blend.showWeights(false, this.#state.weights);
    this.#refreshRecommendations();
  }

  /** Returns the sidebar's blend and diversity settings as an A/B arm of `simulateAbTest`. */
  #currentArm() {
    const { automaticWeights, weights, mmrLambda, minCategories } = this.#state;
    return {
      weights: automaticWeights ? undefined : { ...weights },
      mmrLambda,
      minCategories: minCategories > 0 ? minCategories : undefined,
    };
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
      this.#persistence.saveModel(report, { keepPage: true });
    } catch (error) {
      this.#view.serving.showRetrainError(error.message);
    }

    this.#trainer.showReady();
    this.#retraining = false;
    this.#setInteractive(true);
    this.#refreshRecommendations();
  }

  /**
   * Replaces the catalog with the visitor's CSV files, then trains, saves and
   * evaluates as on a first visit. Files that fail to load leave the current
   * model serving, and the loader's message is shown under the form.
   */
  async #loadCatalogFiles({ interactions, products, users, optionsText }) {
    if (!this.#trained || this.#retraining) {
      return;
    }

    let options;
    try {
      options = optionsText.trim() === '' ? {} : JSON.parse(optionsText);
    } catch (error) {
      this.#view.upload.showStatus(`Invalid load options, expected JSON: ${error.message}`, 'error');
      return;
    }

    this.#retraining = true;
    this.#setInteractive(false);
    this.#view.upload.showStatus('Loading…', 'busy');
    try {
      const files = { interactions: await interactions.text() };
      if (products !== null) {
        files.products = await products.text();
      }
      if (users !== null) {
        files.users = await users.text();
      }
      const report = await this.#trainer.loadFiles(files, options);
      this.#view.upload.showLoaded(report);
      this.#dashboard.setSimulationAvailable(false);
    } catch (error) {
      this.#view.upload.showStatus(`Could not load the files: ${error.message}`, 'error');
      this.#trainer.showReady();
      this.#retraining = false;
      this.#setInteractive(true);
      return;
    }

    try {
      await this.#loadCatalog(null);
      const report = await this.#trainer.train();
      this.#persistence.saveModel(report, { keepPage: false });
    } catch (error) {
      this.#view.showFatal(`The loaded catalog could not be trained: ${error.message}`);
      return;
    }
    this.#retraining = false;
    this.#setInteractive(true);
    this.#refreshRecommendations();
    await this.#evaluate();
    this.#trainer.showReady();
  }

  // Queries

  #refreshRecommendations() {
    if (this.#trained) {
      this.#queries.refresh();
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

/**
 * Dates a new event in the catalog's own timeline: now for data that is current, and
 * one minute after the newest event for data that lies in the past (the synthetic shop
 * ends months before today), so the evaluation's time windows keep their meaning.
 *
 * @param {{first: number, last: number} | null} range the catalog's event times, ms
 * @param {number} now the current time, ms
 * @returns {number} the timestamp to record, ms
 */
function shopTimestamp(range, now) {
  if (range === null) {
    return now;
  }
  return Math.max(range.last + 1000, Math.min(now, range.last + 60_000));
}
