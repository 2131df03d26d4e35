// Uses every method of the web build's Recommender with the declared types, and checks
// with @ts-expect-error that misspelt options and wrong value types are compile errors.
// Compiled, never run, by types.test.mjs.

import init, {
  Recommender,
  type AbTestReport,
  type CsvExport,
  type EvaluationReport,
  type HistoryEntry,
  type InitOutput,
  type LoadReport,
  type PrecomputedLists,
  type Product,
  type Progress,
  type Recommendation,
  type SimilarItem,
  type Stats,
  type StrategyMetrics,
  type TrainReport,
  type TuningReport,
  type UserSummary,
} from '../../../pkg/web/hybrid_recommender.js';

export async function useEveryMethod(): Promise<number> {
  const output: InitOutput = await init();
  const memoryPages: number = output.memory.buffer.byteLength / 65536;

  const rec = Recommender.synthetic({ users: 200, products: 100, days: 30, seed: 7 });
  const stages: string[] = [];
  const report: TrainReport = rec.train({ factors: 8, iterations: 3, halfLifeDays: 30 }, (p: Progress) => {
    stages.push(p.stage);
    const loss: number | undefined = p.loss;
    if (p.iteration !== undefined && loss !== undefined) {
      stages.push(`${p.iteration}:${loss.toFixed(4)}`);
    }
  });
  const lastLoss: number | undefined = report.loss.at(-1);
  const alsMillis: number = report.stageMillis.collaborative;

  const list: Recommendation[] = rec.recommend({
    userId: 'u00001',
    k: 5,
    context: 'cart',
    cartProductIds: ['p00001'],
    weights: { collaborative: 1, popularity: 0.5 },
    mmrLambda: 0.5,
    minCategories: 2,
  });
  const first: Recommendation | undefined = list[0];
  const reasonLength: number = first?.reason.length ?? 0;
  const alsScore: number = first?.components.collaborative ?? 0;

  const similar: SimilarItem[] = rec.similarItems('p00001', 3);
  const similarDefault: SimilarItem[] = rec.similarItems('p00001');

  const evaluation: EvaluationReport = rec.evaluate({ k: 5, ks: [5, 10], bootstrap: 0 }, null);
  const hybrid: StrategyMetrics = evaluation.segments.active.hybrid_mmr;
  const ndcgInterval: [number, number] | undefined = evaluation.hybrid.ci.ndcg;
  const ndcgAt5: number | undefined = evaluation.hybrid.atK['5']?.ndcg;

  const tuning: TuningReport = rec.tune({ grid: { factors: [4], weights: [{ content: 1 }] }, maxUsers: 50 });
  const bestFactors: number = tuning.best.factors;
  const bestContentWeight: number = tuning.best.weights.content;

  const ab: AbTestReport = rec.simulateAbTest({ treatment: { mmrLambda: 0.3 }, split: 0.3, users: 100 });
  const pValue: number = ab.pValue;

  const products: Product[] = rec.products();
  const users: UserSummary[] = rec.users();
  const region: string | null = users[0]?.region ?? null;
  const history: HistoryEntry[] = rec.userHistory('u00001');
  const rating: number | null = history[0]?.value ?? null;
  const categories: string[] = rec.categories();

  rec.recordInteraction({ userId: 'u00001', productId: 'p00002', type: 'rating', value: 5 });
  rec.recordInteraction({ userId: 'new-visitor', productId: 'p00002', type: 'view', timestamp: Date.now() });
  rec.addProduct({ productId: 'p-new', name: 'Trail Shoe', category: 'Running' });
  const removed: number = rec.forgetUser('new-visitor');

  const lists: PrecomputedLists = rec.precomputeAll({ k: 3, context: 'homepage' });
  const firstList: string[] | undefined = lists['u00001'];
  rec.setCacheOptions({ capacity: 0, ttlMs: 1000 });
  const stats: Stats = rec.stats();
  const p95: number = stats.latencyMs.p95;
  const diversity: number = rec.intraListDiversity(['p00001', 'p00002']);

  const bytes: Uint8Array = rec.save();
  const restored = Recommender.load(bytes);
  const loadReport: LoadReport | null = restored.loadReport();
  const csv: CsvExport = restored.exportCsv();
  const json: string = restored.exportJson();
  restored.free();

  const fromCsv = Recommender.fromCsv(
    { interactions: 'user_id,product_id,event_type,timestamp\nu1,p1,view,2025-01-01\n' },
    { eventTypes: { detail_view: 'view', wishlist: 'skip' }, unknownProducts: 'error', delimiter: ',' },
  );
  const skipped: number = fromCsv.loadReport()?.skipped.skippedEventTypes ?? 0;
  const fromData = Recommender.fromData(
    { interactions: [{ userId: 'u1', productId: 'p1', type: 'purchase', timestamp: 1735689600000 }] },
    { defaultType: 'purchase' },
  );
  fromData.free();

  // @ts-expect-error a misspelt request field is not a RecommendRequest field
  rec.recommend({ userID: 'u00001' });
  // @ts-expect-error k is a number
  rec.recommend({ k: '5' });
  // @ts-expect-error context is one of three names
  rec.recommend({ context: 'checkout' });
  // @ts-expect-error an interaction needs a type
  rec.recordInteraction({ userId: 'u1', productId: 'p1' });
  // @ts-expect-error "like" is not an interaction type
  rec.recordInteraction({ userId: 'u1', productId: 'p1', type: 'like' });
  // @ts-expect-error precomputeAll accepts only the homepage context
  rec.precomputeAll({ context: 'cart' });
  // @ts-expect-error the interactions text is required
  Recommender.fromCsv({ products: 'product_id\np1\n' });
  // @ts-expect-error train options have no learningRate
  rec.train({ learningRate: 0.1 });
  // @ts-expect-error the report's loss is an array
  const wrongLoss: number = report.loss;

  return (
    memoryPages +
    stages.length +
    (lastLoss ?? 0) +
    alsMillis +
    reasonLength +
    alsScore +
    similar.length +
    similarDefault.length +
    hybrid.ndcg +
    (ndcgInterval?.[0] ?? 0) +
    (ndcgAt5 ?? 0) +
    bestFactors +
    bestContentWeight +
    pValue +
    products.length +
    (region?.length ?? 0) +
    (rating ?? 0) +
    categories.length +
    removed +
    (firstList?.length ?? 0) +
    p95 +
    diversity +
    (loadReport?.products ?? 0) +
    csv.products.length +
    json.length +
    skipped +
    wrongLoss
  );
}
