// Which wasm build the demo page's worker runs (www/wasm-build.js), and that every
// build trains the same model. The page is served twice: with the cross-origin
// isolation headers, where the threaded build must start one thread per core, and
// without them, where the page must fall back to the single-thread SIMD build. The
// non-SIMD build is requested with the page's `wasm` URL parameter. All three must show
// the same ALS losses and the same recommendations for the same seed.
//
// Run: `node --test tests/page/` after `npm ci` and `make web` (which builds all three).
// CHROMIUM=path picks the browser binary (default: /usr/bin/chromium).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../../scripts/chromium.mjs';

import { startServer } from '../../scripts/serve.mjs';
import { chooseBuild, detectSupport } from '../../www/wasm-build.js';

const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE_ROOT = path.join(REPOSITORY_ROOT, 'www');

/** A catalog small enough to build and train in a few seconds per build. */
const CATALOG_QUERY = '?users=2000&products=1000';

/** Time for the page to build, train and show the first cards, in milliseconds. */
const TRAINING_TIMEOUT_MS = 3 * 60_000;

const CARDS = '[data-testid="recommendations"][data-state="ready"] [data-testid="recommendation-card"]';
const PAGE_FAILED = '[data-testid="status"][data-state="error"]';
const BUILD_SHOWN = '[data-testid="stat-wasm-build"][data-build]';

/**
 * The warning that each pool worker of wasm-bindgen-rayon 1.3.0 (no-bundler helper)
 * logs, because it calls the wasm-bindgen init function with two arguments. Harmless.
 */
const KNOWN_RAYON_WARNING = 'using deprecated parameters for the initialization function';

describe('wasm build choice', () => {
  const cases = [
    [{ isolated: true, sharedMemory: true, simd: true }, null, 'threads'],
    [{ isolated: false, sharedMemory: true, simd: true }, null, 'simd'],
    [{ isolated: true, sharedMemory: false, simd: true }, null, 'simd'],
    [{ isolated: true, sharedMemory: true, simd: false }, null, 'nosimd'],
    [{ isolated: false, sharedMemory: false, simd: false }, null, 'nosimd'],
    [{ isolated: true, sharedMemory: true, simd: true }, 'nosimd', 'nosimd'],
    [{ isolated: true, sharedMemory: true, simd: true }, 'simd', 'simd'],
    [{ isolated: false, sharedMemory: true, simd: true }, 'threads', 'simd'],
    [{ isolated: false, sharedMemory: true, simd: false }, 'simd', 'nosimd'],
    [{ isolated: true, sharedMemory: true, simd: true }, 'unknown', 'threads'],
  ];
  for (const [support, requested, expected] of cases) {
    test(`${JSON.stringify(support)} with ${requested} picks ${expected}`, () => {
      assert.equal(chooseBuild(support, requested), expected);
    });
  }

  test('SIMD probe validates in Node', () => {
    // Node's V8 supports wasm SIMD, so a probe that fails here is malformed.
    assert.equal(detectSupport(globalThis).simd, true);
  });
});

describe('wasm builds in the page', () => {
  let isolatedServer;
  let plainServer;
  let browser;
  /** Figures of each build's page, by build name. */
  const seen = {};

  before(async () => {
    isolatedServer = await startServer({ root: PAGE_ROOT, port: 0 });
    plainServer = await startServer({ root: PAGE_ROOT, port: 0, isolation: false });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await isolatedServer?.close();
    await plainServer?.close();
  });

  test('isolated page runs the threaded build', { timeout: TRAINING_TIMEOUT_MS + 10_000 }, async () => {
    const figures = await trainPage(browser, `${isolatedServer.url}${CATALOG_QUERY}`);
    assert.equal(figures.isolated, true);
    assert.equal(figures.build, 'threads');
    assert.equal(figures.threads, figures.cores, 'expected one training thread per logical core');
    assert.deepEqual(figures.errors, []);
    seen.threads = figures;
  });

  test('page without isolation falls back', { timeout: TRAINING_TIMEOUT_MS + 10_000 }, async () => {
    const figures = await trainPage(browser, `${plainServer.url}${CATALOG_QUERY}`);
    assert.equal(figures.isolated, false);
    assert.equal(figures.build, 'simd');
    assert.equal(figures.threads, 1);
    assert.deepEqual(figures.errors, []);
    seen.simd = figures;
  });

  test('requested non-SIMD build runs', { timeout: TRAINING_TIMEOUT_MS + 10_000 }, async () => {
    const figures = await trainPage(browser, `${plainServer.url}${CATALOG_QUERY}&wasm=nosimd`);
    assert.equal(figures.build, 'nosimd');
    assert.equal(figures.threads, 1);
    assert.deepEqual(figures.errors, []);
    seen.nosimd = figures;
  });

  test('every build trains the same model', () => {
    const { threads, simd, nosimd } = seen;
    assert.ok(threads, 'the threaded build test of this suite failed');
    assert.ok(simd, 'the SIMD build test of this suite failed');
    assert.ok(nosimd, 'the non-SIMD build test of this suite failed');
    assert.ok(simd.losses.length > 0, 'the page listed no ALS losses');
    assert.ok(simd.cards.length > 0, 'the page showed no recommendation cards');

    assert.equal(threads.user, simd.user);
    assert.deepEqual(threads.losses, simd.losses);
    assert.deepEqual(threads.cards, simd.cards);

    assert.equal(nosimd.user, simd.user);
    assert.deepEqual(nosimd.losses, simd.losses);
    assert.deepEqual(nosimd.cards, simd.cards);
  });
});

/**
 * Opens `url` in a fresh context (so a fresh IndexedDB), waits for the first cards and
 * the build in the serving statistics, and returns what the page shows.
 */
async function trainPage(browser, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      const text = message.text();
      const known = message.type() === 'warning' && text.startsWith(KNOWN_RAYON_WARNING);
      if ((message.type() === 'error' || message.type() === 'warning') && !known) {
        errors.push(text);
      }
    });

    await page.goto(url);
    await page.waitForSelector(`${CARDS}, ${PAGE_FAILED}`, { timeout: TRAINING_TIMEOUT_MS });
    if ((await page.getByTestId('status').getAttribute('data-state')) === 'error') {
      const message = await page.getByTestId('recommendations-message').textContent();
      assert.fail(`the page stopped with an error: ${message}`);
    }
    await page.waitForSelector(BUILD_SHOWN, { timeout: TRAINING_TIMEOUT_MS });

    const shown = page.getByTestId('stat-wasm-build');
    return {
      build: await shown.getAttribute('data-build'),
      threads: Number(await shown.getAttribute('data-threads')),
      isolated: await page.evaluate(() => globalThis.crossOriginIsolated),
      cores: await page.evaluate(() => navigator.hardwareConcurrency),
      user: await page.getByTestId('user-summary').textContent(),
      losses: await page.getByTestId('loss-list').locator('li').allTextContents(),
      cards: await page.locator(CARDS).evaluateAll((cards) =>
        cards.map((card) => ({
          productId: card.dataset.productId,
          score: card.querySelector('[data-testid="score"]')?.textContent ?? '',
        })),
      ),
      errors,
    };
  } finally {
    await context.close();
  }
}
