// Option and result types of the JS API of hybrid-recommender, written by hand from the
// Rust sources (src/wasm/, src/request.rs, src/loader/, src/evaluation/, src/training.rs).
// wasm-bindgen types these objects as `any`.
//
// Conventions that hold for every type below:
// - Timestamps are Unix milliseconds, as Date.now() returns them, except where noted.
// - Every options object is optional as a whole, and its fields are optional unless
//   marked otherwise. A field set to `undefined` counts as absent.
// - Option objects reject unknown fields: a misspelt name throws an Error naming it.
// - Counts such as `k` must be whole numbers; ranges are inclusive.

// ---------------------------------------------------------------------------------
// Shared names

/** The page the recommendations are shown on. */
export type Context = 'homepage' | 'product_page' | 'cart';

/** The kind of a shopper's interaction with a product. */
export type InteractionType = 'view' | 'cart' | 'purchase' | 'rating' | 'not_interested';

/** Relative weights of the three models' scores in the blend. */
export interface Weights {
  /** Weight of the ALS score. Non-negative; default 0 when the object is given. */
  collaborative?: number;
  /** Weight of the content (TF-IDF) similarity. Non-negative; default 0 when the object is given. */
  content?: number;
  /** Weight of the trending score. Non-negative; default 0 when the object is given. */
  popularity?: number;
}

/**
 * Weights as results report them, with every field present. They need not sum to one:
 * the blend divides by the sum of the weights of the components that have a signal.
 */
export interface ResolvedWeights {
  /** Weight of the ALS score. */
  collaborative: number;
  /** Weight of the content similarity. */
  content: number;
  /** Weight of the trending score. */
  popularity: number;
}

// ---------------------------------------------------------------------------------
// Building a recommender

/** Options of `Recommender.synthetic`: a seeded shop whose users have hidden tastes. */
export interface SyntheticOptions {
  /** Number of shoppers, 1 to 1,000,000. Default 10000. */
  users?: number;
  /** Number of products, 1 to 500,000. Default 5000. */
  products?: number;
  /** Length of the interaction history in days, 1 to 3650. Default 90. */
  days?: number;
  /** Seed of every random draw; the same seed gives the same shop. Default 42. */
  seed?: number;
}

/** The CSV texts given to `Recommender.fromCsv`. */
export interface CsvFiles {
  /**
   * Products: one row per product with `productId` and optionally `name`, `category`,
   * `brand`, `price`, `description`. Without it, products come from the interaction rows
   * (the first row of each product supplies its name, category, brand and price).
   */
  products?: string;
  /**
   * Interactions, required: `userId`, `productId`, `timestamp` (ISO-8601, Unix seconds,
   * or Unix milliseconds from 1e11 on), and `type` unless `defaultType` is set. Ratings
   * need `value`, and dropping cancellations needs `quantity`.
   */
  interactions: string;
  /** Users: `userId` and optionally `ageBand` and `region`. Without it, users come from the interactions. */
  users?: string;
}

/** A field of a loaded file, under the names the loader uses. */
export type LoadField =
  | 'userId'
  | 'productId'
  | 'type'
  | 'timestamp'
  | 'value'
  | 'quantity'
  | 'name'
  | 'category'
  | 'brand'
  | 'price'
  | 'description'
  | 'ageBand'
  | 'region';

/**
 * Options of `Recommender.fromCsv` and `Recommender.fromData`. Columns are found by
 * common header names (`user_id`, `visitorid`, `customer_id`, `product_id`, `item_id`,
 * `sku`, `event_type`, `event_time`, `timestamp`, ...); the mappings below override them.
 * `fromData` finds fields by name and uses only `eventTypes`, `defaultType`,
 * `dropCancellations`, `excludeProductIds` and `unknownProducts`.
 */
