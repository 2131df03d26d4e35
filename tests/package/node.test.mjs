// Runs examples/node/recommend.mjs against the Node.js build (pkg/node) in a child
// process and checks what it prints against the example's CSV files.
//
// Needs pkg/node from scripts/build-package.sh. Run: node --test tests/package/

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { REPOSITORY_ROOT, requireBuild } from './helpers.mjs';

const run = promisify(execFile);

const EXAMPLE_DIR = path.join(REPOSITORY_ROOT, 'examples/node');
const SCRIPT = path.join(EXAMPLE_DIR, 'recommend.mjs');

/** The first bytes of every saved model (src/persistence.rs). */
const MODEL_MAGIC = 'HYBRIDRC';

/** Train options of the example: 10 ALS iterations. */
const ITERATIONS = 10;

/**
 * Parses a CSV text by splitting at commas. Only the last column of products.csv
 * (description) has quoted commas, and the tests do not read it.
 */
function parseCsvRows(text) {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').slice(0, names.length).map((v, i) => [names[i], v])));
}

function runExample(args) {
  return run(process.execPath, [SCRIPT, ...args], { cwd: REPOSITORY_ROOT });
}

describe('node example', () => {
  let workDir;
  let products;
  let interactions;

  before(async () => {
    requireBuild('node/hybrid_recommender.js');
    workDir = await mkdtemp(path.join(tmpdir(), 'hybrid-recommender-node-test-'));
    products = parseCsvRows(await readFile(path.join(EXAMPLE_DIR, 'products.csv'), 'utf8'));
    interactions = parseCsvRows(await readFile(path.join(EXAMPLE_DIR, 'interactions.csv'), 'utf8'));
  });

  after(() => rm(workDir, { recursive: true, force: true }));

  describe('JSON output', () => {
    let result;
    let modelPath;

    before(async () => {
      modelPath = path.join(workDir, 'model.bin');
      const { stdout } = await runExample(['--json', '--model', modelPath]);
      result = JSON.parse(stdout);
    });

    test('load report counts the CSV rows', () => {
      const cancelled = interactions.filter((row) => Number(row.quantity) < 0).length;
      const wishlist = interactions.filter((row) => row.event === 'wishlist').length;
      assert.equal(cancelled, 1);
      assert.equal(wishlist, 1);
      assert.equal(result.loadReport.products, products.length);
      assert.equal(result.loadReport.users, new Set(interactions.map((row) => row.customer_id)).size);
      assert.equal(result.loadReport.interactions, interactions.length - cancelled - wishlist);
      assert.equal(result.loadReport.skipped.cancellations, cancelled);
      assert.equal(result.loadReport.skipped.skippedEventTypes, wishlist);
      assert.equal(result.loadReport.skipped.unknownProducts, 0);
    });

    test('training reports each iteration', () => {
      const { loss, iterationLosses } = result.train;
      assert.equal(loss.length, ITERATIONS);
      assert.deepEqual(
        iterationLosses.map((entry) => entry.iteration),
        Array.from({ length: ITERATIONS }, (_, i) => i + 1),
      );
      assert.deepEqual(
        iterationLosses.map((entry) => entry.loss),
        loss,
      );
      for (const value of loss) {
        assert.ok(Number.isFinite(value) && value > 0, `loss ${value}`);
      }
      assert.ok(loss.at(-1) < loss[0] / 2, `loss fell only from ${loss[0]} to ${loss.at(-1)}`);
      assert.equal(result.train.interactions, result.loadReport.interactions);
    });

    test('recommendations fit the customer', () => {
      const productsById = new Map(products.map((product) => [product.sku, product]));
      const purchased = new Set(
        interactions
          .filter((row) => row.customer_id === 'c01' && row.event === 'purchase' && Number(row.quantity) > 0)
          .map((row) => row.sku),
      );
      const list = result.recommendations;
      assert.equal(list.length, 5);
      assert.equal(new Set(list.map((item) => item.productId)).size, 5, 'duplicate products');
      for (const item of list) {
        const product = productsById.get(item.productId);
        assert.ok(product, `${item.productId} is not in products.csv`);
        assert.equal(item.name, product.title);
        assert.equal(item.price, Number(product.price));
        assert.ok(item.reason.length > 0, `no reason for ${item.productId}`);
        assert.ok(item.score >= 0 && item.score <= 1, `score ${item.score}`);
        assert.ok(!purchased.has(item.productId), `${item.productId} was already bought`);
      }
      // c01 browses Japanese green tea, all of it from the Kumo brand.
      const kumo = list.filter((item) => item.brand === 'Kumo');
      assert.ok(kumo.length >= 3, `only ${kumo.length} of 5 from Kumo`);
    });

    test('similar items share content', () => {
      const { productId, items } = result.similar;
      assert.equal(productId, 'T-SENCHA');
      assert.equal(items.length, 3);
      for (const item of items) {
        assert.notEqual(item.productId, productId);
        assert.match(item.reason, /^Similar to Sencha Green Tea 100g/);
        assert.ok(item.score > 0 && item.score <= 1, `cosine ${item.score}`);
      }
      const scores = items.map((item) => item.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    });

    test('saved model reloads identically', async () => {
      assert.equal(result.model.path, modelPath);
      const file = await stat(modelPath);
      assert.equal(file.size, result.model.bytes);
      const header = (await readFile(modelPath)).subarray(0, MODEL_MAGIC.length).toString('latin1');
      assert.equal(header, MODEL_MAGIC);
      assert.equal(result.reloaded.identical, true);
      assert.deepEqual(result.reloaded.recommendations, result.recommendations);
    });
  });

  test('text output summarizes the run', async () => {
    const { stdout } = await runExample(['--model', path.join(workDir, 'text-model.bin')]);
    const lines = stdout.split('\n');
    assert.match(lines[0], /^Loaded 20 products, 10 customers, 151 interactions; skipped rows: 1 cancelled, 1 wishlist\.$/);
    const lossLines = lines.filter((line) => /^\s+\d+\s+\d+\.\d{5}$/.test(line));
    assert.equal(lossLines.length, ITERATIONS);
    assert.ok(lines.includes('Recommended for c01 (16 past interactions):'), stdout);
    assert.equal(lines.filter((line) => /^\s+\d\. .+ \[[A-Z]-[A-Z]+\]/.test(line)).length, 5);
    assert.ok(lines.includes('Loaded it again: the recommendations are identical.'), stdout);
  });

  test('unwritable model path fails', async () => {
    const missingDir = path.join(workDir, 'missing', 'model.bin');
    await assert.rejects(runExample(['--model', missingDir]), (error) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /^recommend\.mjs: ENOENT: no such file or directory/);
      return true;
    });
  });
});
