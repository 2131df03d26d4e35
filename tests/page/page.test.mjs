// End-to-end test of the demo page in www/: serves it with scripts/serve.mjs,
// opens it in headless Chromium, lets the default catalog build and train in the
// page's worker, and checks the rendered recommendations and evaluation.
//
// Run: `make page-test`, or `node --test tests/page/` after `npm ci` at the top of the
// repository and `make web`. Environment:
//   SCREENSHOT=path.png  save a full-page screenshot at the end
//   PAGE_QUERY=?users=2000&products=1000  load a smaller catalog (default: library defaults)
//   PAGE_ROOT=dir  serve another copy of the page (default: www/ of this repository)
//   CHROMIUM=path  browser binary (default: /usr/bin/chromium)

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE_ROOT = process.env.PAGE_ROOT ?? path.join(REPOSITORY_ROOT, 'www');
const PAGE_QUERY = process.env.PAGE_QUERY ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.SCREENSHOT;

const VIEWPORT = { width: 1440, height: 1000 };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Time for the page to build and train the catalog and show the first cards, in
 * milliseconds. The default catalog took about 6 s in headless Chromium on a 2-core machine.
 */
const TRAINING_TIMEOUT_MS = 3 * 60_000;

/** Time for the evaluation to finish after the first cards appear, in milliseconds. */
const EVALUATION_TIMEOUT_MS = 2 * 60_000;

/** Time for one recommendation query after a control changes, in milliseconds. */
const QUERY_TIMEOUT_MS = 30_000;

/**
 * Maximum gap allowed between two ticks of a 20 ms timer on the page, in milliseconds.
 * Training on the main thread would stall it for seconds. The page measured about
 * 80 ms with the default catalog (headless Chromium 156 on a 2-core machine).
 */
const MAX_MAIN_THREAD_STALL_MS = 500;
const STALL_PROBE_INTERVAL_MS = 20;

const STRATEGIES = ['popularity', 'collaborative', 'content', 'hybrid'];
const RATE_METRICS = ['precision', 'recall', 'ndcg', 'coverage', 'diversity'];

const CARDS = '[data-testid="recommendations"][data-state="ready"] [data-testid="recommendation-card"]';
const PAGE_FAILED = '[data-testid="status"][data-state="error"]';