export interface LoadOptions {
  /**
   * Our field name to the file's header, or to a 1-based column number written as a
   * string (`"3"` or `"#3"`) for files without a header. Applies to every file.
   * Default: no mappings.
   */
  columns?: Partial<Record<LoadField, string>>;
  /** Mappings for the products file only, taking precedence over `columns`. */
  productColumns?: Partial<Record<LoadField, string>>;
  /** Mappings for the users file only, taking precedence over `columns`. */
  userColumns?: Partial<Record<LoadField, string>>;
  /**
   * The file's event name to an interaction type, or `"skip"` to drop those rows (they
   * are counted in `LoadReport.skipped.skippedEventTypes`). Added to the built-in names,
   * which match without regard to case: `view`, `pageview`, `detail`, `click` (view),
   * `addtocart`, `add_to_cart` (cart), `transaction`, `buy`, `order` (purchase), ...
   * An event name known to neither is an error.
   */
  eventTypes?: Record<string, InteractionType | 'skip'>;
  /** The type of every row of a log without an event column, such as `"purchase"` for an order log. Default: none, and a missing event column is an error. */
  defaultType?: InteractionType;
  /** Delimiter of the interactions file, one character. Default `","`. */
  delimiter?: string;
  /** Delimiter of the products file, one character. Default: `delimiter`. */
  productDelimiter?: string;
  /** Delimiter of the users file, one character. Default: `delimiter`. */
  userDelimiter?: string;
  /** Whether every file starts with a header row. Default true. */
  hasHeader?: boolean;
  /** Drop rows with a negative `quantity` (returns and cancellations). Default true. */
  dropCancellations?: boolean;
  /** Product ids to leave out, such as postage codes; a trailing `*` matches a prefix. Default none. */
  excludeProductIds?: string[];
  /**
   * Policy for an interaction whose product is not in the products file: `"skip"` drops
   * and counts it, `"error"` throws with the row's line. Default `"skip"`.
   */
  unknownProducts?: 'skip' | 'error';
}

/**
 * One record of `DataRecords`, keyed by the loader's field names. Values may be strings
 * or numbers; `null` counts as absent. Timestamps are ISO-8601 strings, Unix seconds, or
 * Unix milliseconds (numbers from 1e11 on).
 */
export type DataRecord = Partial<Record<LoadField, string | number | null>>;

/** The arrays given to `Recommender.fromData`, with the same roles as `CsvFiles`. */
export interface DataRecords {
  /** Products (`productId`, `name`, `category`, `brand`, `price`, `description`). */
  products?: DataRecord[];
  /** Interactions, required (`userId`, `productId`, `type`, `timestamp`, `value`, `quantity`). */
  interactions: DataRecord[];
  /** Users (`userId`, `ageBand`, `region`). */
  users?: DataRecord[];
}

/** Rows a load dropped by policy, by reason. */
export interface SkippedRows {
  /** Interactions whose product is not in the products file. */
  unknownProducts: number;
  /** Rows with a negative quantity. */
  cancellations: number;
  /** Interaction rows of products in `excludeProductIds`. */
  excludedProducts: number;
  /** Rows whose event type maps to `"skip"`. */
  skippedEventTypes: number;
}

/** The counts of a load, from `loadReport()`. */
export interface LoadReport {
  /** Products loaded. */
  products: number;
  /** Users loaded. */
  users: number;
  /** Interactions loaded. */
  interactions: number;
  /** Rows dropped by policy. */
  skipped: SkippedRows;
}

// ---------------------------------------------------------------------------------
// Training

