// Calls every method of the Node.js build with wrong types, missing fields, NaN and
// Infinity, negative and huge counts, empty and tiny catalogs, all-zero weights,
// duplicate ids and unknown contexts. Each call must throw an Error with the exact
// message below, and the same instance must still serve a request afterwards, because a
// wasm panic would poison the module and fail every later call.
//
// Needs pkg/node from scripts/build-package.sh. Run: node --test tests/package/

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, test } from 'node:test';

import { requireBuild } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Recommender } = require(requireBuild('node/hybrid_recommender.js'));

/** A small shop that trains in well under a second. */
const SHOP = { users: 60, products: 40, days: 20, seed: 3 };
const TRAIN = { factors: 4, iterations: 2 };
const KNOWN_PRODUCT = 'p00001';
const MAX_WHOLE = 'a whole number from 0 to 4294967295';

const EVENT = { userId: 'u1', productId: 'a', type: 'view', timestamp: 1_700_000_000_000 };

/** Returns the message of the error `call` throws, failing when it returns. */
function messageOf(call) {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof Error, `threw a non-Error: ${String(error)}`);
    return error.message;
  }
  assert.fail('expected an error, got a result');
}

/** Each case: [label, call on the trained instance `rec`, expected message]. */
const CASES = [
  // Recommender.synthetic
  ['synthetic: string', () => Recommender.synthetic('x'), 'invalid options for Recommender.synthetic(): "x", expected an object'],
  ['synthetic: NaN users', () => Recommender.synthetic({ users: NaN }), `invalid options for Recommender.synthetic(): users: NaN, expected ${MAX_WHOLE}`],
  ['synthetic: negative users', () => Recommender.synthetic({ users: -1 }), `invalid options for Recommender.synthetic(): users: -1, expected ${MAX_WHOLE}`],
  ['synthetic: huge users', () => Recommender.synthetic({ users: 1e12 }), `invalid options for Recommender.synthetic(): users: 1000000000000, expected ${MAX_WHOLE}`],
  ['synthetic: zero users', () => Recommender.synthetic({ users: 0 }), 'invalid users: 0, expected an integer from 1 to 1000000'],
  ['synthetic: unknown field', () => Recommender.synthetic({ user: 5 }), 'invalid options for Recommender.synthetic(): unknown field "user", expected one of users, products, days, seed'],

  // Recommender.fromData
  ['fromData: null', () => Recommender.fromData(null), 'invalid data for Recommender.fromData(): null, expected an object'],
  ['fromData: array', () => Recommender.fromData([]), 'invalid data for Recommender.fromData(): an array, expected an object'],
  ['fromData: no interactions', () => Recommender.fromData({}), 'invalid data for Recommender.fromData(): missing field `interactions`'],
  ['fromData: empty interactions', () => Recommender.fromData({ interactions: [] }), 'interactions: no interaction records: the array is empty'],
  ['fromData: string interactions', () => Recommender.fromData({ interactions: 'abc' }), 'invalid data for Recommender.fromData(): interactions: "abc", expected an array or an object'],
  ['fromData: number record', () => Recommender.fromData({ interactions: [1] }), 'invalid data for Recommender.fromData(): interactions[0]: 1, expected an array or an object'],
  ['fromData: string products', () => Recommender.fromData({ products: 'x', interactions: [EVENT] }), 'invalid data for Recommender.fromData(): products: "x", expected an array or an object'],
  ['fromData: empty products', () => Recommender.fromData({ products: [], interactions: [EVENT] }), 'products: no product records: the array is empty'],
  ['fromData: NaN price', () => Recommender.fromData({ products: [{ productId: 'a', name: 'A', price: NaN }], interactions: [EVENT] }), 'products line 1, column "price": NaN, expected a finite number'],
  ['fromData: infinite timestamp', () => Recommender.fromData({ interactions: [{ ...EVENT, timestamp: Infinity }] }), 'interactions line 1, column "timestamp": Infinity, expected a finite number'],
  ['fromData: negative price', () => Recommender.fromData({ products: [{ productId: 'a', name: 'A', price: -1 }], interactions: [EVENT] }), 'products line 1, column "price": negative price -1, expected 0 or more'],
  ['fromData: duplicate product', () => Recommender.fromData({ products: [{ productId: 'a', name: 'A' }, { productId: 'a', name: 'B' }], interactions: [EVENT] }), 'products line 2, column "productId": duplicate product id "a": each product id must be unique'],
  ['fromData: empty product id', () => Recommender.fromData({ products: [{ productId: '', name: 'A' }], interactions: [EVENT] }), 'products line 1, column "productId": missing productId'],
  ['fromData: unknown event type', () => Recommender.fromData({ interactions: [{ ...EVENT, type: 'zap' }] }), 'interactions line 1, column "type": unknown event type "zap": map it with eventTypes, e.g. {"zap": "view"} or "skip"'],
  ['fromData: unparsable timestamp', () => Recommender.fromData({ interactions: [{ ...EVENT, timestamp: 'soon' }] }), 'interactions line 1, column "timestamp": unparsable date "soon", expected ISO-8601 or Unix seconds or milliseconds'],
  ['fromData: unknown record field', () => Recommender.fromData({ interactions: [{ ...EVENT, user: 'x' }] }), 'interactions line 1, column "user": unknown field "user", expected one of userId, productId, type, timestamp, value, quantity, name, category, brand, price, description'],
  ['fromData: unknown product, error policy', () => Recommender.fromData({ products: [{ productId: 'b', name: 'B' }], interactions: [EVENT] }, { unknownProducts: 'error' }), 'interactions line 1, column "productId": unknown product id "a": not in the products file'],
  ['fromData: every row skipped', () => Recommender.fromData({ products: [{ productId: 'b', name: 'B' }], interactions: [EVENT] }), 'interactions: no usable interaction: every row was skipped (1 for unknown products)'],

  // Recommender.fromCsv
  ['fromCsv: number', () => Recommender.fromCsv(5), 'invalid files for Recommender.fromCsv(): 5, expected an object'],
  ['fromCsv: array interactions', () => Recommender.fromCsv({ interactions: [] }), 'invalid files for Recommender.fromCsv(): interactions: an array, expected a string'],
  ['fromCsv: empty text', () => Recommender.fromCsv({ interactions: '' }), 'interactions: empty file: no interaction rows'],
  ['fromCsv: string options', () => Recommender.fromCsv({ interactions: 'user_id,product_id\n' }, 'x'), 'invalid options for Recommender.fromCsv(): "x", expected an object'],
  ['fromCsv: string columns', () => Recommender.fromCsv({ interactions: 'user_id,product_id\n' }, { columns: 'x' }), 'invalid options for Recommender.fromCsv(): columns: "x", expected an array or an object'],
  ['fromCsv: quote delimiter', () => Recommender.fromCsv({ interactions: 'user_id,product_id\n' }, { delimiter: '"' }), 'invalid delimiter: \'"\', expected a single ASCII character other than a double quote or a line break'],
  ['fromCsv: misspelt column', () => Recommender.fromCsv({ interactions: 'user_id,product_id\n' }, { columns: { userID: 'user_id' } }), 'invalid columns: unknown field "userID", expected one of userId, productId, type, timestamp, value, quantity, name, category, brand, price, description, ageBand, region'],
  ['fromCsv: header only', () => Recommender.fromCsv({ interactions: 'user_id,product_id,timestamp\n' }), 'interactions: no interaction rows after the header'],
  ['fromCsv: long delimiter', () => Recommender.fromCsv({ interactions: 'user_id,product_id\n' }, { delimiter: ';;' }), 'invalid options for Recommender.fromCsv(): delimiter: ";;", expected a character'],
  ['fromCsv: missing column', () => Recommender.fromCsv({ interactions: 'who,what,when\nu1,p1,1\n' }), 'interactions: missing column for userId: the header has none of user_id, userid, visitorid, visitor_id, customer_id, customerid, user, customer; map it with columns.userId'],

  // Recommender.load
  ['load: null', () => Recommender.load(null), 'invalid bytes for Recommender.load(): null, expected a Uint8Array from save()'],
  ['load: string', () => Recommender.load('abc'), 'invalid bytes for Recommender.load(): "abc", expected a Uint8Array from save()'],
  ['load: empty bytes', () => Recommender.load(new Uint8Array()), 'saved model: truncated: 0 bytes, expected a header of 24'],

  // train
  ['train: string', (rec) => rec.train('x'), 'invalid options for train(): "x", expected an object'],
  ['train: zero factors', (rec) => rec.train({ factors: 0 }), 'invalid factors: 0, expected an integer from 1 to 1024'],
  ['train: NaN factors', (rec) => rec.train({ factors: NaN }), `invalid options for train(): factors: NaN, expected ${MAX_WHOLE}`],
  ['train: huge factors', (rec) => rec.train({ factors: 1e9 }), 'invalid factors: 1000000000, expected an integer from 1 to 1024'],
  ['train: infinite alpha', (rec) => rec.train({ alpha: Infinity }), 'invalid alpha: Infinity, expected a finite number of at least 0'],
  ['train: negative regularization', (rec) => rec.train({ regularization: -1 }), 'invalid regularization: -1, expected a finite number of at least 0'],
  ['train: callback in options', (rec) => rec.train({ onProgress: () => {} }), 'invalid options for train(): unknown field "onProgress", expected one of factors, iterations, regularization, alpha, seed, cgSteps, halfLifeDays, maxTerms, neighbours, popularityWindowDays'],

  // recommend
  ['recommend: string', (rec) => rec.recommend('u1'), 'invalid options for recommend(): "u1", expected an object'],
  ['recommend: negative k', (rec) => rec.recommend({ k: -1 }), `invalid options for recommend(): k: -1, expected ${MAX_WHOLE}`],
  ['recommend: NaN k', (rec) => rec.recommend({ k: NaN }), `invalid options for recommend(): k: NaN, expected ${MAX_WHOLE}`],
  ['recommend: infinite k', (rec) => rec.recommend({ k: Infinity }), `invalid options for recommend(): k: Infinity, expected ${MAX_WHOLE}`],
  ['recommend: fractional k', (rec) => rec.recommend({ k: 1.5 }), `invalid options for recommend(): k: 1.5, expected ${MAX_WHOLE}`],
  ['recommend: string k', (rec) => rec.recommend({ k: '5' }), `invalid options for recommend(): k: "5", expected ${MAX_WHOLE}`],
  ['recommend: zero k', (rec) => rec.recommend({ k: 0 }), 'invalid k: 0, expected an integer from 1 to 1000'],
  ['recommend: huge k', (rec) => rec.recommend({ k: 1e9 }), 'invalid k: 1000000000, expected an integer from 1 to 1000'],
  ['recommend: unknown context', (rec) => rec.recommend({ context: 'checkout' }), 'invalid options for recommend(): context: unknown variant `checkout`, expected one of `homepage`, `product_page`, `cart`'],
  ['recommend: all-zero weights', (rec) => rec.recommend({ weights: { collaborative: 0, content: 0, popularity: 0 } }), 'invalid weights: all zero, expected at least one positive weight'],
  ['recommend: negative weight', (rec) => rec.recommend({ weights: { collaborative: -1 } }), 'invalid weights.collaborative: -1, expected a finite number of at least 0'],
  ['recommend: NaN weight', (rec) => rec.recommend({ weights: { content: NaN } }), 'invalid weights.content: NaN, expected a finite number of at least 0'],
  ['recommend: string weights', (rec) => rec.recommend({ weights: 'x' }), 'invalid weights for recommend(): "x", expected an object'],
  ['recommend: string cart', (rec) => rec.recommend({ context: 'cart', cartProductIds: KNOWN_PRODUCT }), `invalid options for recommend(): cartProductIds: "${KNOWN_PRODUCT}", expected an array or an object`],
  ['recommend: numeric cart ids', (rec) => rec.recommend({ context: 'cart', cartProductIds: [1] }), 'invalid options for recommend(): cartProductIds[0]: 1, expected a string'],
  ['recommend: string exclusions', (rec) => rec.recommend({ excludeProductIds: KNOWN_PRODUCT }), `invalid options for recommend(): excludeProductIds: "${KNOWN_PRODUCT}", expected an array or an object`],
  ['recommend: mmrLambda above 1', (rec) => rec.recommend({ mmrLambda: 2 }), 'invalid mmrLambda: 2, expected a number from 0 to 1'],
  ['recommend: NaN mmrLambda', (rec) => rec.recommend({ mmrLambda: NaN }), 'invalid mmrLambda: NaN, expected a number from 0 to 1'],
  ['recommend: negative minCategories', (rec) => rec.recommend({ minCategories: -1 }), `invalid options for recommend(): minCategories: -1, expected ${MAX_WHOLE}`],
  ['recommend: unknown product', (rec) => rec.recommend({ context: 'product_page', productId: 'nope' }), 'unknown product id "nope": it is not in the catalog'],
  ['recommend: product page without product', (rec) => rec.recommend({ context: 'product_page' }), 'invalid productId: missing, expected a product id for context "product_page"'],
  ['recommend: numeric user id', (rec) => rec.recommend({ userId: 5 }), 'invalid options for recommend(): userId: 5, expected a string'],

  // similarItems
  ['similarItems: numeric id', (rec) => rec.similarItems(5, 3), 'invalid productId: 5, expected a string'],
  ['similarItems: unknown id', (rec) => rec.similarItems('zz', 3), 'unknown product id "zz": it is not in the catalog'],
  ['similarItems: negative k', (rec) => rec.similarItems(KNOWN_PRODUCT, -1), 'invalid k: -1, expected a whole number'],
  ['similarItems: string k', (rec) => rec.similarItems(KNOWN_PRODUCT, 'x'), 'invalid k: "x", expected a whole number'],

  // evaluate
  ['evaluate: string', (rec) => rec.evaluate('x'), 'invalid options for evaluate(): "x", expected an object'],
  ['evaluate: zero k', (rec) => rec.evaluate({ k: 0 }), 'invalid k: 0, expected an integer from 1 to 1000'],
  ['evaluate: string ks', (rec) => rec.evaluate({ ks: 'x' }), 'invalid options for evaluate(): ks: "x", expected an array or an object'],
  ['evaluate: negative testDays', (rec) => rec.evaluate({ testDays: -1 }), 'invalid testDays: -1, expected a finite number of at least 0.000001'],
  ['evaluate: window over all data', (rec) => rec.evaluate({ testDays: 1000 }), 'nothing to evaluate: no interactions before the cutoff; the windows (1000 days) cover all the data'],

  // userHistory, forgetUser
  ['userHistory: number', (rec) => rec.userHistory(5), 'invalid userId: 5, expected a string'],
  ['forgetUser: number', (rec) => rec.forgetUser(5), 'invalid userId: 5, expected a string'],

  // recordInteraction
  ['recordInteraction: nothing', (rec) => rec.recordInteraction(), 'invalid interaction for recordInteraction(): undefined, expected an object'],
  ['recordInteraction: missing type', (rec) => rec.recordInteraction({ userId: 'u', productId: KNOWN_PRODUCT }), 'invalid interaction for recordInteraction(): missing field `type`'],
  ['recordInteraction: unknown type', (rec) => rec.recordInteraction({ userId: 'u', productId: KNOWN_PRODUCT, type: 'zap' }), 'invalid interaction for recordInteraction(): type: unknown variant `zap`, expected one of `view`, `cart`, `purchase`, `rating`, `not_interested`'],
  ['recordInteraction: unknown product', (rec) => rec.recordInteraction({ userId: 'u', productId: 'zz', type: 'view' }), 'unknown product id "zz": it is not in the catalog'],
  ['recordInteraction: NaN timestamp', (rec) => rec.recordInteraction({ userId: 'u', productId: KNOWN_PRODUCT, type: 'view', timestamp: NaN }), 'invalid timestamp: NaN, expected Unix milliseconds such as Date.now()'],
  ['recordInteraction: seconds timestamp', (rec) => rec.recordInteraction({ userId: 'u', productId: KNOWN_PRODUCT, type: 'view', timestamp: 1_700_000_000 }), 'invalid timestamp: 1700000000, expected Unix milliseconds; this looks like seconds (multiply by 1000)'],
  ['recordInteraction: rating without value', (rec) => rec.recordInteraction({ userId: 'u', productId: KNOWN_PRODUCT, type: 'rating' }), 'invalid value: missing, expected a rating from 1 to 5 for type "rating"'],
  ['recordInteraction: rating of 9', (rec) => rec.recordInteraction({ userId: 'u', productId: KNOWN_PRODUCT, type: 'rating', value: 9 }), 'invalid value: 9, expected a rating from 1 to 5 for type "rating"'],
  ['recordInteraction: empty user id', (rec) => rec.recordInteraction({ userId: '', productId: KNOWN_PRODUCT, type: 'view' }), 'invalid userId: "", expected a non-empty string'],

  // addProduct
  ['addProduct: string', (rec) => rec.addProduct('x'), 'invalid product for addProduct(): "x", expected an object'],
  ['addProduct: duplicate id', (rec) => rec.addProduct({ productId: KNOWN_PRODUCT, name: 'x' }), `duplicate product id "${KNOWN_PRODUCT}": each product id must be unique`],
  ['addProduct: NaN price', (rec) => rec.addProduct({ productId: 'new-1', name: 'x', price: NaN }), 'invalid price: NaN for product "new-1", expected a finite, non-negative number'],
  ['addProduct: negative price', (rec) => rec.addProduct({ productId: 'new-2', name: 'x', price: -3 }), 'invalid price: -3 for product "new-2", expected a finite, non-negative number'],
  ['addProduct: empty id', (rec) => rec.addProduct({ productId: '', name: 'x' }), 'invalid product id: "", expected a non-empty string'],

  // precomputeAll, setCacheOptions, intraListDiversity
  ['precomputeAll: string', (rec) => rec.precomputeAll('x'), 'invalid options for precomputeAll(): "x", expected an object'],
  ['precomputeAll: negative k', (rec) => rec.precomputeAll({ k: -1 }), `invalid options for precomputeAll(): k: -1, expected ${MAX_WHOLE}`],
  ['precomputeAll: unknown context', (rec) => rec.precomputeAll({ context: 'nope' }), 'invalid options for precomputeAll(): context: unknown variant `nope`, expected one of `homepage`, `product_page`, `cart`'],
  ['setCacheOptions: negative capacity', (rec) => rec.setCacheOptions({ capacity: -1 }), `invalid options for setCacheOptions(): capacity: -1, expected ${MAX_WHOLE}`],
  ['setCacheOptions: NaN ttl', (rec) => rec.setCacheOptions({ ttlMs: NaN }), 'invalid ttlMs: NaN, expected a finite number of at least 0'],
  ['intraListDiversity: string', (rec) => rec.intraListDiversity('x'), 'invalid productIds for intraListDiversity(): expected an array of strings'],
  ['intraListDiversity: unknown id', (rec) => rec.intraListDiversity(['zz']), 'unknown product id "zz": it is not in the catalog'],

  // importFactors
  ['importFactors: number', (rec) => rec.importFactors(5), 'invalid data for importFactors(): 5, expected a factor object, its JSON text, or a Uint8Array of the binary format'],
  ['importFactors: NaN factor', (rec) => rec.importFactors({ version: 1, factors: 1, userIds: [], userFactors: [], itemIds: [KNOWN_PRODUCT], itemFactors: [[NaN]] }), `invalid imported factors: itemFactors row 0 (item "${KNOWN_PRODUCT}") value 0 is null (JSON.stringify writes NaN and infinity as null), expected a finite number`],
  ['importFactors: no known item', (rec) => rec.importFactors({ version: 1, factors: 1, userIds: [], userFactors: [], itemIds: ['zz'], itemFactors: [[1]] }), "invalid imported factors: none of the 1 imported item ids is a catalog product id (first ids: zz), expected the ids of the catalog's products"],

  // tune, simulateAbTest
  ['tune: string grid values', (rec) => rec.tune({ grid: { factors: 'x' } }), 'invalid options for tune(): grid.factors: "x", expected an array or an object'],
  ['tune: empty grid list', (rec) => rec.tune({ grid: { factors: [] } }), 'invalid grid: an empty list, expected at least one value for every setting'],
  ['simulateAbTest: split of 2', (rec) => rec.simulateAbTest({ split: 2 }), 'invalid split: 2, expected a share between 0 and 1, exclusive'],
  ['simulateAbTest: string arm', (rec) => rec.simulateAbTest({ control: 'x' }), 'invalid control for simulateAbTest(): "x", expected an object'],
];

