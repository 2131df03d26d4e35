// Uses the worker client of the web build with the declared types. Compiled, never run,
// by types.test.mjs.

import { RecommenderClient, type ClientProgress } from '../../../pkg/web/client.js';
import type { Recommendation, SimilarItem, Stats, TrainReport } from '../../../pkg/web/hybrid_recommender.js';

export async function useClient(bytes: Uint8Array): Promise<number> {
  const progress: ClientProgress[] = [];
  const client = await RecommenderClient.create({
    source: { data: { interactions: [{ userId: 'u1', productId: 'p1', type: 'view', timestamp: 1735689600000 }] } },
    train: { factors: 8 },
    onProgress: (p) => progress.push(p),
    wasmUrl: new URL('https://shop.example/assets/recommender.wasm'),
  });
  const trained: TrainReport | null = client.trainReport;
  const loaded: number = client.loadReport?.interactions ?? 0;

  const list: Recommendation[] = await client.recommend({ userId: 'u1', k: 4 });
  const similar: SimilarItem[] = await client.similarItems('p1', 2);
  await client.recordInteraction({ userId: 'u1', productId: 'p1', type: 'cart' });
  const retrained: TrainReport = await client.train({ iterations: 5 }, (p) => progress.push(p));
  const stats: Stats = await client.stats();
  const saved: Uint8Array = await client.save();
  client.terminate();
  const closed: boolean = client.closed;

  const reloaded = await RecommenderClient.create({ source: { bytes }, train: false });
  const fromCsv = await RecommenderClient.create({
    source: { csv: { interactions: 'user,item,event,ts\n' }, options: { hasHeader: true } },
  });
  const fromSynthetic = await RecommenderClient.create({ source: { synthetic: { users: 100 } } });
  reloaded.terminate();
  fromCsv.terminate();
  fromSynthetic.terminate();

  // @ts-expect-error a source is one of synthetic, csv, data or bytes
  await RecommenderClient.create({ source: { url: 'catalog.json' } });
  // @ts-expect-error train is training options or false
  await RecommenderClient.create({ source: { synthetic: {} }, train: true });
  // @ts-expect-error percent is a number
  const wrongPercent: string = progress[0]!.percent;

  return (
    (trained?.totalMillis ?? 0) +
    loaded +
    list.length +
    similar.length +
    retrained.loss.length +
    stats.requests +
    saved.length +
    Number(closed) +
    progress.length +
    wrongPercent.length
  );
}