/** Options of `train`. An interaction adds `weight * 0.5^(age / halfLifeDays)` to its user-product strength `r`, with weights view 1, cart 3, purchase 5 and a rating its value. */
export interface TrainOptions {
  /** ALS latent factors, 1 to 1024. Default 64. */
  factors?: number;
  /** ALS alternations, 1 to 1000. Default 15. */
  iterations?: number;
  /** L2 penalty on the factors, at least 0. Default 0.05. */
  regularization?: number;
  /** Confidence slope, at least 0: confidence `c = 1 + alpha * r`. Default 2. */
  alpha?: number;
  /** Conjugate-gradient steps per row and half-step, 1 to 1024. Default 3. */
  cgSteps?: number;
  /** Seed of the initial factors. Default 42. */
  seed?: number;
  /** Half-life of interaction strength, in days; positive. Default 30. */
  halfLifeDays?: number;
  /** TF-IDF vocabulary cap, 1 to 1,000,000 terms. Default 1000. */
  maxTerms?: number;
  /** Content neighbours kept per product, 1 to 10,000. Default 50. */
  neighbours?: number;
  /** Trending window, in days; positive. Default 14. */
  popularityWindowDays?: number;
}

/** A stage of training or evaluation, as progress and timings name it. */
export type Stage = 'confidence' | 'collaborative' | 'content' | 'popularity' | 'evaluation';

/** One progress event of `train`, `evaluate` or `tune`. */
export interface Progress {
  /** The stage running. `train` reports the four training stages in order; `evaluate` and `tune` report only `"evaluation"`. */
  stage: Stage;
  /** Share of the stage done, 0 to 1; for `"evaluation"`, the share of the whole run. */
  fraction: number;
  /** The ALS iteration just finished (1-based); present on `collaborative` events after an iteration. */
  iteration?: number;
  /** The ALS loss after that iteration (see `TrainReport.loss`); present with `iteration`. */
  loss?: number;
}

/** Milliseconds spent in each training stage. */
export interface StageMillis {
  /** Building the user-product confidence matrix. */
  confidence: number;
  /** ALS. */
  collaborative: number;
  /** TF-IDF and content neighbours. */
  content: number;
  /** Trending counts. */
  popularity: number;
}

/** The result of `train`. */
export interface TrainReport {
  /** Time per stage, in milliseconds (performance.now() where available). */
  stageMillis: StageMillis;
  /** Total training time, in milliseconds. */
  totalMillis: number;
  /**
   * ALS loss after each iteration, one entry per iteration: the weighted squared error
   * plus the L2 penalty, divided by the total confidence weight so that values are
   * comparable across data sizes. Dimensionless.
   */
  loss: number[];
  /** Users in the catalog. */
  users: number;
  /** Products in the catalog. */
  products: number;
  /** Interactions trained on. */
  interactions: number;
}

/** A progress callback. An exception it throws is ignored and the work continues. */
export type ProgressCallback = (progress: Progress) => void;

// ---------------------------------------------------------------------------------
// Imported factors

/**
 * ALS factors trained elsewhere, format version 1 (docs/scale.md). Row `i` of
 * `userFactors` belongs to `userIds[i]` and has `factors` finite numbers, and the same
 * rule applies to items. Ids must be unique and non-empty, and there must be at least
 * one item.
 */
export interface FactorMatrices {
  /** Format version, which must be 1. */
  version: 1;
  /** Latent factors per vector, 1 to 1024. */
  factors: number;
  /** User ids, one per row of `userFactors`, possibly none. */
  userIds: string[];
  /** User vectors, `userIds.length` rows of `factors` numbers. */
  userFactors: number[][];
  /** Product ids, one per row of `itemFactors`. */
  itemIds: string[];
  /** Product vectors, `itemIds.length` rows of `factors` numbers. */
  itemFactors: number[][];
}

/** The result of `importFactors`: what happened to the imported rows. */
export interface FactorImportReport {
  /** Latent factors per vector. */
  factors: number;
  /** Imported users found in the catalog. */
  importedUsers: number;
  /** Imported users not in the catalog, skipped. */
  unknownUsers: number;
  /** Imported products found in the catalog. */
  importedItems: number;
  /** Imported products not in the catalog, skipped. */
  unknownItems: number;
  /** The first ten skipped product ids, in input order. */
  unknownItemIds: string[];
  /** Catalog products without an imported vector, which get no collaborative score, so content and popularity rank them. */
  productsWithoutFactors: number;
  /** Catalog users without an imported vector whose factors were solved from their history. */
  foldedInUsers: number;
  /** Time spent building the models, in milliseconds. */
  totalMillis: number;
}

