// Recommendation queries for the shopper's current choices. Queries run one at a
// time, a change during a query marks its result stale so that only the newest
// choices are shown, and each round refreshes the serving statistics.

import { buildQuery, describeQuery, missingInput } from './query.js';

export class RecommendationQueries {
  #engine;
  #view;
  #readState;

  #running = false;
  #stale = false;

  /**
   * @param {import('./engine.js').Engine} engine
   * @param {import('./view.js').View} view
   * @param {() => {state: object, onboarding: boolean}} readState returns the controller's
   *   state and whether the current user has no history yet
   */
  constructor(engine, view, readState) {
    this.#engine = engine;
    this.#view = view;
    this.#readState = readState;
  }

  /**
   * Queries the recommendations for the current choices, after the running query if any.
   */
  refresh() {
    this.#stale = true;
    if (this.#running) {
      return;
    }
    this.#run();
  }

  async #run() {
    this.#running = true;

    while (this.#stale) {
      this.#stale = false;
      const { state } = this.#readState();
      const { context } = state;

      const missing = missingInput(state);
      if (missing === null) {
        await this.#recommend(context);
      } else {
        this.#view.recommendations.showMessage(missing, 'info', context);
      }
      await this.#refreshStats();
    }

    this.#running = false;
  }

  /** Runs one query and shows its result with the diversity of the list, unless it became stale. */
  async #recommend(context) {
    const { state, onboarding } = this.#readState();
    const query = buildQuery(state, onboarding);
    this.#view.recommendations.showLoading();

    let items;
    try {
      items = await this.#engine.recommend(query);
    } catch (error) {
      if (!this.#stale) {
        const message = `Could not get recommendations: ${error.message}`;
        this.#view.recommendations.showMessage(message, 'error', context);
      }
      return;
    }
    if (this.#stale) {
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
      if (!this.#stale) {
        this.#view.recommendations.showListMetrics({ diversity, categories });
      }
    } catch (error) {
      if (!this.#stale) {
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
}
