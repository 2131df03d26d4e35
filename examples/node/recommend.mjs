#!/usr/bin/env node
// Loads a small tea shop from CSV with the Node.js build of the package (pkg/node),
// trains it, prints recommendations, saves the model to a file and loads it again.
//
// Usage: node examples/node/recommend.mjs [--json] [--model PATH] [--user ID]
//   --json        print one JSON document instead of text (the test reads it)
//   --model PATH  where to save the model; default: hybrid-recommender-tea-shop.bin
//                 in the system's temporary directory
//   --user ID     the customer to recommend for; default c01

import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The package's Node.js build. A project that installed the package imports 'hybrid-recommender'. */
const PACKAGE_ENTRY = '../../pkg/node/hybrid_recommender.js';

/** The shop's own event names: "add_to_basket" means a cart event, wishlist rows are dropped. */
const LOAD_OPTIONS = { eventTypes: { add_to_basket: 'cart', wishlist: 'skip' } };

/** Small factors suit a catalog of 20 products. */
const TRAIN_OPTIONS = { factors: 8, iterations: 10, seed: 42 };

const RECOMMENDATION_COUNT = 5;
const SIMILAR_COUNT = 3;
const SIMILAR_TO = 'T-SENCHA';

async function importPackage() {
  try {
    return await import(PACKAGE_ENTRY);
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(
        `${path.resolve(HERE, PACKAGE_ENTRY)} not found: build the package first with ` +
          'PATH=$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH scripts/build-package.sh',
      );
    }
    throw error;
  }
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      model: { type: 'string', default: path.join(tmpdir(), 'hybrid-recommender-tea-shop.bin') },
      user: { type: 'string', default: 'c01' },
    },
  });
  const { Recommender } = await importPackage();

  // Load: the loader finds sku, title, customer_id, event and event_time by name.
  const files = {
    products: await readFile(path.join(HERE, 'products.csv'), 'utf8'),
    interactions: await readFile(path.join(HERE, 'interactions.csv'), 'utf8'),
  };
  const recommender = Recommender.fromCsv(files, LOAD_OPTIONS);
  const loadReport = recommender.loadReport();

  // Train, keeping the ALS loss of each iteration from the progress events.
  const iterationLosses = [];
  const trainReport = recommender.train(TRAIN_OPTIONS, (progress) => {
    if (progress.loss !== undefined) {
      iterationLosses.push({ iteration: progress.iteration, loss: progress.loss });
    }
  });

  const request = { userId: args.user, k: RECOMMENDATION_COUNT };
  const recommendations = recommender.recommend(request);
  const similar = recommender.similarItems(SIMILAR_TO, SIMILAR_COUNT);
  const history = recommender.userHistory(args.user);

  // Save, then restore from the file and ask again.
  const bytes = recommender.save();
  await writeFile(args.model, bytes);
  recommender.free();
  const restored = Recommender.load(await readFile(args.model));
  const reloadedRecommendations = restored.recommend(request);
  restored.free();
  const identical = JSON.stringify(reloadedRecommendations) === JSON.stringify(recommendations);

  const result = {
    loadReport,
    train: { ...trainReport, iterationLosses },
    user: { userId: args.user, historyLength: history.length },
    recommendations,
    similar: { productId: SIMILAR_TO, items: similar },
    model: { path: args.model, bytes: bytes.length },
    reloaded: { recommendations: reloadedRecommendations, identical },
  };
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    printText(result);
  }
  if (!identical) {
    throw new Error('the reloaded model gave different recommendations');
  }
}

function printText(result) {
  const { loadReport, train, user, recommendations, similar, model, reloaded } = result;
  const skipped = loadReport.skipped;
  console.log(
    `Loaded ${loadReport.products} products, ${loadReport.users} customers, ${loadReport.interactions} interactions; ` +
      `skipped rows: ${skipped.cancellations} cancelled, ${skipped.skippedEventTypes} wishlist.`,
  );
  console.log(`Trained in ${train.totalMillis.toFixed(1)} ms. ALS loss per iteration:`);
  for (const { iteration, loss } of train.iterationLosses) {
    console.log(`  ${String(iteration).padStart(2)}  ${loss.toFixed(5)}`);
  }

  console.log(`\nRecommended for ${user.userId} (${user.historyLength} past interactions):`);
  for (const [index, item] of recommendations.entries()) {
    console.log(`  ${index + 1}. ${item.name} [${item.productId}], ${item.price.toFixed(2)}, score ${item.score.toFixed(3)}: ${item.reason}`);
  }

  console.log(`\nSimilar to ${similar.productId}:`);
  for (const item of similar.items) {
    console.log(`  ${item.name} [${item.productId}], cosine ${item.score.toFixed(3)}: ${item.reason}`);
  }

  console.log(`\nSaved the model to ${model.path} (${model.bytes} bytes).`);
  console.log(
    reloaded.identical
      ? 'Loaded it again: the recommendations are identical.'
      : 'Loaded it again: the recommendations DIFFER.',
  );
}

main().catch((error) => {
  console.error(`recommend.mjs: ${error.message}`);
  process.exit(1);
});