// ---------------------------------------------------------------------------------
// Serving

/** A request of `recommend`. */
export interface RecommendRequest {
  /** The shopper. Absent, or an id the catalog has never seen, is served as a new visitor (popular products). */
  userId?: string;
  /** List length, 1 to 1000. Fewer results only when fewer products are eligible. Default 10. */
  k?: number;
  /** The page. `"product_page"` needs `productId`; `"cart"` needs a non-empty `cartProductIds`. Default `"homepage"`. */
  context?: Context;
  /** The product on the page; never recommended. */
  productId?: string;
  /** The products in the cart; never recommended. Default `[]`. */
  cartProductIds?: string[];
  /**
   * Blend weights: non-negative, not all zero, a missing field is 0. Default: automatic
   * from the context and the shopper's history (README, "Recommendation requests").
   */
  weights?: Weights;
  /** Leave out products the shopper bought. Default true. */
  excludePurchased?: boolean;
  /**
   * MMR trade-off, 0 to 1, over the best `3k` candidates: 1 keeps the relevance order,
   * lower values push near-duplicates down. Default 0.7.
   */
  mmrLambda?: number;
  /** The list spans at least this many categories when the candidates allow it; 0 to 1000, 0 turns it off. Default 0. */
  minCategories?: number;
  /** Categories a shopper without history picked at onboarding; only their products are ranked (the fill may add others). Ignored for shoppers with history. Default `[]`. */
  preferredCategories?: string[];
  /** Products never to recommend in this list, e.g. those already shown elsewhere on the page. Default `[]`. */
  excludeProductIds?: string[];
}

/** Each model's score of a recommended product, normalized to 0 to 1 within the request. */
export interface ComponentScores {
  /** ALS score. On product pages and in the cart: the cosine of ALS item factors with the page's products. */
  collaborative: number;
  /** Content similarity to the shopper's history or the page's products. */
  content: number;
  /** Trending score. */
  popularity: number;
}

/** One recommended product. */
export interface Recommendation {
  /** The product's id. */
  productId: string;
  /** Display name. */
  name: string;
  /** Category; empty when the catalog has none. */
  category: string;
  /** Brand; empty when the catalog has none. */
  brand: string;
  /** Price in the catalog's currency; 0 when unknown. */
  price: number;
  /**
   * Blended relevance, 0 to 1, before re-ranking, so with MMR the list order can differ
   * from the score order. 0 for products added to fill a short list.
   */
  score: number;
  /** The evidence in words, e.g. "Because you bought …", "Similar to …", "Trending in …". */
  reason: string;
  /** The normalized score of each model. */
  components: ComponentScores;
}

/** A product similar in content to another, from `similarItems`. */
export interface SimilarItem {
  /** The product's id. */
  productId: string;
  /** Display name. */
  name: string;
  /** Category name; empty when the catalog has none. */
  category: string;
  /** Brand name; empty when the catalog has none. */
  brand: string;
  /** Price in the catalog's currency; 0 when unknown. */
  price: number;
  /** Content cosine similarity, at most 1; the list is in decreasing order of it. */
  score: number;
  /** The evidence in words, e.g. "Similar to …, same category". */
  reason: string;
}

/** An event given to `recordInteraction`. */
export interface RecordedInteraction {
  /** The shopper, required. An unknown id creates the user. */
  userId: string;
  /** The product, required; it must be in the catalog. */
  productId: string;
  /** The kind of interaction, required. */
  type: InteractionType;
  /**
   * When, in Unix milliseconds. Default Date.now(). At most one day after the browser's
   * clock (for clock skew), and not in [0, 1e11), which is 1970-1973 and almost surely
   * seconds passed by mistake. Earlier dates, before 1970 included, are accepted.
   */
  timestamp?: number;
  /** The rating, 1 to 5; required for `"rating"` and absent otherwise. */
  value?: number;
}

