// Loads the real datasets of ../shared/data into the web build in headless Chromium,
// with the same load options as the native tests (scripts/datasets/*.json), then trains
// and evaluates as tests/real_datasets.rs does: 32 ALS factors, a time split, bootstrap
// intervals. The browser must reproduce the native load counts exactly and the native
// NDCG@10 closely; the files reach the page through intercepted requests, so nothing
// is copied into the repository.
//
// Run: `make page-test`, or `node --test tests/page/datasets.test.mjs` after `make web`.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../../scripts/chromium.mjs';

import { startServer } from '../../scripts/serve.mjs';

const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA_DIR = path.resolve(REPOSITORY_ROOT, '../shared/data');
/** Loading, training and evaluating UCI took about 10 s in headless Chromium on 2 cores. */
const TIMEOUT_MS = 5 * 60_000;

/**
 * Largest difference allowed between the browser's and the native NDCG@10. Both run the
 * same code with the same seed, but the native build's AVX2 kernels round differently
 * from wasm SIMD, so the factors differ in the last bits.
 */
const NDCG_TOLERANCE = 0.005;

/** Prefix of the intercepted dataset URLs. */
const DATA_URL = '/datasets/';

let server;
let browser;
let page;

before(async () => {
  assert.ok(existsSync(DATA_DIR), `the datasets folder ${DATA_DIR} is missing: these tests need ../shared/data`);
  server = await startServer({ root: REPOSITORY_ROOT, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.route(`**${DATA_URL}**`, (route) => {
    const relative = decodeURIComponent(new URL(route.request().url()).pathname.slice(DATA_URL.length));
    const file = path.resolve(DATA_DIR, relative);
    if (!file.startsWith(DATA_DIR + path.sep) || !existsSync(file)) {
      return route.fulfill({ status: 404, body: `no such dataset file: ${relative}` });
    }
    return route.fulfill({ status: 200, body: readFileSync(file), contentType: 'application/octet-stream' });
  });
  await page.goto(`${server.url}tests/page/fixtures/blank.html`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function loadOptions(name) {
  return JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'scripts/datasets', `${name}.json`), 'utf8'));
}

/**
 * Runs in the page: fetches the files, concatenates those listed under one name
 * (keeping the first header), decodes them (Latin-1 where asked), loads, trains and
 * evaluates. Returns the load report, the evaluation and a few similar items.
 */
function runInPage({ interactions, products, encoding, options, train, evaluation, similarTo }) {
  return page.evaluate(
    async ({ interactions, products, encoding, options, train, evaluation, similarTo, dataUrl }) => {
      const { default: init, Recommender } = await import('/www/pkg/hybrid_recommender.js');
      await init();
      const fetchText = async (name) => {
        const response = await fetch(`${dataUrl}${name}`);
        if (!response.ok) {
          throw new Error(`${name}: HTTP ${response.status}`);
        }
        return new TextDecoder(encoding?.[name] ?? 'utf-8').decode(await response.arrayBuffer());
      };
      const texts = await Promise.all(interactions.map(fetchText));
      const files = {
        interactions: texts.map((text, i) => (i === 0 ? text : text.slice(text.indexOf('\n') + 1))).join(''),
      };
      if (products !== undefined) {
        files.products = await fetchText(products);
      }

      const rec = Recommender.fromCsv(files, options);
      const report = rec.loadReport();
      rec.train(train);
      const metrics = evaluation === null ? null : rec.evaluate(evaluation);
      const similar = similarTo === undefined ? [] : rec.similarItems(similarTo, 5);
      rec.free();
      return { report, metrics, similar };
    },
    { interactions, products, encoding, options, train, evaluation, similarTo, dataUrl: DATA_URL },
  );
}

function printMetrics(name, metrics) {
  for (const strategy of ['popularity', 'collaborative', 'content', 'hybrid', 'hybrid_mmr']) {
    const m = metrics[strategy];
    console.log(
      `${name} ${strategy.padEnd(14)} precision ${m.precision.toFixed(4)} recall ${m.recall.toFixed(4)} ` +
        `ndcg ${m.ndcg.toFixed(4)} [${m.ci.ndcg[0].toFixed(4)}, ${m.ci.ndcg[1].toFixed(4)}] coverage ${m.coverage.toFixed(4)} users ${m.users}`,
    );
  }
}

describe('real datasets in the browser', () => {
  test('UCI Online Retail matches native', { timeout: TIMEOUT_MS }, async () => {
    const months = readdirSync(path.join(DATA_DIR, 'uci-online-retail'))
      .filter((name) => name.startsWith('transactions_'))
      .sort()
      .map((name) => `uci-online-retail/${name}`);
    assert.equal(months.length, 13);
    const { report, metrics } = await runInPage({
      interactions: months,
      products: 'uci-online-retail/products.csv',
      options: loadOptions('uci-online-retail'),
      train: { factors: 32 },
      evaluation: { testDays: 14, bootstrap: 200 },
    });
    printMetrics('UCI', metrics);

    // The counts of tests/real_datasets.rs and docs/datasets.md.
    assert.equal(report.users, 2170);
    assert.equal(report.skipped.cancellations, 4944);
    assert.equal(report.skipped.unknownProducts, 0);
    assert.equal(report.interactions + report.skipped.cancellations + report.skipped.excludedProducts, 217_686);
    // NDCG@10 of the native run in docs/datasets.md.
    assert.ok(Math.abs(metrics.popularity.ndcg - 0.0621) < NDCG_TOLERANCE, `popularity ${metrics.popularity.ndcg}`);
    assert.ok(Math.abs(metrics.hybrid.ndcg - 0.1007) < NDCG_TOLERANCE, `hybrid ${metrics.hybrid.ndcg}`);
    assert.ok(metrics.hybrid.ndcg > metrics.popularity.ndcg);
  });

  test('MovieLens 100K with Latin-1 titles', { timeout: TIMEOUT_MS }, async () => {
    const { report, metrics } = await runInPage({
      interactions: ['movielens-100k/u.data'],
      products: 'movielens-100k/u.item',
      encoding: { 'movielens-100k/u.item': 'latin1' },
      options: loadOptions('movielens-100k'),
      train: { factors: 32 },
      evaluation: { testDays: 30, bootstrap: 200 },
    });
    printMetrics('MovieLens', metrics);

    assert.equal(report.products, 1682);
    assert.equal(report.users, 943);
    assert.equal(report.interactions, 100_000);
    assert.ok(Math.abs(metrics.popularity.ndcg - 0.2678) < NDCG_TOLERANCE, `popularity ${metrics.popularity.ndcg}`);
    assert.ok(Math.abs(metrics.hybrid.ndcg - 0.2417) < NDCG_TOLERANCE, `hybrid ${metrics.hybrid.ndcg}`);
  });

  test('REES46 events give similar items', { timeout: TIMEOUT_MS }, async () => {
    const [file] = readdirSync(path.join(DATA_DIR, 'rees46-multicategory-2019oct-slice')).filter((name) => name.endsWith('.csv'));
    // The product that tests/real_datasets.rs queries, a water heater.
    const product = '3900821';
    const { report, similar } = await runInPage({
      interactions: [`rees46-multicategory-2019oct-slice/${file}`],
      options: { columns: { category: 'category_code' } },
      train: { factors: 16 },
      evaluation: null,
      similarTo: product,
    });

    assert.equal(report.interactions, 17_424);
    assert.equal(report.products, 6489);
    assert.equal(report.users, 4501);
    assert.equal(similar.length, 5);
    assert.ok(similar.every((item) => item.productId !== product));
  });
});
