// Browser test of examples/storefront: serves the repository root with
// scripts/serve.mjs, opens the example in headless Chromium and drives it the way a
// shopper would. The first group shares one page and runs in order; the markup test
// opens its own pages with a doctored catalog.
//
// Needs the web build in pkg/web (scripts/build-package.sh) and npm ci at the top of
// the repository (playwright-core). Run: node --test tests/package/

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../../scripts/serve.mjs';
import { launchBrowser, REPOSITORY_ROOT, requireBuild, watchPage } from './helpers.mjs';

const STOREFRONT_PATH = 'examples/storefront/';
const CATALOG = JSON.parse(await readFile(path.join(REPOSITORY_ROOT, STOREFRONT_PATH, 'catalog.json'), 'utf8'));
const PRODUCTS_BY_ID = new Map(CATALOG.products.map((product) => [product.productId, product]));

/** Time for the page to load the wasm, train and render, in milliseconds (about 1 s on a 2-core machine). */
const READY_TIMEOUT_MS = 60_000;

/** Time for one list to refresh after a click, in milliseconds. */
const REFRESH_TIMEOUT_MS = 15_000;

const FOR_YOU_READY = '[data-testid="for-you"][data-state="ready"]';
const SIMILAR_READY = '[data-testid="similar"][data-state="ready"]';
const CART_READY = '[data-testid="complete-cart"][data-state="ready"]';

/** The catalog's first shopper, whose history is mostly running and outdoor products. */
const FIRST_SHOPPER_CATEGORIES = ['Running', 'Outdoor'];

const OPENED_PRODUCT_ID = 'run-trail-shoe';
const SECOND_CART_PRODUCT_ID = 'cof-grinder';

/** Reads the cards of a list as `{productId, name, reason}`. */
function readCards(page, testId) {
  return page.locator(`[data-testid="${testId}"] [data-testid="card"]`).evaluateAll((cards) =>
    cards.map((card) => ({
      productId: card.dataset.productId,
      name: card.querySelector('[data-testid="card-name"]').textContent,
      reason: card.querySelector('[data-testid="card-reason"]')?.textContent ?? null,
    })),
  );
}

/** Waits until the list `testId` is ready and its product ids differ from `previous`. */
async function waitForNewCards(page, testId, previous) {
  const previousIds = previous.map((card) => card.productId).join(',');
  await page.waitForFunction(
    ([id, ids]) => {
      const list = document.querySelector(`[data-testid="${id}"]`);
      const current = [...list.querySelectorAll('[data-testid="card"]')].map((card) => card.dataset.productId);
      return list.dataset.state === 'ready' && current.join(',') !== ids;
    },
    [testId, previousIds],
    { timeout: REFRESH_TIMEOUT_MS },
  );
  return readCards(page, testId);
}

function assertCatalogProducts(cards) {
  for (const card of cards) {
    const product = PRODUCTS_BY_ID.get(card.productId);
    assert.ok(product, `card ${card.productId} is not a catalog product`);
    assert.equal(card.name, product.name);
  }
}

let server;
let browser;