describe('bad input', () => {
  let rec;

  before(() => {
    rec = Recommender.synthetic(SHOP);
    rec.train(TRAIN);
  });

  for (const [label, call, expected] of CASES) {
    test(label, () => {
      assert.equal(messageOf(() => call(rec)), expected);
      assert.equal(rec.recommend({ userId: 'u00001', k: 3 }).length, 3, 'the instance answers afterwards');
    });
  }
});

describe('tiny and empty catalogs', () => {
  test('one user, one product trains and recommends it', () => {
    const rec = Recommender.fromData({ interactions: [EVENT] });
    rec.train(TRAIN);
    assert.deepEqual(rec.recommend({ userId: 'u1', k: 5 }).map((r) => r.productId), ['a']);
    assert.deepEqual(rec.recommend({ userId: 'newcomer', k: 5 }).map((r) => r.productId), ['a']);
    assert.deepEqual(rec.similarItems('a', 5), []);
  });

  test('one product seen by many users', () => {
    const interactions = ['u1', 'u2', 'u3'].map((userId, i) => ({ ...EVENT, userId, timestamp: EVENT.timestamp + i }));
    const rec = Recommender.fromData({ interactions });
    rec.train(TRAIN);
    assert.deepEqual(rec.recommend({ userId: 'u2', k: 10, excludePurchased: true }).map((r) => r.productId), ['a']);
  });

  test('untrained instance names the missing step', () => {
    const rec = Recommender.fromData({ interactions: [EVENT] });
    assert.equal(messageOf(() => rec.recommend({})), 'the models are not trained yet: call train() first');
  });
});

