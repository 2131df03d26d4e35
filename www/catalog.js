// The catalog's users and products as this page stores them: fetched once after
// the build, indexed by id, and updated with the interactions that the page
// records or deletes. Plain data without DOM or worker access.

/** Users listed per activity group in the user picker. */
const USERS_PER_GROUP = 10;

/** Minimum interactions of an active user. Users with fewer, but at least one, are light users. */
const ACTIVE_USER_MIN_INTERACTIONS = 5;

/**
 * @typedef {{userId: string|number, interactions: number, ageBand: string|null, region: string|null}} User
 * @typedef {{productId: string|number, name: string, category: string, brand: string, price: number}} Product
 */

export class CatalogIndex {
  /**
   * Maps keyed by String(id), the form in which ids come back from the DOM.
   * @type {Map<string, User>}
   */
  #usersByKey;

  /** @type {Map<string, Product>} */
  #productsByKey;

  #searchIndex;

  /** True when the catalog's user ids are numbers, so typed ids must be parsed. */
  #numericUserIds;

  /**
   * @param {User[]} users from `Recommender.users`
   * @param {Product[]} products from `Recommender.products`
   * @param {string[]} categories from `Recommender.categories`
   */
  constructor(users, products, categories) {
    this.#usersByKey = new Map(users.map((user) => [String(user.userId), { ...user }]));
    this.#productsByKey = new Map(products.map((product) => [String(product.productId), product]));
    this.#numericUserIds = typeof users[0]?.userId === 'number';
    this.#searchIndex = products.map((product) => ({ product, name: product.name.toLowerCase() }));

    /** Category names in catalog order. */
    this.categories = categories;
  }

  /**
   * Finds a user by id.
   *
   * @param {string|number} userId
   * @returns {User|null} null for an id the recommender does not know
   */
  user(userId) {
    return this.#usersByKey.get(String(userId)) ?? null;
  }

  /**
   * Maps a user id read from the DOM back to the catalog's id.
   *
   * @param {string} userKey
   * @returns {string|number}
   */
  userIdFromKey(userKey) {
    return this.#usersByKey.get(userKey)?.userId ?? userKey;
  }

  /**
   * Returns the number of interactions of a user, 0 for an unknown id.
   *
   * @param {string|number} userId
   * @returns {number}
   */
  interactionCount(userId) {
    return this.user(userId)?.interactions ?? 0;
  }

  /**
   * Stores a user's current interaction count. A new id with interactions is
   * added, because recording an interaction creates the user in the recommender.
   *
   * @param {string|number} userId
   * @param {number} interactions
   */
  setInteractionCount(userId, interactions) {
    const user = this.user(userId);
    if (user !== null) {
      user.interactions = interactions;
      return;
    }
    if (interactions > 0) {
      this.#usersByKey.set(String(userId), { userId, interactions, ageBand: null, region: null });
    }
  }

  /**
   * Finds a product by the id stored in the DOM.
   *
   * @param {string} productKey
   * @returns {Product|undefined}
   */
  product(productKey) {
    return this.#productsByKey.get(productKey);
  }

  /**
   * Lists products whose name contains the text, ignoring case.
   *
   * @param {string} text
   * @param {number} limit maximum number of results
   * @returns {Product[]} in catalog order, empty for blank text
   */
  search(text, limit) {
    const query = text.trim().toLowerCase();
    if (query === '') {
      return [];
    }

    const matches = [];
    for (const entry of this.#searchIndex) {
      if (entry.name.includes(query)) {
        matches.push(entry.product);
        if (matches.length === limit) {
          break;
        }
      }
    }
    return matches;
  }

  /**
   * Returns distinct products from a chronological history, most recent first.
   *
   * @param {{productId: string|number}[]} history
   * @param {number} limit maximum number of products
   * @returns {Product[]}
   */
  recentProducts(history, limit) {
    const seen = new Set();
    const products = [];
    for (let index = history.length - 1; index >= 0 && products.length < limit; index -= 1) {
      const product = this.#productsByKey.get(String(history[index].productId));
      if (product !== undefined && !seen.has(product.productId)) {
        seen.add(product.productId);
        products.push(product);
      }
    }
    return products;
  }

  /**
   * Parses a typed user id.
   *
   * @param {string} text
   * @returns {{userId: string|number} | {error: string}}
   */
  parseUserId(text) {
    const trimmed = text.trim();
    if (trimmed === '') {
      return { error: 'Enter a user id first.' };
    }
    if (!this.#numericUserIds) {
      return { userId: trimmed };
    }

    const userId = Number(trimmed);
    if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(userId)) {
      return { error: `Invalid user id "${trimmed}": this catalog expects a non-negative integer.` };
    }
    return { userId };
  }

  /**
   * Groups users by activity for the user picker.
   *
   * @returns {{label: string, users: User[]}[]} active, light and brand-new users
   */
  userGroups() {
    const users = [...this.#usersByKey.values()];

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

    return [
      { label: `Active users (${ACTIVE_USER_MIN_INTERACTIONS}+ interactions)`, users: active },
      { label: `Light users (1–${ACTIVE_USER_MIN_INTERACTIONS - 1} interactions)`, users: light },
      { label: 'Brand-new users (no interactions)', users: brandNew },
    ];
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
