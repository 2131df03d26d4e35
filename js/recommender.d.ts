// The `Recommender` class exported by the wasm module, with the precise types of
// types.d.ts in place of the `any` that wasm-bindgen generates. The build
// (scripts/build-package.sh) keeps wasm-bindgen's own declarations next to this file
// as hybrid_recommender_bindgen.d.ts.
//
// Every method throws a JS Error whose message names the invalid value and what was
// expected, e.g. `invalid k: 0, expected an integer from 1 to 1000`; the instance
// keeps working after an error. Queries before `train` (or `load` of a trained model)
// throw `the models are not trained yet: call train() first`.

import type {
  AbTestOptions,
  AbTestReport,
  CacheOptions,
  CsvExport,
  CsvFiles,
  DataRecords,
  EvaluationOptions,
  EvaluationReport,
  FactorImportReport,
  FactorMatrices,
  HistoryEntry,
  LoadOptions,
  LoadReport,
  NewProduct,
  PrecomputedLists,
  PrecomputeOptions,
  Product,
  ProgressCallback,
  Recommendation,
  RecommendRequest,
  RecordedInteraction,
  SimilarItem,
  Stats,
  SyntheticOptions,
  TimeRange,
  TrainOptions,
  TrainReport,
  TuneOptions,
  TuningReport,
  UserSummary,
} from './types.js';

/**
 * A catalog with its trained models. Instances live in wasm memory: call `free()` when
 * done, or rely on the FinalizationRegistry that wasm-bindgen sets up.
 */
export declare class Recommender {
  private constructor();

  /** Builds a seeded synthetic shop whose users have hidden tastes (see `simulateAbTest`). Untrained. */
  static synthetic(options?: SyntheticOptions | null): Recommender;

  /** Loads a real catalog from CSV texts. Untrained; `loadReport()` gives the counts. */
  static fromCsv(files: CsvFiles, options?: LoadOptions | null): Recommender;

  /** Loads a real catalog from arrays of records keyed by field name. Untrained; `loadReport()` gives the counts. */
  static fromData(data: DataRecords, options?: LoadOptions | null): Recommender;

  /**
   * Restores a recommender from the bytes of `save()`, with its catalog, settings,
   * trained models and every update since training. Throws on bytes that are
   * truncated, of another format version, or fail the checksum.
   */
  static load(bytes: Uint8Array | ArrayBuffer): Recommender;

  /**
   * Trains every model, synchronously: seconds of CPU for the default synthetic shop, so
   * call it in a Web Worker (see client.js). Can run again at any time.
   */
  train(options?: TrainOptions | null, onProgress?: ProgressCallback | null): TrainReport;

  /**
   * Installs ALS factors trained elsewhere in place of `train`'s ALS and builds the
   * other models with `options` (its `regularization` and `alpha` serve fold-in, so
   * set them to the values the factors were trained with). `data` is the factor object,
   * its JSON text, or the binary format of docs/scale.md. Imported products not in the
   * catalog are skipped and counted, and catalog users without a vector are folded in
   * from their history. Throws on invalid factors or when no imported product is in
   * the catalog, keeping the previous models.
   */
  importFactors(
    data: FactorMatrices | string | Uint8Array | ArrayBuffer,
    options?: TrainOptions | null,
    onProgress?: ProgressCallback | null,
  ): FactorImportReport;

  /** Recommends up to `request.k` products with a reason each; from the cache when the same request was served within the cache's time to live. */
  recommend(request: RecommendRequest): Recommendation[];

  /** Returns the products most similar in content to `productId`, at most `k` (1 to 1000, default 10) and at most the trained neighbour count. */
  similarItems(productId: string, k?: number): SimilarItem[];

  /** Trains on all but the test window and measures every strategy on it. */
  evaluate(options?: EvaluationOptions | null, onProgress?: ProgressCallback | null): EvaluationReport;

  /** Tries every combination of `options.grid` on the validation window. */
  tune(options?: TuneOptions | null, onProgress?: ProgressCallback | null): TuningReport;

  /** Simulates an A/B test against the users' true tastes; throws unless the catalog came from `synthetic`. */
  simulateAbTest(options?: AbTestOptions | null): AbTestReport;

  /** Returns every product of the catalog, in catalog order. */
  products(): Product[];

  /** Returns every user with their interaction count, in catalog order. */
  users(): UserSummary[];

  /** Returns a user's interactions, oldest first; empty for an unknown user. */
  userHistory(userId: string): HistoryEntry[];

  /** Returns the catalog's category names, for onboarding pickers. */
  categories(): string[];

  /**
   * Returns the times of the oldest and the newest interaction, or `null` without
   * interactions. A demo whose data lies in the past can date new events just after
   * `last`, so that evaluation windows keep their meaning.
   */
  timeRange(): TimeRange | null;

  /**
   * Records an event and folds it into the user's ALS factors, so the next `recommend`
   * for that user reflects it. An unknown user id creates the user.
   */
  recordInteraction(interaction: RecordedInteraction): void;

  /** Adds a product, recommendable at once through content similarity; it gets ALS factors at the next `train`. */
  addProduct(product: NewProduct): void;

  /** Removes a user's interactions, factors and popularity counts; returns how many interactions were removed (0 for an unknown user). */
  forgetUser(userId: string): number;

  /** Computes homepage lists for every user in one batch, with automatic weights and no MMR. */
  precomputeAll(options?: PrecomputeOptions | null): PrecomputedLists;

  /** Returns the serving statistics. */
  stats(): Stats;

  /** Sets the response cache's capacity and time to live, and empties it. */
  setCacheOptions(options?: CacheOptions | null): void;

  /** Computes the mean `1 - content cosine` over all pairs of the products; 0 for fewer than two. */
  intraListDiversity(productIds: string[]): number;

  /**
   * Serializes the catalog, settings, trained models, a synthetic shop's hidden tastes
   * and the load report in a versioned binary format with a CRC-32. The response cache
   * and serving statistics are not saved.
   */
  save(): Uint8Array;

  /** Returns the counts of the `fromCsv` or `fromData` load, also after `save` and `load`; null for a synthetic catalog. */
  loadReport(): LoadReport | null;

  /** Exports the catalog as CSV texts. */
  exportCsv(): CsvExport;

  /**
   * Exports the catalog as one JSON text `{products, users, interactions}` in the record
   * shape that `fromData` reads back; interaction timestamps are Unix seconds, which
   * `fromData` recognizes as such.
   */
  exportJson(): string;

  /** Releases the wasm memory of this instance; any later call throws. */
  free(): void;

  /** Same as `free()`, for `using` declarations. */
  [Symbol.dispose](): void;
}
