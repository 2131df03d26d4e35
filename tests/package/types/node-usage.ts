// Uses the Node.js build (CommonJS) from an ES module with the declared types. Compiled,
// never run, by types.test.mjs.

import {
  Recommender,
  type FactorImportReport,
  type FactorMatrices,
  type LoadReport,
  type Recommendation,
} from '../../../pkg/node/hybrid_recommender.js';

export function useNodeBuild(products: string, interactions: string): number {
  const rec = Recommender.fromCsv({ products, interactions }, { columns: { productId: 'sku' } });
  const report: LoadReport | null = rec.loadReport();
  rec.train({ factors: 8 });
  const list: Recommendation[] = rec.recommend({ userId: 'c1', k: 3 });
  const bytes: Uint8Array = rec.save();
  rec.free();

  // @ts-expect-error "sku" is not a loader field name
  Recommender.fromCsv({ interactions }, { columns: { sku: 'sku' } });

  return (report?.interactions ?? 0) + list.length + Recommender.load(bytes).products().length;
}

export function importNodeFactors(products: string, interactions: string, bytes: Uint8Array): number {
  const rec = Recommender.fromCsv({ products, interactions });
  const factors: FactorMatrices = {
    version: 1,
    factors: 2,
    userIds: ['c1'],
    userFactors: [[1, 0]],
    itemIds: ['T-SENCHA'],
    itemFactors: [[0, 1]],
  };
  const report: FactorImportReport = rec.importFactors(factors, { regularization: 0.05, alpha: 2 });
  const fromBytes: FactorImportReport = rec.importFactors(bytes);

  // @ts-expect-error the factor count is a number
  rec.importFactors({ ...factors, factors: '2' });

  return report.foldedInUsers + fromBytes.unknownItemIds.length;
}
