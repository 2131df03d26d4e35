// The recommendation query built from the shopper's choices, and the caption
// that describes it. Plain functions without DOM or worker access.

const CONTEXT_LABELS = {
  homepage: 'Homepage',
  product_page: 'Product page',
  cart: 'Cart',
};

/**
 * Returns why the context cannot be queried yet, or null when it can.
 *
 * @param {{context: string, productId: string|number|null, cartProductIds: (string|number)[]}} state
 * @returns {string|null}
 */
export function missingInput({ context, productId, cartProductIds }) {
  if (context === 'product_page' && productId === null) {
    return 'Pick a product to see what goes with it.';
  }
  if (context === 'cart' && cartProductIds.length === 0) {
    return 'Add a product to the cart to see what goes with it.';
  }
  return null;
}

/**
 * Builds the argument of `Recommender.recommend` from the controller's state.
 *
 * @param {object} state the controller's state
 * @param {boolean} onboarding true while the user has no history, so the picked categories apply
 * @returns {object}
 */
export function buildQuery(state, onboarding) {
  const { userId, context, productId, cartProductIds, automaticWeights, weights, k, excludePurchased } = state;
  const { mmrLambda, minCategories, preferredCategories } = state;
  const query = { userId, k, context, excludePurchased, mmrLambda, minCategories };
  if (context === 'product_page') {
    query.productId = productId;
  }
  if (context === 'cart') {
    query.cartProductIds = [...cartProductIds];
  }
  if (!automaticWeights) {
    query.weights = { ...weights };
  }
  if (onboarding && preferredCategories.length > 0) {
    query.preferredCategories = [...preferredCategories];
  }
  return query;
}

/**
 * Describes a recommendation query in one line for the caption above the list.
 *
 * @param {object} query from buildQuery
 * @returns {string}
 */
export function describeQuery(query) {
  const parts = [CONTEXT_LABELS[query.context], `user ${query.userId}`, `k = ${query.k}`];
  if (query.weights === undefined) {
    parts.push('automatic weights');
  } else {
    const { collaborative, content, popularity } = query.weights;
    parts.push(`weights ${collaborative.toFixed(2)} / ${content.toFixed(2)} / ${popularity.toFixed(2)}`);
  }
  parts.push(`λ = ${query.mmrLambda.toFixed(2)}`);
  if (query.minCategories > 0) {
    parts.push(`at least ${query.minCategories} categories`);
  }
  if (query.preferredCategories !== undefined) {
    parts.push(`interests: ${query.preferredCategories.join(', ')}`);
  }
  return parts.join(' · ');
}