/** A product given to `addProduct`. */
export interface NewProduct {
  /** The product's id, required; it must not be in the catalog. */
  productId: string;
  /** Display name, required. */
  name: string;
  /** Category. Default `""`. */
  category?: string;
  /** Brand. Default `""`. */
  brand?: string;
  /** Price in the catalog's currency. Default 0. */
  price?: number;
  /** Free text for the content model. Default `""`. */
  description?: string;
}

/** A product of the catalog, from `products()`. */
export interface Product {
  /** The product's id. */
  productId: string;
  /** Display name. */
  name: string;
  /** Category; may be empty. */
  category: string;
  /** Brand; may be empty. */
  brand: string;
  /** Price in the catalog's currency; 0 when unknown. */
  price: number;
  /** Description; may be empty. */
  description: string;
}

/** A user of the catalog, from `users()`. */
export interface UserSummary {
  /** The user's id. */
  userId: string;
  /** Number of interactions in the catalog. */
  interactions: number;
  /** Age band such as `"25-34"`, or null when unknown. */
  ageBand: string | null;
  /** Region, or null when unknown. */
  region: string | null;
}

/** One event of a user's history, from `userHistory`. */
export interface HistoryEntry {
  /** The product's id. */
  productId: string;
  /** The product's display name. */
  name: string;
  /** The kind of interaction. */
  type: InteractionType;
  /** When, in Unix milliseconds (whole seconds, since the catalog stores seconds). */
  timestamp: number;
  /** The rating 1 to 5 for `"rating"`, otherwise null. */
  value: number | null;
}

/** Options of `precomputeAll`. */
export interface PrecomputeOptions {
  /** List length per user, 1 to 1000. Default 10. */
  k?: number;
  /** Only `"homepage"` is accepted: product pages and carts depend on what is on the page. Default `"homepage"`. */
  context?: 'homepage';
}

/** Lists from `precomputeAll`: user id to product ids, best first. */
export type PrecomputedLists = Record<string, string[]>;

/** Latency percentiles of `recommend`, in milliseconds; zeros before any request. */
export interface LatencyPercentiles {
  /** Median. */
  p50: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
}

/** The span of a catalog's interactions. */
export interface TimeRange {
  /** The oldest interaction, in Unix milliseconds. */
  first: number;
  /** The newest interaction, in Unix milliseconds. */
  last: number;
}

/** Serving statistics, from `stats()`. */
export interface Stats {
  /** `recommend` calls served, from the cache or not. */
  requests: number;
  /** Share of requests served from the cache, 0 to 1; 0 before any request. */
  cacheHitRate: number;
  /** Latency of `recommend` over the last 10,000 requests, measured inside wasm. */
  latencyMs: LatencyPercentiles;
  /** Interactions recorded since the last `train`: how stale the models are. */
  interactionsSinceTraining: number;
  /** Entries in the response cache. */
  cacheEntries: number;
}

/** Options of `setCacheOptions`. Setting them empties the cache. */
export interface CacheOptions {
  /** Maximum number of cached lists (LRU); 0 turns the cache off. Default 1000. */
  capacity?: number;
  /** How long a cached list is served, in milliseconds; finite and at least 0. Default 60000. */
  ttlMs?: number;
}

/** The catalog as CSV texts, from `exportCsv()`, with CRLF line ends. */
export interface CsvExport {
  /** Header `product_id,name,category,brand,price,description`. */
  products: string;
  /** One row per user. */
  users: string;
  /** One row per interaction. */
  interactions: string;
}

// ---------------------------------------------------------------------------------
// Offline evaluation

