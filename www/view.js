// The only module that touches the DOM. It renders what the controller passes in
// and reports user actions through the handlers given to bind(). Catalog and user
// text always goes in through textContent, never through innerHTML.

import {
  describeActivity,
  formatCount,
  formatDuration,
  formatLoss,
  formatMetric,
  formatPrice,
  formatScore,
  formatTimestamp,
  hashToIndex,
  initialOf,
} from './format.js';

/** Interactions shown in the history table, newest first. */
const HISTORY_ROWS = 25;

/** Width and height of the loss chart, in SVG user units (see the viewBox in index.html). */
const LOSS_CHART_WIDTH = 300;
const LOSS_CHART_HEIGHT = 80;
const LOSS_CHART_PADDING = 4;

/** Number of colour classes (.hue-0 … .hue-7 in style.css) for category thumbnails. */
const THUMBNAIL_HUES = 8;

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

const COMPONENTS = [
  { key: 'collaborative', label: 'Collaborative' },
  { key: 'content', label: 'Content' },
  { key: 'popularity', label: 'Popularity' },
];

const STRATEGIES = [
  { key: 'popularity', label: 'Popularity' },
  { key: 'collaborative', label: 'Collaborative (ALS)' },
  { key: 'content', label: 'Content' },
  { key: 'hybrid', label: 'Hybrid' },
];

/** Evaluation columns. Only `ranked` columns take part in the best-value highlight. */
const METRICS = [
  { key: 'precision', label: 'Precision@k', ranked: true },
  { key: 'recall', label: 'Recall@k', ranked: true },
  { key: 'ndcg', label: 'NDCG@k', ranked: true },
  { key: 'coverage', label: 'Coverage', ranked: true },
  { key: 'diversity', label: 'Diversity', ranked: true },
  { key: 'users', label: 'Users', ranked: false },
];

const EVENT_LABELS = {
  view: 'Viewed',
  cart: 'Added to cart',
  purchase: 'Purchased',
  rating: 'Rated',
};

/**
 * Handlers receive ids as the strings stored in the DOM, because the library's
 * ids may be strings or numbers. The controller maps them back to catalog entries.
 *
 * @typedef {object} ViewHandlers
 * @property {(userKey: string) => void} selectUser a user picked from the list
 * @property {(text: string) => void} enterUserId text submitted in the user id field
 * @property {(context: string) => void} changeContext "homepage", "product_page" or "cart"
 * @property {(text: string) => void} searchProducts text typed in the product search
 * @property {(productKey: string) => void} pickProduct a product picked in the picker
 * @property {(productKey: string) => void} viewProduct "View" pressed on a card
 * @property {(productKey: string) => void} addToCart "Add to cart" pressed on a card
 * @property {(productKey: string) => void} removeFromCart "Remove" pressed in the cart
 * @property {(automatic: boolean) => void} setAutomaticWeights the toggle changed
 * @property {(component: string, value: number) => void} setWeight a slider moved
 * @property {(k: number) => void} setK the k field changed to a valid value
 * @property {(exclude: boolean) => void} setExcludePurchased the toggle changed
 */

