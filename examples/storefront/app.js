// Wires the storefront: loads the shop's catalog, trains the recommender in a Web Worker
// through the package's client, and refreshes the three recommendation lists whenever
// the shopper, the open product or the cart changes. view.js does all DOM work.
//
// The import path points at the package build in pkg/web of this repository
// (scripts/build-package.sh); a shop would serve its own copy of that folder.

import { RecommenderClient } from '../../pkg/web/client.js';
import * as view from './view.js';

/** The shop's products, users and past interactions, in the format of Recommender.fromData. */
const CATALOG_URL = 'catalog.json';

/** Small factors suit a catalog of 48 products; training takes milliseconds. */
const TRAIN_OPTIONS = { factors: 16, iterations: 15, seed: 42 };

const FOR_YOU_COUNT = 6;
const SIMILAR_COUNT = 4;
const CART_SUGGESTION_COUNT = 4;

/** The shopper selected at start. */
const FIRST_SHOPPER_ID = 'ana';

/** A user id not in the catalog: served popular products until their first event. */
const VISITOR_ID = 'visitor';

const state = {
  /** @type {RecommenderClient | null} */
  client: null,
  /** Catalog products by id, for the fields that similarItems() leaves out. */
  productsById: new Map(),
  shopperId: FIRST_SHOPPER_ID,
  /** @type {string | null} */
  openProductId: null,
  /** Product ids in the cart, in the order added. */
  cart: [],
};

async function start() {
  view.bindActions({
    open: guard(openProduct),
    addToCart: guard(addToCart),
    closeProduct,
    selectShopper: guard(selectShopper),
  });

  const response = await fetch(CATALOG_URL);
  if (!response.ok) {
    throw new Error(`failed to load ${CATALOG_URL}: HTTP ${response.status}`);
  }
  const catalog = await response.json();

  view.showStatus('Training the recommender…', 'training');
  state.client = await RecommenderClient.create({
    source: { data: catalog },
    train: TRAIN_OPTIONS,
    onProgress: view.showProgress,
  });
  const report = state.client.trainReport;
  view.showStatus(
    `Trained on ${report.interactions} interactions of ${report.users} shoppers and ${report.products} products in ${Math.round(report.totalMillis)} ms.`,
    'ready',
  );

  const products = await state.client.products();
  state.productsById = new Map(products.map((product) => [product.productId, product]));
  view.showCards('catalog', products);
  view.showShoppers(await state.client.users(), VISITOR_ID, state.shopperId);
  view.showCart([]);
  await refreshForYou();
}

/** Shows the homepage list without the products already in the cart. */
async function refreshForYou() {
  view.markLoading('forYou');
  const list = await state.client.recommend({
    userId: state.shopperId,
    k: FOR_YOU_COUNT,
    context: 'homepage',
    excludeProductIds: state.cart,
  });
  view.showCards('forYou', list);
}

async function refreshSimilar() {
  view.markLoading('similar');
  const similar = await state.client.similarItems(state.openProductId, SIMILAR_COUNT);
  view.showCards('similar', similar);
}

async function refreshCart() {
  view.showCart(state.cart.map((id) => state.productsById.get(id)));
  if (state.cart.length === 0) {
    return;
  }
  view.markLoading('completeCart');
  const list = await state.client.recommend({
    userId: state.shopperId,
    k: CART_SUGGESTION_COUNT,
    context: 'cart',
    cartProductIds: state.cart,
  });
  view.showCards('completeCart', list);
}

/** Opens a product page and records the view, which the shopper's next list reflects. */
async function openProduct(productId) {
  state.openProductId = productId;
  view.showProduct(state.productsById.get(productId));
  await state.client.recordInteraction({ userId: state.shopperId, productId, type: 'view' });
  await Promise.all([refreshSimilar(), refreshForYou()]);
}

function closeProduct() {
  state.openProductId = null;
  view.showProduct(null);
}

async function addToCart(productId) {
  if (!state.cart.includes(productId)) {
    state.cart.push(productId);
  }
  await state.client.recordInteraction({ userId: state.shopperId, productId, type: 'cart' });
  await Promise.all([refreshCart(), refreshForYou()]);
}

/** Switches shopper; the cart and the open product belong to the previous one. */
async function selectShopper(userId) {
  state.shopperId = userId;
  state.cart = [];
  closeProduct();
  await Promise.all([refreshCart(), refreshForYou()]);
}

/** Shows the message of a failure; the rest of the page stays as it was. */
function reportError(error) {
  view.showStatus(`Error: ${error.message}`, 'error');
}

/** Wraps an async event handler so that its failure is shown instead of lost. */
function guard(handler) {
  return (...args) => handler(...args).catch(reportError);
}

start().catch(reportError);
