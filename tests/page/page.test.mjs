// End-to-end test of the demo page in www/: serves it with scripts/serve.mjs,
// opens it in headless Chromium, and lets the default catalog build and train in
// the page's worker. It then checks the rendered recommendations and evaluation,
// the diversity controls, onboarding, the card actions, forgetting and retraining.
// The tests share one page and run in order, each starting where the last stopped.
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

/** Time for a retraining of the default catalog, in milliseconds (about 4 s on a 2-core machine). */
const RETRAIN_TIMEOUT_MS = 2 * 60_000;

/** MMR lambda that the diversity test moves the slider to, far from the default 0.7. */
const LOW_MMR_LAMBDA = '0.1';

/** Categories that the category test requests beyond those of the default list. */
const EXTRA_CATEGORIES = 2;

/** A user id outside the catalog, typed in to test onboarding. */
const NEW_VISITOR_ID = 'page-test-visitor';

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
const FIRST_HISTORY_ROW = '[data-testid="history-row"]:first-child';
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

  test('serving panel counts queries', { timeout: 2 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    const before = await readStats(page);
    assert.ok(before.requests >= 1, `expected the earlier queries to be counted, got ${before.requests}`);

    await page.locator('label[for="context-homepage"]').click();
    await waitForList(page, { context: 'homepage' });
    await waitForCondition(
      page,
      (previous) => Number(document.querySelector('[data-testid="stat-requests"]').textContent) > previous,
      before.requests,
      'the request count to grow after a query',
    );
    await assertPageRunning(page);

    const after = await readStats(page);
    assert.ok(after.requests > before.requests, `requests went from ${before.requests} to ${after.requests}`);
    assert.ok(after.cacheHitPercent >= 0, `cache hit rate ${after.cacheHitPercent}% is negative`);
    assert.ok(after.cacheHitPercent <= 100, `cache hit rate ${after.cacheHitPercent}% is above 100%`);
    for (const percentile of ['p50', 'p95', 'p99']) {
      assert.ok(Number.isFinite(after[percentile]), `${percentile} is not a latency: ${after[percentile]}`);
      assert.ok(after[percentile] >= 0, `${percentile} = ${after[percentile]} ms is negative`);
    }
    assert.ok(after.p50 <= after.p95, `p50 ${after.p50} ms exceeds p95 ${after.p95} ms`);
    assert.ok(after.p95 <= after.p99, `p95 ${after.p95} ms exceeds p99 ${after.p99} ms`);
    assert.equal(after.staleCount, 0, 'no interaction was recorded yet');
  });

  test('low MMR lambda changes the list', { timeout: 3 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    await waitForList(page, { context: 'homepage', caption: 'λ = 0.70' });
    const relevant = await readCards(page);
    const relevantMetrics = await readListMetrics(page);
    assertMetricsMatchCards(relevantMetrics, relevant);

    await page.getByTestId('mmr-lambda').fill(LOW_MMR_LAMBDA);
    await waitForList(page, { context: 'homepage', caption: 'λ = 0.10' });
    await assertPageRunning(page);
    const diverse = await readCards(page);
    const diverseMetrics = await readListMetrics(page);
    assertMetricsMatchCards(diverseMetrics, diverse);

    assert.equal(diverse.length, relevant.length, 'MMR changed the list length');
    const orderChanged = diverse.some((card, index) => card.productId !== relevant[index].productId);
    const diversityChanged = diverseMetrics.diversity !== relevantMetrics.diversity;
    assert.ok(
      orderChanged || diversityChanged,
      `λ = ${LOW_MMR_LAMBDA} left the list and its diversity (${relevantMetrics.diversity}) unchanged`,
    );

    await page.getByTestId('mmr-lambda').fill('0.7');
    await waitForList(page, { context: 'homepage', caption: 'λ = 0.70' });
  });

  test('minimum categories widens the list', { timeout: 3 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    const before = await readListMetrics(page);
    const minimum = before.categories + EXTRA_CATEGORIES;

    await page.getByTestId('min-categories').fill(String(minimum));
    await waitForList(page, { context: 'homepage', caption: `at least ${minimum} categories` });
    await assertPageRunning(page);
    const cards = await readCards(page);
    const metrics = await readListMetrics(page);
    assertMetricsMatchCards(metrics, cards);
    assert.ok(metrics.categories >= minimum, `the list spans ${metrics.categories} categories, expected ${minimum}`);

    await page.getByTestId('min-categories').fill('0');
    await waitForList(page, { context: 'homepage', caption: 'λ = 0.70' });
    const caption = await page.getByTestId('recommendations-caption').textContent();
    assert.doesNotMatch(caption, /at least/);
  });

  test('Buy removes product from homepage', { timeout: 2 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    await waitForList(page, { context: 'homepage' });
    const staleBefore = (await readStats(page)).staleCount;
    const [first] = await readCards(page);

    await cardButton(page, first.productId, 'buy').click();
    await waitForList(page, { context: 'homepage', absent: first.productId });
    await assertPageRunning(page);

    const cards = await readCards(page);
    assert.ok(cards.length > 0, 'the homepage list is empty after buying');
    assert.ok(!cards.some((card) => card.productId === first.productId), `${first.productId} is still listed`);

    const row = await waitForHistoryRow(page, first.productId, 'purchase');
    assert.equal(row.name, first.name);
    assert.equal(row.event, 'Purchased');
    assert.match(await page.getByTestId('action-status').textContent(), /bought/);
    await waitForStaleCount(page, staleBefore + 1);
  });

  test('Not interested removes the card', { timeout: 2 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    await waitForList(page, { context: 'homepage' });
    const before = await readCards(page);
    const dismissed = before[1] ?? before[0];

    await cardButton(page, dismissed.productId, 'not-interested').click();
    await waitForList(page, { context: 'homepage', absent: dismissed.productId });
    await assertPageRunning(page);

    const after = await readCards(page);
    assert.ok(!after.some((card) => card.productId === dismissed.productId), `${dismissed.productId} is still listed`);
    assert.equal(after.length, before.length, 'the list did not refill to k products');
    const row = await waitForHistoryRow(page, dismissed.productId, 'not_interested');
    assert.equal(row.event, 'Not interested');
  });

  test('new visitor gets picked category only', { timeout: 3 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    const onboarding = page.getByTestId('onboarding');
    assert.equal(await onboarding.isVisible(), false, 'onboarding is shown for a user with history');

    await page.getByTestId('user-id-input').fill(NEW_VISITOR_ID);
    await page.getByTestId('user-id-input').press('Enter');
    await onboarding.waitFor({ state: 'visible', timeout: QUERY_TIMEOUT_MS });
    await waitForList(page, { context: 'homepage', caption: `user ${NEW_VISITOR_ID}` });
    const unrestricted = await readListMetrics(page);
    assert.ok(unrestricted.categories > 1, 'the trending list of a new visitor spans a single category');

    // The second chip, because trending lists tend to start with the first categories.
    const chip = page.getByTestId('category-chips').locator('label').nth(1);
    const category = await chip.textContent();
    await chip.click();
    await waitForList(page, { context: 'homepage', caption: `interests: ${category}` });
    await assertPageRunning(page);

    const cards = await readCards(page);
    assert.ok(cards.length > 0, `no recommendations for a new visitor interested in ${category}`);
    for (const card of cards) {
      assert.equal(card.category, category, `${card.productId} is outside the picked category`);
    }
    assert.equal((await readListMetrics(page)).categories, 1);

    // The first interaction gives the visitor a history, which ends onboarding.
    await cardButton(page, cards[0].productId, 'view').click();
    await onboarding.waitFor({ state: 'hidden', timeout: QUERY_TIMEOUT_MS });
    await waitForHistoryRow(page, cards[0].productId, 'view');
    assert.match(await page.getByTestId('user-summary').textContent(), /1 interaction\b/);
  });

  test('Forget deletes the visitor history', { timeout: 2 * QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    assert.match(await page.getByTestId('user-summary').textContent(), new RegExp(NEW_VISITOR_ID));

    await page.getByTestId('forget-user').click();
    const confirm = page.getByTestId('forget-confirm');
    await confirm.waitFor({ state: 'visible' });
    assert.match(await confirm.textContent(), /Delete 1 interaction of user page-test-visitor/);
    await page.getByTestId('forget-confirm-button').click();

    await page.getByTestId('onboarding').waitFor({ state: 'visible', timeout: QUERY_TIMEOUT_MS });
    await assertPageRunning(page);
    assert.match(await page.getByTestId('forget-result').textContent(), /deleted 1 interaction\b/);
    assert.equal(await page.getByTestId('history-row').count(), 0, 'the history still lists interactions');
    assert.match(await page.getByTestId('history-caption').textContent(), /No interactions/);
    assert.equal(await page.getByTestId('forget-user').isDisabled(), true, 'forgetting an empty history is offered');
  });

  test('Retrain clears the staleness count', { timeout: RETRAIN_TIMEOUT_MS + QUERY_TIMEOUT_MS }, async () => {
    assert.ok(homepageCards.length > 0, 'the homepage test must pass first');
    await waitForCondition(
      page,
      () => Number(document.querySelector('[data-testid="staleness"]').dataset.count) > 0,
      null,
      'the interactions recorded by earlier tests to be counted',
    );

    await page.getByTestId('retrain').click();
    assert.equal(await page.getByTestId('retrain').isDisabled(), true, 'Retrain is enabled while retraining');
    await page.waitForFunction(
      () => /^Retrain(ed|ing failed)/.test(document.querySelector('[data-testid="serving-status"]').textContent),
      null,
      { timeout: RETRAIN_TIMEOUT_MS },
    );
    await assertPageRunning(page);
    assert.match(await page.getByTestId('serving-status').textContent(), /^Retrained on [\d,]+ interactions/);
    await waitForStaleCount(page, 0);

    assert.equal(await page.getByTestId('status').getAttribute('data-state'), 'ready');
    assert.equal(await page.getByTestId('retrain').isDisabled(), false, 'Retrain stays disabled');
    const losses = await page.getByTestId('loss-list').locator('li').count();
    assert.ok(losses > 0, 'the loss list is empty after retraining');
    // The visitor's View action of an earlier test left the page in the product page context.
    await waitForList(page, { context: 'product_page', caption: `user ${NEW_VISITOR_ID}` });
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
 * Reads the product id, name, category and reason of each visible recommendation card.
 */
async function readCards(page) {
  return page.locator(CARDS).evaluateAll((cards) =>
    cards.map((card) => ({
      productId: card.dataset.productId,
      name: card.querySelector('.card-title')?.textContent ?? '',
      category: card.dataset.category,
      reason: card.querySelector('[data-testid="reason"]')?.textContent ?? '',
    })),
  );
}

/**
 * Waits until a condition evaluated in the page holds, and fails with the
 * recommendation caption and message when it does not within the query timeout.
 */
async function waitForCondition(page, condition, argument, description) {
  try {
    await page.waitForFunction(condition, argument, { timeout: QUERY_TIMEOUT_MS });
  } catch (error) {
    await assertPageRunning(page);
    const caption = await page.getByTestId('recommendations-caption').textContent();
    const message = page.getByTestId('recommendations-message');
    const shown = (await message.isVisible()) ? `, message "${await message.textContent()}"` : '';
    assert.fail(`timed out waiting for ${description} (caption "${caption}"${shown}): ${error.message}`);
  }
}

/**
 * Waits for a rendered list whose diversity is shown, in the given context, with a
 * caption that contains `caption`, and without the product `absent`.
 */
async function waitForList(page, { context, caption = '', absent = null }) {
  await waitForCondition(
    page,
    ({ context, caption, absent }) => {
      const list = document.querySelector('[data-testid="recommendations"]');
      const metrics = document.querySelector('[data-testid="list-metrics"]');
      const shown = document.querySelector('[data-testid="recommendations-caption"]').textContent;
      const absentCard = absent === null ? null : list.querySelector(`[data-product-id="${CSS.escape(absent)}"]`);
      return (
        list.dataset.state === 'ready' &&
        list.dataset.context === context &&
        metrics.dataset.state === 'ready' &&
        shown.includes(caption) &&
        absentCard === null
      );
    },
    { context, caption, absent },
    `a ${context} list with "${caption}" in its caption${absent === null ? '' : ` and without ${absent}`}`,
  );
}

/**
 * Waits until the newest history row is the given interaction and returns its cells.
 */
async function waitForHistoryRow(page, productId, type) {
  const selector = `${FIRST_HISTORY_ROW}[data-product-id="${productId}"][data-type="${type}"]`;
  await page.waitForSelector(selector, { timeout: QUERY_TIMEOUT_MS });
  return page.locator(selector).evaluate((row) => ({
    event: row.cells[1].textContent.trim(),
    name: row.cells[2].textContent,
  }));
}

async function waitForStaleCount(page, count) {
  await waitForCondition(
    page,
    (expected) => document.querySelector('[data-testid="staleness"]').dataset.count === String(expected),
    count,
    `"${count} interactions since the last training"`,
  );
}

/**
 * Reads the serving panel: latencies in milliseconds, the hit rate in percent.
 */
async function readStats(page) {
  const text = async (testId) => page.getByTestId(testId).textContent();
  return {
    requests: Number((await text('stat-requests')).replaceAll(',', '')),
    cacheHitPercent: Number.parseFloat(await text('stat-cache-hit-rate')),
    p50: parseMillis(await text('stat-p50')),
    p95: parseMillis(await text('stat-p95')),
    p99: parseMillis(await text('stat-p99')),
    staleCount: Number(await page.getByTestId('staleness').getAttribute('data-count')),
  };
}

function parseMillis(text) {
  const match = /^([\d.,]+) ms$/.exec(text);
  return match === null ? Number.NaN : Number(match[1].replaceAll(',', ''));
}

/**
 * Reads the diversity and category count shown above the list.
 */
async function readListMetrics(page) {
  return {
    diversity: Number(await page.getByTestId('list-diversity').textContent()),
    categories: Number(await page.getByTestId('list-categories').textContent()),
  };
}

function assertMetricsMatchCards(metrics, cards) {
  const categories = new Set(cards.map((card) => card.category)).size;
  assert.equal(metrics.categories, categories, 'the category count differs from the cards');
  assert.ok(metrics.diversity >= 0, `diversity ${metrics.diversity} is below 0`);
  assert.ok(metrics.diversity <= 1, `diversity ${metrics.diversity} is above 1`);
}

function cardButton(page, productId, action) {
  return page.locator(`${CARDS}[data-product-id="${productId}"] [data-testid="card-${action}"]`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
