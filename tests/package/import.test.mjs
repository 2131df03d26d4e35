// Imports ALS factors into the Node.js build (pkg/node) as a storefront that trains
// elsewhere would: as a plain object, as JSON text, and in the binary format of
// docs/scale.md. This file writes the binary format with a DataView, which checks the
// format from a second language. The toy model has two factors, so every score can be
// computed by hand.
//
// Needs pkg/node from scripts/build-package.sh. Run: node --test tests/package/

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, test } from 'node:test';
import zlib from 'node:zlib';

import { requireBuild } from './helpers.mjs';

const require = createRequire(import.meta.url);

/** p1 = [1, 0], p2 = [0, 1], p3 = [1, 1] and u1 = [2, 1]. The catalog has no ghost and no x9. */
const FACTORS = {
  version: 1,
  factors: 2,
  userIds: ['u1', 'ghost'],
  userFactors: [
    [2, 1],
    [5, 5],
  ],
  itemIds: ['p1', 'p2', 'p3', 'x9'],
  itemFactors: [
    [1, 0],
    [0, 1],
    [1, 1],
    [9, 9],
  ],
};

/** Settings of the fold-in computed below: lambda = 0.5, alpha = 2. */
const OPTIONS = { regularization: 0.5, alpha: 2 };

const COLLABORATIVE_ONLY = { k: 4, mmrLambda: 1, weights: { collaborative: 1, content: 0, popularity: 0 } };

/** Returns the CRC-32 (IEEE 802.3) of `bytes`, the checksum that zlib and PNG use. */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Writes `factors` in the binary format, version 1, little-endian. */
function encodeBinary({ factors, userIds, userFactors, itemIds, itemFactors }) {
  const encoder = new TextEncoder();
  const ids = [...userIds, ...itemIds].map((id) => encoder.encode(id));
  const values = [...userFactors, ...itemFactors].flat();
  const payloadLength = 12 + ids.reduce((sum, id) => sum + 4 + id.length, 0) + 4 * values.length;
  const bytes = new Uint8Array(24 + payloadLength);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode('HRFACTOR'), 0);
  view.setUint32(8, 1, true);
  view.setBigUint64(12, BigInt(payloadLength), true);

  let offset = 24;
  for (const count of [factors, userIds.length, itemIds.length]) {
    view.setUint32(offset, count, true);
    offset += 4;
  }
  for (const id of ids) {
    view.setUint32(offset, id.length, true);
    bytes.set(id, offset + 4);
    offset += 4 + id.length;
  }
  for (const value of values) {
    view.setFloat32(offset, value, true);
    offset += 4;
  }
  view.setUint32(20, crc32(bytes.subarray(24)), true);
  return bytes;
}

/** Four kitchen products. u1 viewed the Whisk (p4, no vector) and u2 the Kettle (p1). */
function toyShop(Recommender) {
  const products = [
    ['p1', 'Kettle'],
    ['p2', 'Toaster'],
    ['p3', 'Teapot'],
    ['p4', 'Whisk'],
  ].map(([productId, name]) => ({ productId, name, category: 'Kitchen' }));
  const view = (userId, productId) => ({ userId, productId, type: 'view', timestamp: 1_700_000_000_000 });
  return Recommender.fromData({ products, interactions: [view('u1', 'p4'), view('u2', 'p1')] });
}

function productIds(list) {
  return list.map((item) => item.productId);
}

describe('importFactors', () => {
  let Recommender;

  before(() => {
    ({ Recommender } = require(requireBuild('node/hybrid_recommender.js')));
  });

  test('crc32 helper matches zlib', () => {
    // The CRC-32 of "123456789" is the standard check value 0xcbf43926.
    const check = new TextEncoder().encode('123456789');
    assert.equal(crc32(check), 0xcbf43926);
    assert.equal(crc32(check), zlib.crc32(check));
  });

  test('object import reports skips and fold-ins', () => {
    const rec = toyShop(Recommender);
    const report = rec.importFactors(FACTORS, OPTIONS);
    assert.equal(report.factors, 2);
    assert.equal(report.importedItems, 3);
    assert.equal(report.unknownItems, 1);
    assert.deepEqual(report.unknownItemIds, ['x9']);
    assert.equal(report.productsWithoutFactors, 1);
    assert.equal(report.importedUsers, 1);
    assert.equal(report.unknownUsers, 1);
    assert.equal(report.foldedInUsers, 1);
    assert.equal(typeof report.totalMillis, 'number');
    rec.free();
  });

  test('imported scores rank the list', () => {
    // u1 = [2, 1] scores p3 3, p1 2 and p2 1, and p4 has no vector.
    const rec = toyShop(Recommender);
    rec.importFactors(FACTORS, OPTIONS);
    assert.deepEqual(productIds(rec.recommend({ userId: 'u1', ...COLLABORATIVE_ONLY })), ['p3', 'p1', 'p2', 'p4']);
    rec.free();
  });

  test('binary written in JS imports like the object', () => {
    // u2 is folded in: x = [7.5, -3] / 10.25, which scores p1 0.73 and p3 0.44 first.
    const fromObject = toyShop(Recommender);
    fromObject.importFactors(FACTORS, OPTIONS);
    const expected = fromObject.recommend({ userId: 'u2', ...COLLABORATIVE_ONLY });
    assert.deepEqual(productIds(expected).slice(0, 2), ['p1', 'p3']);
    assert.equal(expected[1].reason, 'Because you viewed Kettle');

    for (const data of [encodeBinary(FACTORS), encodeBinary(FACTORS).buffer, JSON.stringify(FACTORS)]) {
      const rec = toyShop(Recommender);
      rec.importFactors(data, OPTIONS);
      assert.deepEqual(rec.recommend({ userId: 'u2', ...COLLABORATIVE_ONLY }), expected);
      rec.free();
    }
    fromObject.free();
  });

  test('saved model keeps imported factors', () => {
    const rec = toyShop(Recommender);
    rec.importFactors(encodeBinary(FACTORS), OPTIONS);
    const loaded = Recommender.load(rec.save());
    for (const userId of ['u1', 'u2']) {
      assert.deepEqual(
        loaded.recommend({ userId, ...COLLABORATIVE_ONLY }),
        rec.recommend({ userId, ...COLLABORATIVE_ONLY }),
      );
    }
    rec.free();
    loaded.free();
  });

  test('corrupted binary and bad rows throw clear errors', () => {
    const rec = toyShop(Recommender);
    const corrupted = encodeBinary(FACTORS);
    corrupted[corrupted.length - 1] ^= 0x40;
    assert.throws(() => rec.importFactors(corrupted), {
      message: 'invalid imported factors: the binary file is corrupted: the payload checksum does not match',
    });
    const shortRow = { ...FACTORS, userFactors: [[2], [5, 5]] };
    assert.throws(() => rec.importFactors(shortRow), {
      message: 'invalid imported factors: userFactors row 0 (user "u1") has 1 values, expected 2 (the factor count)',
    });
    const duplicate = { ...FACTORS, itemIds: ['p1', 'p2', 'p1', 'x9'] };
    assert.throws(() => rec.importFactors(duplicate), {
      message: 'invalid imported factors: duplicate item id "p1" at rows 0 and 2, expected each id once',
    });
    assert.throws(() => rec.importFactors(42), {
      message:
        'invalid data for importFactors(): 42, expected a factor object, its JSON text, or a Uint8Array of the binary format',
    });
    rec.free();
  });
});