export class View {
  /**
   * Finds the page's elements by id.
   *
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    const byId = (id) => {
      const element = document.getElementById(id);
      if (element === null) {
        throw new Error(`index.html has no element with id "${id}"`);
      }
      return element;
    };

    this.status = byId('status');
    this.controls = byId('controls');
    this.userSelect = byId('user-select');
    this.userSummary = byId('user-summary');
    this.userIdForm = byId('user-id-form');
    this.userIdInput = byId('user-id-input');
    this.contextInputs = [...document.querySelectorAll('input[name="context"]')];
    this.productPageDetail = byId('product-page-detail');
    this.currentProduct = byId('current-product');
    this.cartDetail = byId('cart-detail');
    this.cartList = byId('cart-list');
    this.productPicker = byId('product-picker');
    this.productSearchLabel = byId('product-search-label');
    this.productSearch = byId('product-search');
    this.productResults = byId('product-results');
    this.historyPicksLabel = byId('history-picks-label');
    this.historyPicks = byId('history-picks');
    this.automaticWeights = byId('automatic-weights');
    this.weights = byId('weights');
    this.weightInputs = [...this.weights.querySelectorAll('input[type="range"]')];
    this.kInput = byId('k-input');
    this.excludePurchased = byId('exclude-purchased');
    this.catalogSummary = byId('catalog-summary');
    this.stageName = byId('stage-name');
    this.stageProgress = byId('stage-progress');
    this.stagePercent = byId('stage-percent');
    this.lossChart = byId('loss-chart');
    this.lossList = byId('loss-list');
    this.timings = byId('timings');
    this.recommendationsCaption = byId('recommendations-caption');
    this.recommendationsMessage = byId('recommendations-message');
    this.recommendations = byId('recommendations');
    this.historyCaption = byId('history-caption');
    this.historyBody = byId('history-body');
    this.evaluation = byId('evaluation');
    this.evaluationCaption = byId('evaluation-caption');
    this.evaluationHead = byId('evaluation-head');
    this.evaluationBody = byId('evaluation-body');
  }

  /**
   * Connects user actions to the controller.
   *
   * @param {ViewHandlers} handlers
   */
  bind(handlers) {
    this.userSelect.addEventListener('change', () => {
      handlers.selectUser(this.userSelect.value);
    });

    this.userIdForm.addEventListener('submit', (event) => {
      event.preventDefault();
      handlers.enterUserId(this.userIdInput.value);
    });

    for (const input of this.contextInputs) {
      input.addEventListener('change', () => {
        if (input.checked) {
          handlers.changeContext(input.value);
        }
      });
    }

    this.productSearch.addEventListener('input', () => {
      handlers.searchProducts(this.productSearch.value);
    });

    for (const list of [this.productResults, this.historyPicks]) {
      list.addEventListener('click', (event) => {
        const button = event.target.closest('button[data-product-id]');
        if (button !== null) {
          handlers.pickProduct(button.dataset.productId);
        }
      });
    }

    this.cartList.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-product-id]');
      if (button !== null) {
        handlers.removeFromCart(button.dataset.productId);
      }
    });

    this.recommendations.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (button === null) {
        return;
      }
      const productKey = button.closest('[data-product-id]').dataset.productId;
      if (button.dataset.action === 'view') {
        handlers.viewProduct(productKey);
      } else if (button.dataset.action === 'add-to-cart') {
        handlers.addToCart(productKey);
      }
    });

    this.automaticWeights.addEventListener('change', () => {
      handlers.setAutomaticWeights(this.automaticWeights.checked);
    });

    for (const input of this.weightInputs) {
      input.addEventListener('input', () => {
        handlers.setWeight(input.dataset.weight, Number(input.value));
      });
    }

    this.kInput.addEventListener('input', () => {
      const k = Number(this.kInput.value);
      const valid = this.kInput.value !== '' && this.kInput.checkValidity();
      this.kInput.classList.toggle('invalid', !valid);
      if (valid) {
        handlers.setK(k);
      }
    });

    this.excludePurchased.addEventListener('change', () => {
      handlers.setExcludePurchased(this.excludePurchased.checked);
    });
  }

  // Status and progress

  /**
   * Shows the page state in the header.
   *
   * @param {'loading'|'training'|'evaluating'|'ready'|'error'} state
   * @param {string} text
   */
  showStatus(state, text) {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  /**
   * Shows the running stage and its completed fraction.
   *
   * @param {string} label
   * @param {number|null} fraction in [0, 1], or null when the stage reports no progress
   */
  showStage(label, fraction) {
    this.stageName.textContent = label;

    if (fraction === null) {
      this.stageProgress.removeAttribute('value');
      this.stagePercent.textContent = '';
      return;
    }

    const clamped = Math.min(Math.max(fraction, 0), 1);
    this.stageProgress.value = clamped;
    this.stagePercent.textContent = `${Math.round(clamped * 100)}%`;
  }

  /**
   * Shows the catalog dimensions above the progress bar.
   *
   * @param {{users: number, products: number, interactions: number}} sizes
   */
  showCatalogSummary({ users, products, interactions }) {
    this.catalogSummary.textContent =
      `${formatCount(users)} users · ${formatCount(products)} products · ` +
      `${formatCount(interactions)} interactions`;
  }

  /**
   * Draws the ALS loss curve and lists the value of each iteration.
   *
   * @param {number[]} losses loss after each iteration, in order
   */
  showLoss(losses) {
    this.lossList.replaceChildren(
      ...losses.map((loss, index) => {
        const item = this.#element('li', 'loss-item');
        item.append(this.#element('span', 'loss-iteration', `#${index + 1}`));
        item.append(this.#element('span', 'loss-value', formatLoss(loss)));
        return item;
      }),
    );

    this.lossChart.replaceChildren();
    if (losses.length < 2) {
      return;
    }

    const finite = losses.filter(Number.isFinite);
    const high = Math.max(...finite);
    const low = Math.min(...finite);
    const span = high - low || 1;
    const usableWidth = LOSS_CHART_WIDTH - 2 * LOSS_CHART_PADDING;
    const usableHeight = LOSS_CHART_HEIGHT - 2 * LOSS_CHART_PADDING;
    const points = losses.map((loss, index) => {
      const x = LOSS_CHART_PADDING + (index / (losses.length - 1)) * usableWidth;
      const y = LOSS_CHART_PADDING + ((high - loss) / span) * usableHeight;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });

    const line = this.document.createElementNS(SVG_NAMESPACE, 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('class', 'loss-line');
    this.lossChart.append(line);
  }

  /**
   * Lists how long each step took.
   *
   * @param {{label: string, millis: number}[]} entries
   */
  showTimings(entries) {
    const rows = entries.flatMap(({ label, millis }) => [
      this.#element('dt', null, label),
      this.#element('dd', null, formatDuration(millis)),
    ]);
    this.timings.replaceChildren(...rows);
  }

  /**
   * Enables or disables every control in the sidebar.
   *
   * @param {boolean} enabled
   */
  setControlsEnabled(enabled) {
    this.controls.disabled = !enabled;
  }

  /**
   * Shows an error that stops the page, such as a missing wasm package.
   *
   * @param {string} message
   */
  showFatal(message) {
    this.showStatus('error', 'Failed');
    this.stageName.textContent = 'Stopped';
    this.stageProgress.value = 0;
    this.stagePercent.textContent = '';
    this.#showRecommendationMessage(message, 'error');
    this.recommendations.dataset.state = 'error';
  }

  // Shopper

  /**
   * Fills the user picker with one option group per activity level.
   *
   * @param {{label: string, users: {userId: string|number, interactions: number}[]}[]} groups
   * @param {string|number} selectedUserId
   */
  showUserChoices(groups, selectedUserId) {
    const optionGroups = groups
      .filter((group) => group.users.length > 0)
      .map((group) => {
        const optionGroup = this.document.createElement('optgroup');
        optionGroup.label = group.label;
        for (const user of group.users) {
          const label = `${user.userId} · ${describeActivity(user.interactions)}`;
          const option = new Option(label, String(user.userId));
          optionGroup.append(option);
        }
        return optionGroup;
      });

    this.userSelect.replaceChildren(...optionGroups);
    this.userSelect.value = String(selectedUserId);
  }

  /**
   * Shows who is shopping, and selects them in the picker when they are listed.
   *
   * @param {string|number} userId
   * @param {{interactions: number, ageBand: string, region: string} | null} user null for an id outside the catalog
   */
  showSelectedUser(userId, user) {
    const listed = [...this.userSelect.options].some((option) => option.value === String(userId));
    this.userSelect.value = listed ? String(userId) : '';
    this.userIdInput.value = listed ? '' : String(userId);

    if (user === null) {
      this.userSummary.textContent = `User ${userId} is not in the catalog, so they are served as an anonymous visitor.`;
      return;
    }

    this.userSummary.textContent =
      `User ${userId} · ${describeActivity(user.interactions)} · age ${user.ageBand} · ${user.region}`;
  }

  /**
   * Reports a user id that could not be parsed.
   *
   * @param {string} message
   */
  showUserIdError(message) {
    this.userSummary.textContent = message;
  }

  // Context

  /**
   * Selects a context and shows the controls that belong to it.
   *
   * @param {'homepage'|'product_page'|'cart'} context
   */
  showContext(context) {
    for (const input of this.contextInputs) {
      input.checked = input.value === context;
    }

    this.productPageDetail.hidden = context !== 'product_page';
    this.cartDetail.hidden = context !== 'cart';
    this.productPicker.hidden = context === 'homepage';

    const picking = context === 'cart' ? 'Add a product to the cart' : 'Find a product';
    this.productSearchLabel.textContent = picking;
  }

  /**
   * Shows the product of the product page context.
   *
   * @param {{name: string, category: string, price: number} | null} product
   */
  showCurrentProduct(product) {
    if (product === null) {
      this.currentProduct.textContent = 'No product selected yet: search below or press View on a card.';
      this.currentProduct.classList.add('empty');
      return;
    }

    this.currentProduct.classList.remove('empty');
    this.currentProduct.replaceChildren(
      this.#element('strong', null, product.name),
      this.#element('span', 'muted', ` · ${product.category} · ${formatPrice(product.price)}`),
    );
  }

  /**
   * Lists the cart with a remove button per product.
   *
   * @param {{productId: string|number, name: string, price: number}[]} products
   */
  showCart(products) {
    if (products.length === 0) {
      const empty = this.#element('li', 'empty', 'The cart is empty: search below or press Add to cart on a card.');
      this.cartList.replaceChildren(empty);
      return;
    }

    this.cartList.replaceChildren(
      ...products.map((product) => {
        const item = this.#element('li', 'cart-item');
        item.append(this.#element('span', 'cart-name', product.name));
        item.append(this.#element('span', 'cart-price', formatPrice(product.price)));
        const remove = this.#element('button', 'link-button', 'Remove');
        remove.type = 'button';
        remove.dataset.productId = String(product.productId);
        remove.setAttribute('aria-label', `Remove ${product.name} from the cart`);
        item.append(remove);
        return item;
      }),
    );
  }

  /**
   * Lists products matching the search text as buttons.
   *
   * @param {{productId: string|number, name: string, category: string}[]} products
   * @param {string} query the search text, shown when nothing matches
   */
  showProductResults(products, query) {
    if (query.trim() === '') {
      this.productResults.replaceChildren();
      return;
    }
    if (products.length === 0) {
      this.productResults.replaceChildren(this.#element('li', 'empty', `No product name contains "${query}".`));
      return;
    }
    this.productResults.replaceChildren(...products.map((product) => this.#pickItem(product)));
  }

  /**
   * Offers the products the user interacted with, most recent first.
   *
   * @param {{productId: string|number, name: string, category: string}[]} products
   */
  showHistoryPicks(products) {
    this.historyPicksLabel.hidden = products.length === 0;
    this.historyPicks.replaceChildren(...products.map((product) => this.#pickItem(product)));
  }

  /**
   * Clears the product search field and its results.
   */
  clearProductSearch() {
    this.productSearch.value = '';
    this.productResults.replaceChildren();
  }

  // Blend

  /**
   * Shows the weight mode and the slider positions.
   *
   * @param {boolean} automatic
   * @param {{collaborative: number, content: number, popularity: number}} weights
   */
  showWeights(automatic, weights) {
    this.automaticWeights.checked = automatic;
    this.weights.dataset.automatic = String(automatic);

    for (const input of this.weightInputs) {
      const value = weights[input.dataset.weight];
      input.value = String(value);
      const output = this.document.getElementById(`${input.id}-value`);
      output.textContent = automatic ? 'auto' : value.toFixed(2);
    }
  }

  // Recommendations

  /**
   * Marks the recommendation list as waiting for a new result.
   */
  showRecommendationsLoading() {
    this.recommendations.dataset.state = 'loading';
    this.recommendations.setAttribute('aria-busy', 'true');
  }

  /**
   * Replaces the recommendation list with a message, for a query that cannot run
   * yet (no product picked, empty cart) or that failed.
   *
   * @param {string} message
   * @param {'info'|'error'} kind
   * @param {string} context the context the message is about
   */
  showRecommendationsMessage(message, kind, context) {
    this.recommendations.replaceChildren();
    this.recommendations.dataset.state = kind === 'error' ? 'error' : 'idle';
    this.recommendations.dataset.context = context;
    this.recommendations.removeAttribute('aria-busy');
    this.recommendationsCaption.textContent = '';
    this.#showRecommendationMessage(message, kind);
  }

  /**
   * Renders the recommendations as product cards.
   *
   * @param {object[]} items results of `Recommender.recommend`, best first
   * @param {{context: string, caption: string}} details
   */
  showRecommendations(items, { context, caption }) {
    this.recommendationsMessage.hidden = true;
    this.recommendationsCaption.textContent = caption;

    if (items.length === 0) {
      this.#showRecommendationMessage('The recommender returned no products for this query.', 'info');
    }

    this.recommendations.replaceChildren(...items.map((item, index) => this.#card(item, index + 1)));
    this.recommendations.dataset.context = context;
    this.recommendations.dataset.state = 'ready';
    this.recommendations.removeAttribute('aria-busy');
  }

  // History

  /**
   * Lists the user's most recent interactions, newest first.
   *
   * @param {{productId: string|number, name: string, type: string, timestamp: number, value: number|null}[]} history
   *   in chronological order
   */
  showHistory(history) {
    if (history.length === 0) {
      this.historyCaption.textContent = 'No interactions: a brand-new visitor.';
      this.historyBody.replaceChildren();
      return;
    }

    const recent = history.slice(-HISTORY_ROWS).reverse();
    this.historyCaption.textContent =
      recent.length < history.length
        ? `${recent.length} most recent of ${formatCount(history.length)}`
        : describeActivity(history.length);

    this.historyBody.replaceChildren(
      ...recent.map((entry) => {
        const row = this.document.createElement('tr');

        const date = this.#element('td', 'nowrap');
        date.append(this.#timeElement(entry.timestamp));

        const event = this.#element('td');
        const badge = this.#element('span', `badge badge-${entry.type}`, EVENT_LABELS[entry.type] ?? entry.type);
        event.append(badge);
        if (entry.type === 'rating' && entry.value !== null) {
          event.append(this.#element('span', 'rating', ` ${entry.value}★`));
        }

        row.append(date, event, this.#element('td', null, entry.name));
        return row;
      }),
    );
  }

  /**
   * Empties the history table and shows why.
   *
   * @param {string} message
   */
  showHistoryError(message) {
    this.historyCaption.textContent = message;
    this.historyBody.replaceChildren();
  }

  // Evaluation

  /**
   * Marks the evaluation table as running.
   *
   * @param {number} k the evaluation cutoff
   */
  showEvaluationPending(k) {
    this.evaluation.dataset.state = 'pending';
    this.evaluationCaption.textContent = `Running at k = ${k}…`;
    this.#showEvaluationHead();
    this.evaluationBody.replaceChildren();
  }

  /**
   * Fills the evaluation table and highlights the best value per metric.
   *
   * @param {Record<string, Record<string, number>>} metrics by strategy, as returned by `Recommender.evaluate`
   * @param {{k: number, millis: number}} details evaluation cutoff and duration
   */
  showEvaluation(metrics, { k, millis }) {
    const best = {};
    for (const metric of METRICS.filter((column) => column.ranked)) {
      const values = STRATEGIES.map((strategy) => metrics[strategy.key]?.[metric.key]).filter(Number.isFinite);
      best[metric.key] = values.length > 0 ? Math.max(...values) : null;
    }

    this.#showEvaluationHead();
    this.evaluationBody.replaceChildren(
      ...STRATEGIES.map((strategy) => {
        const row = this.document.createElement('tr');
        row.dataset.strategy = strategy.key;
        row.dataset.testid = 'evaluation-row';

        const name = this.#element('th', null, strategy.label);
        name.scope = 'row';
        row.append(name);

        for (const metric of METRICS) {
          const value = metrics[strategy.key]?.[metric.key];
          const text = metric.key === 'users' ? formatCount(value) : formatMetric(value);
          const cell = this.#element('td', null, text);
          cell.dataset.metric = metric.key;
          if (metric.ranked && value === best[metric.key]) {
            cell.classList.add('best');
            cell.title = 'Best in this column';
          }
          row.append(cell);
        }
        return row;
      }),
    );

    this.evaluation.dataset.state = 'ready';
    this.evaluationCaption.textContent = `k = ${k} · ${formatDuration(millis)}`;
  }

  /**
   * Shows why the evaluation failed.
   *
   * @param {string} message
   */
  showEvaluationError(message) {
    this.evaluation.dataset.state = 'error';
    this.evaluationCaption.textContent = `Failed: ${message}`;
  }

  #showEvaluationHead() {
    const corner = this.#element('th', null, 'Strategy');
    corner.scope = 'col';
    const headers = METRICS.map((metric) => {
      const header = this.#element('th', null, metric.label);
      header.scope = 'col';
      return header;
    });
    this.evaluationHead.replaceChildren(corner, ...headers);
  }

  // Building blocks

  #showRecommendationMessage(message, kind) {
    this.recommendationsMessage.textContent = message;
    this.recommendationsMessage.dataset.kind = kind;
    this.recommendationsMessage.hidden = false;
  }

  #card(item, rank) {
    const card = this.#element('li', 'card');
    card.dataset.testid = 'recommendation-card';
    card.dataset.productId = String(item.productId);

    const thumbnail = this.#element('div', `thumbnail hue-${hashToIndex(item.category, THUMBNAIL_HUES)}`);
    thumbnail.setAttribute('aria-hidden', 'true');
    thumbnail.append(this.#element('span', 'thumbnail-letter', initialOf(item.category)));
    thumbnail.append(this.#element('span', 'rank', `#${rank}`));

    const body = this.#element('div', 'card-body');
    body.append(this.#element('p', 'card-category', item.category));
    body.append(this.#element('h3', 'card-title', item.name));
    body.append(this.#element('p', 'card-brand', item.brand));

    const priceRow = this.#element('div', 'price-row');
    priceRow.append(this.#element('span', 'price', formatPrice(item.price)));
    const score = this.#element('span', 'score', `score ${formatScore(item.score)}`);
    score.dataset.testid = 'score';
    priceRow.append(score);
    body.append(priceRow);

    const reason = this.#element('p', 'reason', item.reason);
    reason.dataset.testid = 'reason';
    body.append(reason);

    body.append(this.#componentBars(item.components ?? {}));

    const actions = this.#element('div', 'card-actions');
    const view = this.#element('button', 'button secondary', 'View');
    view.type = 'button';
    view.dataset.action = 'view';
    view.setAttribute('aria-label', `View ${item.name}`);
    const addToCart = this.#element('button', 'button', 'Add to cart');
    addToCart.type = 'button';
    addToCart.dataset.action = 'add-to-cart';
    addToCart.setAttribute('aria-label', `Add ${item.name} to the cart`);
    actions.append(view, addToCart);
    body.append(actions);

    card.append(thumbnail, body);
    return card;
  }

  #componentBars(components) {
    const list = this.#element('dl', 'components');
    for (const { key, label } of COMPONENTS) {
      const value = components[key];
      const term = this.#element('dt', null, label);
      const detail = this.#element('dd');

      // NOTE: the bar assumes component scores in [0, 1] and clamps anything outside.
      const bar = this.#element('span', 'bar');
      const fill = this.#element('span', `bar-fill bar-${key}`);
      const width = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
      fill.style.width = `${(width * 100).toFixed(1)}%`;
      bar.append(fill);

      detail.append(bar, this.#element('span', 'bar-value', formatScore(value)));
      list.append(term, detail);
    }
    return list;
  }

  #pickItem(product) {
    const item = this.document.createElement('li');
    const button = this.#element('button', 'pick');
    button.type = 'button';
    button.dataset.productId = String(product.productId);
    button.title = product.name;
    button.append(this.#element('span', 'pick-name', product.name));
    button.append(this.#element('span', 'pick-category', product.category));
    item.append(button);
    return item;
  }

  #timeElement(timestamp) {
    const formatted = formatTimestamp(timestamp);
    if (formatted === null) {
      return this.#element('span', null, '–');
    }

    const time = this.#element('time', null, formatted.text);
    time.dateTime = formatted.iso;
    return time;
  }

  #element(tag, className = null, text = null) {
    const element = this.document.createElement(tag);
    if (className !== null) {
      element.className = className;
    }
    if (text !== null) {
      element.textContent = text;
    }
    return element;
  }
}