/** Options of `evaluate`: train on all but the last `testDays` and measure on them. */
export interface EvaluationOptions {
  /** Cutoff of the headline metrics, 1 to 1000. Default 10. */
  k?: number;
  /** Further cutoffs reported in `atK`, each 1 to 1000. Default `[5, 10, 20]`. */
  ks?: number[];
  /** Length of the test window at the end of the data, in days; positive. Default 14. */
  testDays?: number;
  /** Length of the validation window before the test window, in days; positive. Only `tune` uses it. Default 14. */
  validationDays?: number;
  /** Maximum number of users evaluated, at least 1; a seeded sample when more qualify. Default 2000. */
  maxUsers?: number;
  /** Bootstrap resamples for the confidence intervals, 0 to 100,000; 0 leaves `ci` empty. Default 1000. */
  bootstrap?: number;
  /** Seed of the user sample and the bootstrap. Default 42. */
  seed?: number;
}

/** Accuracy metrics at one cutoff, averaged over users. */
export interface AccuracyAtK {
  /** Mean precision@k. */
  precision: number;
  /** Mean recall@k. */
  recall: number;
  /** Mean NDCG@k. */
  ndcg: number;
  /** MAP@k. */
  map: number;
  /** MRR@k. */
  mrr: number;
  /** Share of users with at least one hit in the top k. */
  hitRate: number;
}

/** Metrics that carry a bootstrap interval in `StrategyMetrics.ci`. */
export type IntervalMetric =
  | 'precision'
  | 'recall'
  | 'ndcg'
  | 'map'
  | 'mrr'
  | 'hitRate'
  | 'diversity'
  | 'novelty'
  | 'popularityBias';

/** Metrics of one strategy over a group of users, at the headline cutoff `k` unless noted. */
export interface StrategyMetrics extends AccuracyAtK {
  /** Share of the catalog recommended to at least one of the users, 0 to 1. */
  coverage: number;
  /** Mean intra-list diversity: mean `1 - content cosine` over pairs of a list. */
  diversity: number;
  /** Mean self-information of the recommended products, in bits. */
  novelty: number;
  /** Mean popularity rank of the recommended products (1 = most popular). */
  popularityBias: number;
  /** Users evaluated. */
  users: number;
  /** 95% percentile-bootstrap interval `[low, high]` of each mean; empty when `bootstrap` is 0 or there are no users. */
  ci: Partial<Record<IntervalMetric, [number, number]>>;
  /** Accuracy at each cutoff of `ks`, keyed by the cutoff written as a string (`"5"`). */
  atK: Record<string, AccuracyAtK>;
}

/** A strategy compared in the evaluation. */
export type StrategyName = 'popularity' | 'collaborative' | 'content' | 'hybrid' | 'hybrid_mmr';

/** Metrics of every strategy for one group of users. */
export type StrategyTable = Record<StrategyName, StrategyMetrics>;

/** The result of `evaluate`. Relevant products are the test window's carts, purchases and ratings of 4 or 5. */
export interface EvaluationReport {
  /** Trending only. */
  popularity: StrategyMetrics;
  /** ALS only. */
  collaborative: StrategyMetrics;
  /** Content profile only. */
  content: StrategyMetrics;
  /** The automatic blend, in relevance order. */
  hybrid: StrategyMetrics;
  /** The automatic blend re-ranked by MMR with lambda 0.7. */
  hybrid_mmr: StrategyMetrics;
  /** The same metrics per user segment by training interactions: none (`cold`), 1 to 4 (`new`), 5 or more (`active`). */
  segments: { cold: StrategyTable; new: StrategyTable; active: StrategyTable };
  /** Users who acted in the test window without a relevant product. */
  skippedUsers: number;
  /** The headline cutoff. */
  k: number;
  /** Interactions the models were trained on. */
  trainInteractions: number;
  /** Interactions in the test window. */
  testInteractions: number;
}

/** The values `tune` tries; every combination is one run, at most 500 runs. A missing field keeps its default list. */
export interface TuningGrid {
  /** ALS factors. Default `[32, 64]`. */
  factors?: number[];
  /** ALS regularization. Default `[0.05]`. */
  regularization?: number[];
  /** ALS confidence slope. Default `[1, 2]`. */
  alpha?: number[];
  /** ALS iterations. Default `[10]`. */
  iterations?: number[];
  /** Blend weights applied to every user. Default 0.7/0.2/0.1, 0.5/0.3/0.2 and 0.9/0.05/0.05 (collaborative/content/popularity). */
  weights?: Weights[];
}