before(async () => {
  requireBuild('web/client.js');
  server = await startServer({ root: REPOSITORY_ROOT, port: 0 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('storefront example', () => {
  let page;
  let watcher;

  before(async () => {
    page = await browser.newPage();
    watcher = await watchPage(page);
    await page.goto(`${server.url}${STOREFRONT_PATH}`);
    await page.waitForSelector(FOR_YOU_READY, { timeout: READY_TIMEOUT_MS });
  });

  after(() => page?.close());

  test('status reports the training', async () => {
    const status = page.getByTestId('status');
    assert.equal(await status.getAttribute('data-state'), 'ready');
    const text = await status.textContent();
    assert.match(text, /^Trained on (\d+) interactions of (\d+) shoppers and (\d+) products in \d+ ms\.$/);
    const [, interactions, users, products] = text.match(/(\d+) interactions of (\d+) shoppers and (\d+) products/);
    assert.equal(Number(interactions), CATALOG.interactions.length);
    assert.equal(Number(users), CATALOG.users.length);
    assert.equal(Number(products), CATALOG.products.length);
  });

  test('recommended for you has reasons', async () => {
    const cards = await readCards(page, 'for-you');
    assert.equal(cards.length, 6);
    assertCatalogProducts(cards);
    assert.equal(new Set(cards.map((card) => card.productId)).size, cards.length, 'duplicate products');
    for (const card of cards) {
      assert.ok(card.reason?.length > 0, `no reason for ${card.productId}`);
    }
    const inTasteCategories = cards.filter((card) =>
      FIRST_SHOPPER_CATEGORIES.includes(PRODUCTS_BY_ID.get(card.productId).category),
    );
    assert.ok(inTasteCategories.length >= 4, `only ${inTasteCategories.length} of 6 in ${FIRST_SHOPPER_CATEGORIES}`);
  });

  test('catalog and empty cart render', async () => {
    const catalogCards = await readCards(page, 'catalog');
    assert.equal(catalogCards.length, CATALOG.products.length);
    assertCatalogProducts(catalogCards);
    assert.equal(await page.getByTestId('cart-count').textContent(), '0');
    assert.equal(await page.getByTestId('complete-cart').getAttribute('data-state'), 'empty');
    assert.equal((await readCards(page, 'complete-cart')).length, 0);
    assert.equal(await page.getByTestId('product-page').isHidden(), true);
  });

  test('product click shows similar items', async () => {
    const opened = PRODUCTS_BY_ID.get(OPENED_PRODUCT_ID);
    await page.locator(`[data-testid="catalog"] [data-product-id="${OPENED_PRODUCT_ID}"] [data-testid="card-name"]`).click();
    await page.waitForSelector(SIMILAR_READY, { timeout: REFRESH_TIMEOUT_MS });

    assert.equal(await page.getByTestId('product-page').isVisible(), true);
    assert.equal(await page.getByTestId('product-name').textContent(), opened.name);
    const similar = await readCards(page, 'similar');
    assert.equal(similar.length, 4);
    assertCatalogProducts(similar);
    assert.ok(!similar.some((card) => card.productId === OPENED_PRODUCT_ID), 'the product is similar to itself');
    for (const card of similar) {
      assert.ok(card.reason.startsWith(`Similar to ${opened.name}`), `reason: ${card.reason}`);
    }
    const sameCategory = similar.filter((card) => PRODUCTS_BY_ID.get(card.productId).category === opened.category);
    assert.ok(sameCategory.length >= 3, `only ${sameCategory.length} of 4 similar items in ${opened.category}`);
  });

  test('add to cart fills complete your cart', async () => {
    const opened = PRODUCTS_BY_ID.get(OPENED_PRODUCT_ID);
    await page.getByTestId('product-add').click();
    await page.waitForSelector(CART_READY, { timeout: REFRESH_TIMEOUT_MS });

    assert.equal(await page.getByTestId('cart-count').textContent(), '1');
    assert.match(await page.getByTestId('cart-items').textContent(), new RegExp(opened.name));
    const suggestions = await readCards(page, 'complete-cart');
    assert.equal(suggestions.length, 4);
    assertCatalogProducts(suggestions);
    assert.ok(!suggestions.some((card) => card.productId === OPENED_PRODUCT_ID), 'the cart product is suggested');
    for (const card of suggestions) {
      assert.ok(card.reason?.length > 0, `no reason for ${card.productId}`);
    }
    const citingCart = suggestions.filter((card) => card.reason.includes(opened.name));
    assert.ok(citingCart.length >= 2, `only ${citingCart.length} reasons cite ${opened.name}`);

    await page.waitForSelector(FOR_YOU_READY, { timeout: REFRESH_TIMEOUT_MS });
    const forYou = await readCards(page, 'for-you');
    assert.ok(!forYou.some((card) => card.productId === OPENED_PRODUCT_ID), 'a cart product is in for-you');
  });

  test('second cart product changes suggestions', async () => {
    const before = await readCards(page, 'complete-cart');
    await page
      .locator(`[data-testid="catalog"] [data-product-id="${SECOND_CART_PRODUCT_ID}"] [data-testid="card-add"]`)
      .click();
    const after = await waitForNewCards(page, 'complete-cart', before);

    assert.equal(await page.getByTestId('cart-count').textContent(), '2');
    assert.equal(after.length, 4);
    const cart = [OPENED_PRODUCT_ID, SECOND_CART_PRODUCT_ID];
    assert.ok(!after.some((card) => cart.includes(card.productId)), 'a cart product is suggested');
    const second = PRODUCTS_BY_ID.get(SECOND_CART_PRODUCT_ID);
    assert.ok(
      after.some((card) => card.reason.includes(second.name)),
      `no reason cites ${second.name}: ${after.map((card) => card.reason).join('; ')}`,
    );
  });

  test('new visitor gets popular products', async () => {
    const before = await readCards(page, 'for-you');
    await page.getByTestId('shopper').selectOption('visitor');
    const cards = await waitForNewCards(page, 'for-you', before);

    assert.equal(cards.length, 6);
    for (const card of cards) {
      assert.match(card.reason, /^(Trending in|Popular with)/);
    }
    assert.equal(await page.getByTestId('cart-count').textContent(), '0');
    assert.equal(await page.getByTestId('complete-cart').getAttribute('data-state'), 'empty');
  });

  test('no page errors or CSP violations', async () => {
    assert.equal(await page.getByTestId('status').getAttribute('data-state'), 'ready');
    assert.deepEqual(watcher.pageErrors, []);
    assert.deepEqual(watcher.consoleErrors, []);
    assert.deepEqual(await watcher.cspViolations(), []);
  });
});

describe('storefront with markup in product data', () => {
  const IMAGE_MARKUP = '<img src=x onerror="window.__injected = (window.__injected ?? 0) + 1">';
  const SCRIPT_MARKUP = '<script>window.__injected = (window.__injected ?? 0) + 1</script>';

  /** The catalog with markup appended to every product's name and description. */
  const HOSTILE_CATALOG = {
    ...CATALOG,
    products: CATALOG.products.map((product, index) => ({
      ...product,
      name: `${product.name} ${index % 2 === 0 ? IMAGE_MARKUP : SCRIPT_MARKUP}`,
      description: `${product.description} ${IMAGE_MARKUP}`,
    })),
  };

  /**
   * Opens the storefront with the hostile catalog. With `withoutCsp`, the page's CSP meta
   * tag is removed, so that only the rendering (textContent) stands between the markup and
   * execution.
   */
  async function openHostileStorefront({ withoutCsp }) {
    const page = await browser.newPage();
    const watcher = await watchPage(page);
    await page.route('**/examples/storefront/catalog.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(HOSTILE_CATALOG) }),
    );
    if (withoutCsp) {
      await page.route('**/examples/storefront/', async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, '');
        assert.ok(!html.includes('Content-Security-Policy'), 'the CSP meta tag was not removed');
        await route.fulfill({ response, body: html });
      });
    }
    await page.goto(`${server.url}${STOREFRONT_PATH}`);
    await page.waitForSelector(FOR_YOU_READY, { timeout: READY_TIMEOUT_MS });
    return { page, watcher };
  }

  test('markup is shown as text without CSP', async () => {
    const { page, watcher } = await openHostileStorefront({ withoutCsp: true });
    try {
      const forYou = await readCards(page, 'for-you');
      assert.equal(forYou.length, 6);
      for (const card of forYou) {
        assert.ok(
          card.name.includes(IMAGE_MARKUP) || card.name.includes(SCRIPT_MARKUP),
          `markup missing from the shown name: ${card.name}`,
        );
      }

      // The product page shows the name and description through other elements.
      const productId = CATALOG.products[0].productId;
      await page.locator(`[data-testid="catalog"] [data-product-id="${productId}"] [data-testid="card-name"]`).click();
      await page.waitForSelector(SIMILAR_READY, { timeout: REFRESH_TIMEOUT_MS });
      assert.equal(await page.getByTestId('product-name').textContent(), HOSTILE_CATALOG.products[0].name);
      await page.getByTestId('product-add').click();
      await page.waitForSelector(CART_READY, { timeout: REFRESH_TIMEOUT_MS });
      assert.match(await page.getByTestId('cart-items').textContent(), /<img src=x onerror=/);

      assert.equal(await page.locator('body img').count(), 0, 'markup became an <img> element');
      assert.equal(await page.locator('body script').count(), 0, 'markup became a <script> element');
      assert.equal(await page.evaluate(() => window.__injected), undefined, 'injected code ran');
      assert.deepEqual(watcher.pageErrors, []);
    } finally {
      await page.close();
    }
  });

  test('markup causes no CSP violation', async () => {
    const { page, watcher } = await openHostileStorefront({ withoutCsp: false });
    try {
      assert.equal((await readCards(page, 'catalog')).length, CATALOG.products.length);
      assert.equal(await page.evaluate(() => window.__injected), undefined, 'injected code ran');
      assert.deepEqual(await watcher.cspViolations(), []);
      assert.deepEqual(watcher.pageErrors, []);
      assert.deepEqual(watcher.consoleErrors, []);
    } finally {
      await page.close();
    }
  });
});
