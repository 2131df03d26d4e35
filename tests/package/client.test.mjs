// Browser test of the worker client shipped in pkg/web (js/client.js, js/worker.js):
// imports it into a blank page under the storefront's CSP and checks progress, queries,
// errors, save and load, and termination.
//
// Needs the web build in pkg/web (scripts/build-package.sh). Run: node --test tests/package/

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../../scripts/serve.mjs';
import { launchBrowser, REPOSITORY_ROOT, requireBuild, watchPage } from './helpers.mjs';

const FIXTURE_PATH = 'tests/package/fixtures/client.html';

/** A synthetic shop small enough to train in well under a second. */
const SMALL_SHOP = { users: 300, products: 200, days: 60, seed: 3 };
const SMALL_TRAIN = { factors: 8, iterations: 4 };

/**
 * A shop whose training took about 0.7 s in headless Chromium on a 2-core machine, long
 * enough to probe the main thread and to terminate mid-training.
 */
const LARGE_SHOP = { users: 4000, products: 2000, days: 90, seed: 42 };

/**
 * Largest gap allowed between ticks of a 20 ms main-thread timer while the worker trains,
 * in milliseconds. Training on the main thread would stall it for the whole training.
 */
const MAX_MAIN_THREAD_STALL_MS = 300;

let server;
let browser;
let page;
let watcher;