describe('demo page', () => {
  let server;
  let browser;
  let page;
  const pageErrors = [];
  const consoleErrors = [];

  before(async () => {
    server = await startServer({ root: PAGE_ROOT, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: VIEWPORT });

    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });

    // These probes run from the DevTools protocol, so the page's CSP does not apply
    // to them. Chromium reports CSP violations to the DevTools log, not to the
    // console that Playwright records, so the page collects them itself.
    await page.addInitScript((intervalMillis) => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline content'}`);
      });

      let previous = performance.now();
      window.maxTimerGapMillis = 0;
      setInterval(() => {
        const now = performance.now();
        window.maxTimerGapMillis = Math.max(window.maxTimerGapMillis, now - previous);
        previous = now;
      }, intervalMillis);
    }, STALL_PROBE_INTERVAL_MS);

    await page.goto(new URL(PAGE_QUERY, server.url).href);
  });

  after(async () => {
    if (SCREENSHOT && page) {
      // A window as tall as the page shows the whole sidebar, which otherwise
      // scrolls within the window height.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: VIEWPORT.width, height });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    await browser?.close();
    await server?.close();
  });

  let homepageCards = [];

  test('homepage shows cards with reasons', { timeout: TRAINING_TIMEOUT_MS + 10_000 }, async () => {
    await page.waitForSelector(`${CARDS}, ${PAGE_FAILED}`, { timeout: TRAINING_TIMEOUT_MS });
    await assertPageRunning(page);

    const cards = await readCards(page);
    assert.ok(cards.length > 0, 'expected at least one recommendation card');
    for (const card of cards) {
      assert.notEqual(card.reason.trim(), '', `card of product ${card.productId} has an empty reason`);
    }
    homepageCards = cards;
  });

  test('evaluation table lists four strategies', { timeout: EVALUATION_TIMEOUT_MS + 10_000 }, async () => {
    const table = page.getByTestId('evaluation');
    await page.waitForSelector(
      `[data-testid="evaluation"]:is([data-state="ready"], [data-state="error"]), ${PAGE_FAILED}`,
      { state: 'attached', timeout: EVALUATION_TIMEOUT_MS },
    );
    await assertPageRunning(page);
    assert.equal(await table.getAttribute('data-state'), 'ready', await page.getByTestId('evaluation-caption').textContent());

    const rows = await table.locator('tbody tr').evaluateAll((elements) =>
      elements.map((row) => ({
        strategy: row.dataset.strategy,
        cells: Object.fromEntries([...row.querySelectorAll('td')].map((cell) => [cell.dataset.metric, cell.textContent])),
      })),
    );
    assert.deepEqual(
      rows.map((row) => row.strategy),
      STRATEGIES,
    );

    for (const { strategy, cells } of rows) {
      for (const metric of RATE_METRICS) {
        const value = Number(cells[metric]);
        assert.ok(Number.isFinite(value), `${strategy} ${metric} is not a number: "${cells[metric]}"`);
        assert.ok(value >= 0, `${strategy} ${metric} = ${value} is below 0`);
        assert.ok(value <= 1, `${strategy} ${metric} = ${value} is above 1`);
      }
      const users = Number(cells.users.replaceAll(',', ''));
      assert.ok(Number.isInteger(users), `${strategy} users is not an integer: "${cells.users}"`);
      assert.ok(users > 0, `${strategy} evaluated no users`);
    }

    const highlighted = await table.locator('td.best').count();
    assert.ok(highlighted >= RATE_METRICS.length, `expected a best value in each of ${RATE_METRICS.length} columns`);
  });

  test('product page changes recommendations', { timeout: 2 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');

    await page.locator('label[for="context-product-page"]').click();
    await page.waitForSelector('[data-testid="recommendations"][data-context="product_page"]', {
      state: 'attached',
      timeout: QUERY_TIMEOUT_MS,
    });

    // Search for a word from the first homepage card and pick the first match.
    const firstName = homepageCards[0].name;
    const searchWord = firstName.split(/\s+/).find((word) => word.length >= 3) ?? firstName;
    await page.getByTestId('product-search').fill(searchWord);
    const firstResult = page.getByTestId('product-results').locator('button').first();
    await firstResult.waitFor({ timeout: QUERY_TIMEOUT_MS });
    const pickedName = await firstResult.locator('.pick-name').textContent();
    await firstResult.click();

    await page.waitForSelector(`[data-testid="recommendations"][data-context="product_page"][data-state="ready"]`, {
      timeout: QUERY_TIMEOUT_MS,
    });
    await assertPageRunning(page);
    assert.match(await page.getByTestId('current-product').textContent(), new RegExp(escapeRegExp(pickedName)));

    const cards = await readCards(page);
    assert.ok(cards.length > 0, 'expected product page recommendations');
    assert.notDeepEqual(
      cards.map((card) => card.productId),
      homepageCards.map((card) => card.productId),
      'product page recommendations equal the homepage ones',
    );
    const similar = cards.filter((card) => /similar/i.test(card.reason));
    assert.ok(similar.length > 0, `no reason mentions similarity: ${JSON.stringify(cards.map((card) => card.reason))}`);
  });

  test('main thread never stalls', async () => {
    const maxGap = await page.evaluate(() => window.maxTimerGapMillis);
    assert.ok(maxGap < MAX_MAIN_THREAD_STALL_MS, `the main thread stalled for ${Math.round(maxGap)} ms`);
  });

  test('page logs no uncaught errors', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });

  test('page violates no CSP directive', async () => {
    const violations = await page.evaluate(() => window.cspViolations);
    assert.deepEqual(violations, []);
  });
});

/**
 * Fails with the page's own message when it reports an error in its status.
 */
async function assertPageRunning(page) {
  const status = await page.getByTestId('status').getAttribute('data-state');
  if (status !== 'error') {
    return;
  }
  const message = await page.getByTestId('recommendations-message').textContent();
  assert.fail(`the page stopped with an error: ${message}`);
}

/**
 * Reads the product id, name and reason of each visible recommendation card.
 */
async function readCards(page) {
  return page.locator(CARDS).evaluateAll((cards) =>
    cards.map((card) => ({
      productId: card.dataset.productId,
      name: card.querySelector('.card-title')?.textContent ?? '',
      reason: card.querySelector('[data-testid="reason"]')?.textContent ?? '',
    })),
  );
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