describe('calls from a progress callback', () => {
  test('nested call throws inside the callback and training finishes', () => {
    const rec = Recommender.synthetic(SHOP);
    let nested = null;
    const report = rec.train(TRAIN, () => {
      if (nested === null) {
        nested = messageOf(() => rec.recommend({ k: 1 }));
      }
    });
    assert.equal(nested, 'recursive use of an object detected which would lead to unsafe aliasing in rust');
    assert.equal(report.loss.length, TRAIN.iterations);
    assert.equal(rec.recommend({ userId: 'u00001', k: 2 }).length, 2);
  });

  test('throwing callback does not stop training', () => {
    const rec = Recommender.synthetic(SHOP);
    const report = rec.train(TRAIN, () => {
      throw new Error('callback failed');
    });
    assert.equal(report.loss.length, TRAIN.iterations);
  });

  test('free() inside the callback leaves other instances working', () => {
    const doomed = Recommender.synthetic(SHOP);
    let freeError = null;
    doomed.train(TRAIN, () => {
      if (freeError === null) {
        freeError = messageOf(() => doomed.free());
      }
    });
    assert.equal(freeError, 'attempted to take ownership of Rust value while it was borrowed');
    assert.equal(messageOf(() => doomed.recommend({ k: 1 })), 'null pointer passed to rust');

    const other = Recommender.synthetic(SHOP);
    other.train(TRAIN);
    assert.equal(other.recommend({ userId: 'u00001', k: 2 }).length, 2);
  });
});