before(async () => {
  requireBuild('web/client.js');
  server = await startServer({ root: REPOSITORY_ROOT, port: 0 });
  browser = await launchBrowser();
  page = await browser.newPage();
  watcher = await watchPage(page);
  await page.goto(`${server.url}${FIXTURE_PATH}`);
  await page.evaluate(async () => {
    window.RecommenderClient = (await import('/pkg/web/client.js')).RecommenderClient;
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Runs `body(RecommenderClient, arg)` in the page and returns its JSON-serializable
 * result. The expression goes through the DevTools protocol, which the page's CSP does not
 * govern, so the page itself never needs eval.
 */
function inPage(body, arg) {
  return page.evaluate(`(${body.toString()})(window.RecommenderClient, ${JSON.stringify(arg ?? null)})`);
}

describe('RecommenderClient', () => {
  test('create reports training progress', async () => {
    const result = await inPage(
      async (RecommenderClient, { shop, train }) => {
        const events = [];
        const client = await RecommenderClient.create({
          source: { synthetic: shop },
          train,
          onProgress: (progress) => events.push(progress),
        });
        const report = client.trainReport;
        client.terminate();
        return { events, report, loadReport: client.loadReport };
      },
      { shop: SMALL_SHOP, train: SMALL_TRAIN },
    );

    const stages = [...new Set(result.events.map((event) => event.stage))];
    assert.deepEqual(stages, ['confidence', 'collaborative', 'content', 'popularity']);
    for (const event of result.events) {
      assert.ok(event.fraction >= 0 && event.fraction <= 1, `fraction ${event.fraction}`);
      assert.equal(event.percent, Math.floor(event.fraction * 100));
    }
    const iterations = result.events.filter((event) => event.loss !== undefined);
    assert.deepEqual(
      iterations.map((event) => event.iteration),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      iterations.map((event) => event.loss),
      result.report.loss,
    );
    assert.equal(result.report.users, SMALL_SHOP.users);
    assert.equal(result.report.products, SMALL_SHOP.products);
    assert.equal(result.loadReport, null);
  });

  test('queries and updates run in the worker', async () => {
    const result = await inPage(
      async (RecommenderClient, { shop, train }) => {
        const client = await RecommenderClient.create({ source: { synthetic: shop }, train });
        const list = await client.recommend({ userId: 'u00001', k: 5 });
        const similar = await client.similarItems(list[0].productId, 3);
        const productId = (await client.products())[7].productId;
        await client.recordInteraction({ userId: 'u00001', productId, type: 'purchase', timestamp: 1_790_000_000_000 });
        const history = await client.userHistory('u00001');
        const afterPurchase = await client.recommend({ userId: 'u00001', k: 50 });
        const stats = await client.stats();
        const users = await client.users();
        const categories = await client.categories();
        const removed = await client.forgetUser('u00002');
        client.terminate();
        return { list, similar, productId, history, afterPurchase, stats, users, categories, removed };
      },
      { shop: SMALL_SHOP, train: SMALL_TRAIN },
    );

    assert.equal(result.list.length, 5);
    for (const item of result.list) {
      assert.ok(item.reason.length > 0, `no reason for ${item.productId}`);
    }
    assert.equal(result.similar.length, 3);
    assert.ok(!result.similar.some((item) => item.productId === result.list[0].productId));
    assert.deepEqual(result.history.at(-1), {
      productId: result.productId,
      name: result.history.at(-1).name,
      type: 'purchase',
      timestamp: 1_790_000_000_000,
      value: null,
    });
    assert.ok(!result.afterPurchase.some((item) => item.productId === result.productId), 'a bought product is recommended');
    assert.equal(result.stats.requests, 2);
    assert.equal(result.stats.interactionsSinceTraining, 1);
    assert.equal(result.users.length, SMALL_SHOP.users);
    assert.ok(result.categories.length > 1, `categories: ${result.categories}`);
    assert.equal(result.removed, result.users[1].interactions);
  });

  test('errors reject with the wasm message', async () => {
    const result = await inPage(
      async (RecommenderClient, { shop, train }) => {
        const messages = {};
        const capture = async (name, promise) => {
          try {
            await promise;
            messages[name] = 'resolved';
          } catch (error) {
            messages[name] = `${error instanceof Error ? 'Error' : typeof error}: ${error.message}`;
          }
        };
        const client = await RecommenderClient.create({ source: { synthetic: shop }, train });
        await capture('badK', client.recommend({ k: 0 }));
        await capture('unknownField', client.recommend({ userID: 'u00001' }));
        await capture('unknownProduct', client.similarItems('p99999', 3));
        await capture('notSynthetic', RecommenderClient.create({ source: { data: { interactions: [] } } }));
        await capture('badShop', RecommenderClient.create({ source: { synthetic: { users: 0 } } }));
        await capture('noSource', RecommenderClient.create({ source: {} }));
        await capture('twoSources', RecommenderClient.create({ source: { synthetic: {}, bytes: new Uint8Array(4) } }));
        await capture('badBytes', RecommenderClient.create({ source: { bytes: new Uint8Array([1, 2, 3]) } }));
        await capture('function', client.recommend({ userId: () => 'u00001' }));
        const stillWorks = (await client.recommend({ userId: 'u00001', k: 3 })).length;
        client.terminate();
        return { messages, stillWorks };
      },
      { shop: SMALL_SHOP, train: SMALL_TRAIN },
    );

    const { messages } = result;
    assert.equal(messages.badK, 'Error: invalid k: 0, expected an integer from 1 to 1000');
    assert.match(messages.unknownField, /^Error: invalid options for recommend\(\): unknown field "userID"/);
    assert.equal(messages.unknownProduct, 'Error: unknown product id "p99999": it is not in the catalog');
    assert.match(messages.notSynthetic, /^Error: interactions: no interaction records: the array is empty/);
    assert.equal(messages.badShop, 'Error: invalid users: 0, expected an integer from 1 to 1000000');
    assert.match(messages.noSource, /^Error: invalid source for RecommenderClient\.create\(\): found none/);
    assert.match(messages.twoSources, /found synthetic and bytes, expected exactly one of/);
    assert.equal(messages.badBytes, 'Error: saved model: truncated: 3 bytes, expected a header of 24');
    assert.match(messages.function, /^Error: invalid arguments for recommend\(\): /);
    assert.equal(result.stillWorks, 3);
  });

  test('saved bytes restore the model', async () => {
    const result = await inPage(
      async (RecommenderClient, { shop, train }) => {
        const request = { userId: 'u00010', k: 8 };
        const client = await RecommenderClient.create({ source: { synthetic: shop }, train });
        const before = await client.recommend(request);
        const bytes = await client.save();
        client.terminate();
        const restored = await RecommenderClient.create({ source: { bytes } });
        const after = await restored.recommend(request);
        const trainReport = restored.trainReport;
        restored.terminate();
        return {
          before,
          after,
          trainReport,
          isUint8Array: bytes instanceof Uint8Array,
          magic: String.fromCharCode(...bytes.subarray(0, 8)),
        };
      },
      { shop: SMALL_SHOP, train: SMALL_TRAIN },
    );

    assert.equal(result.isUint8Array, true);
    assert.equal(result.magic, 'HYBRIDRC');
    assert.equal(result.trainReport, null, 'a bytes source was trained again');
    assert.equal(result.before.length, 8);
    assert.deepEqual(result.after, result.before);
  });

  test('training leaves the main thread free', async () => {
    const result = await inPage(async (RecommenderClient, shop) => {
      const gaps = [];
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }, 20);
      const client = await RecommenderClient.create({ source: { synthetic: shop } });
      clearInterval(timer);
      const trainMillis = client.trainReport.totalMillis;
      client.terminate();
      return { maxGap: Math.max(...gaps), trainMillis };
    }, LARGE_SHOP);

    // Half the training time keeps the check meaningful on a machine that trains faster.
    const allowedGap = Math.min(MAX_MAIN_THREAD_STALL_MS, result.trainMillis / 2);
    assert.ok(
      result.maxGap < allowedGap,
      `main thread stalled ${result.maxGap} ms while training took ${result.trainMillis} ms`,
    );
  });

  test('terminate rejects pending calls', async () => {
    const result = await inPage(async (RecommenderClient, shop) => {
      const client = await RecommenderClient.create({ source: { synthetic: shop }, train: false });
      let started;
      const firstProgress = new Promise((resolve) => {
        started = resolve;
      });
      const training = client.train({}, started).then(
        () => 'resolved',
        (error) => error.message,
      );
      // Terminate after the first progress event, while the worker trains.
      await firstProgress;
      client.terminate();
      const pending = await training;
      const later = await client.stats().then(
        () => 'resolved',
        (error) => error.message,
      );
      return { pending, later, closed: client.closed, trainReport: client.trainReport };
    }, LARGE_SHOP);

    assert.equal(result.trainReport, null);
    assert.equal(result.pending, 'the recommender worker was terminated');
    assert.equal(result.later, 'the recommender worker was terminated');
    assert.equal(result.closed, true);
  });

  test('missing worker or wasm rejects', async () => {
    const result = await inPage(async (RecommenderClient) => {
      const messageOf = (promise) =>
        promise.then(
          () => 'resolved',
          (error) => error.message,
        );
      return {
        worker: await messageOf(RecommenderClient.create({ source: { synthetic: {} }, workerUrl: '/missing/worker.js' })),
        wasm: await messageOf(RecommenderClient.create({ source: { synthetic: {} }, wasmUrl: '/missing.wasm' })),
        // Resolved against this page in tests/package/fixtures/, where no .wasm exists; the
        // worker's own directory, pkg/web/, has one.
        relativeWasm: await messageOf(
          RecommenderClient.create({ source: { synthetic: {} }, wasmUrl: 'hybrid_recommender_bg.wasm' }),
        ),
      };
    });

    assert.match(result.worker, /^recommender worker failed: /);
    assert.match(result.wasm, /404/);
    assert.match(result.relativeWasm, /404 .*\/tests\/package\/fixtures\/hybrid_recommender_bg\.wasm/);
  });

  test('no page errors or CSP violations', async () => {
    assert.deepEqual(watcher.pageErrors, []);
    assert.deepEqual(await watcher.cspViolations(), []);
    // The missing-file test logs its 404s; nothing else may reach the console.
    const unexpected = watcher.consoleErrors.filter((text) => !text.includes('404'));
    assert.deepEqual(unexpected, []);
  });
});