/** Options of `tune`: search on the validation window, the `validationDays` before the last `testDays`. */
export interface TuneOptions {
  /** The values to try. */
  grid?: TuningGrid;
  /** Cutoff of the scored metrics, 1 to 1000. Default 10. */
  k?: number;
  /** Length of the held-out test window, in days; positive. Default 14. */
  testDays?: number;
  /** Length of the validation window, in days; positive. Default 14. */
  validationDays?: number;
  /** Maximum number of users scored, at least 1. Default 2000. */
  maxUsers?: number;
  /** Seed of the user sample. Default 42. */
  seed?: number;
  /** Receives progress reports; the same as passing it as `tune`'s second argument. */
  onProgress?: ProgressCallback;
}

/** One scored combination of `tune`. */
export interface TuningRun {
  /** ALS factors. */
  factors: number;
  /** ALS regularization (an f32, so 0.05 reads back as 0.0500000007). */
  regularization: number;
  /** ALS confidence slope. */
  alpha: number;
  /** ALS iterations. */
  iterations: number;
  /** Blend weights. */
  weights: ResolvedWeights;
  /** NDCG@k on the validation window. */
  ndcg: number;
  /** Precision@k on the validation window. */
  precision: number;
  /** Recall@k on the validation window. */
  recall: number;
  /** Users scored. */
  users: number;
}

/** The result of `tune`. */
export interface TuningReport {
  /** The run with the highest validation NDCG. */
  best: TuningRun;
  /** Every run, in grid order. */
  runs: TuningRun[];
}

/** The request template of one arm of `simulateAbTest`. */
export interface AbArm {
  /** Blend weights. Default: automatic. */
  weights?: Weights;
  /** MMR trade-off, 0 to 1. Default 0.7. */
  mmrLambda?: number;
  /** Category minimum. Default off. */
  minCategories?: number;
}

/** Options of `simulateAbTest`, which needs a synthetic catalog (its users' true tastes). */
export interface AbTestOptions {
  /** The current behaviour. Default `{}` (automatic weights). */
  control?: AbArm;
  /** The change under test. Default popularity only, `{weights: {popularity: 1}}`. */
  treatment?: AbArm;
  /** Share of users in the treatment arm, strictly between 0 and 1. Default 0.5. */
  split?: number;
  /** Seed of the click and purchase draws. Default 42. */
  seed?: number;
  /** Recommendations shown per user, 1 to 1000. Default 10. */
  k?: number;
  /** Maximum number of users simulated (the first by index among users with history), at least 1. Default 4000. */
  users?: number;
}

/** The outcome of one arm. */
export interface ArmResult {
  /** Users in the arm. */
  users: number;
  /** Clicks per shown product, 0 to 1. */
  ctr: number;
  /** Share of users who bought anything, 0 to 1. */
  conversion: number;
  /** Mean revenue per converted user, in the catalog's currency. */
  aov: number;
  /** Total revenue, in the catalog's currency. */
  revenue: number;
}

/** Treatment minus control. */
export interface ArmDifference {
  /** Difference in CTR. */
  ctr: number;
  /** Difference in conversion. */
  conversion: number;
  /** Difference in average order value. */
  aov: number;
}

/** The result of `simulateAbTest`. */
export interface AbTestReport {
  /** The control arm. */
  control: ArmResult;
  /** The treatment arm. */
  treatment: ArmResult;
  /** Treatment minus control. */
  difference: ArmDifference;
  /** The z statistic of the conversion difference (pooled two-proportion test); 0 when an arm is empty or the pooled conversion is 0 or 1. */
  z: number;
  /** Two-sided p-value of that test; 1 in the cases where `z` is 0 by convention. */
  pValue: number;
}
