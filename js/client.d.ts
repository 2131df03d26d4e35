// Declarations of client.js: a Recommender in a Web Worker behind a promise API.

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
  Progress,
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

/** The catalog source of `RecommenderClient.create`: exactly one of the four forms. */
export type ClientSource =
  | { synthetic: SyntheticOptions }
  | { csv: CsvFiles; options?: LoadOptions }
  | { data: DataRecords; options?: LoadOptions }
  /** The bytes of `save()`, copied to the worker; the model inside may already be trained. */
  | { bytes: Uint8Array | ArrayBuffer };

/** A progress event as the client reports it. */
export interface ClientProgress extends Progress {
  /** `fraction` in percent, rounded down: 0 to 100. */
  percent: number;
}

/** A progress callback of the client. An exception it throws is logged and ignored. */
export type ClientProgressCallback = (progress: ClientProgress) => void;

/** Options of `RecommenderClient.create`. */
export interface CreateOptions {
  /** The catalog, required. */
  source: ClientSource;
  /**
   * Training options, or false to skip training. Default: train with the defaults
   * (`{}`), except for a `bytes` source, which is not trained again.
   */
  train?: TrainOptions | false;
  /** Receives the progress of the training that `create` runs. */
  onProgress?: ClientProgressCallback;
  /**
   * The URL from which the web build's worker fetches hybrid_recommender_bg.wasm; a
   * relative URL is resolved against the page. Default: next to hybrid_recommender.js.
   * The bundler build ignores it because the bundler loads the wasm.
   */
  wasmUrl?: string | URL;
  /**
   * The URL of worker.js, for hosts that serve it elsewhere. Default: next to client.js,
   * written as `new URL('./worker.js', import.meta.url)` so that bundlers find it.
   */
  workerUrl?: string | URL;
}

/**
 * A Recommender running in a module Web Worker. The worker runs calls one at a time in
 * arrival order, so a query waits while training or evaluation runs. Each promise
 * rejects with an Error carrying the wasm error's message, and the model keeps working
 * after such an error.
 */
export declare class RecommenderClient {
  private constructor();

  /**
   * Starts a worker, builds the recommender from `options.source` and trains it (see
   * `CreateOptions.train`). Rejects, and stops the worker, when any step fails.
   */
  static create(options: CreateOptions): Promise<RecommenderClient>;

  /** The report of the training that `create` ran, or null when it did not train. */
  readonly trainReport: TrainReport | null;

  /** The counts of a `csv` or `data` source, or null for the other sources. */
  readonly loadReport: LoadReport | null;

  /** Whether `terminate` ran or the worker failed; every call then rejects. */
  readonly closed: boolean;

  /** Trains every model again on the catalog as it is now, including recorded interactions. */
  train(options?: TrainOptions, onProgress?: ClientProgressCallback): Promise<TrainReport>;
  /** See `Recommender.recommend`. */
  recommend(request: RecommendRequest): Promise<Recommendation[]>;
  /** See `Recommender.similarItems`. */
  similarItems(productId: string, k?: number): Promise<SimilarItem[]>;
  /** See `Recommender.evaluate`. */
  evaluate(options?: EvaluationOptions, onProgress?: ClientProgressCallback): Promise<EvaluationReport>;
  /** See `Recommender.importFactors`. It reports no progress events. */
  importFactors(data: FactorMatrices | string | Uint8Array | ArrayBuffer, options?: TrainOptions): Promise<FactorImportReport>;
  /** See `Recommender.tune`. */
  tune(options?: TuneOptions, onProgress?: ClientProgressCallback): Promise<TuningReport>;
  /** See `Recommender.simulateAbTest`. */
  simulateAbTest(options?: AbTestOptions): Promise<AbTestReport>;
  /** See `Recommender.products`. */
  products(): Promise<Product[]>;
  /** See `Recommender.users`. */
  users(): Promise<UserSummary[]>;
  /** See `Recommender.userHistory`. */
  userHistory(userId: string): Promise<HistoryEntry[]>;
  /** See `Recommender.categories`. */
  categories(): Promise<string[]>;
  /** See `Recommender.timeRange`. */
  timeRange(): Promise<TimeRange | null>;
  /** See `Recommender.recordInteraction`. */
  recordInteraction(interaction: RecordedInteraction): Promise<void>;
  /** See `Recommender.addProduct`. */
  addProduct(product: NewProduct): Promise<void>;
  /** See `Recommender.forgetUser`. */
  forgetUser(userId: string): Promise<number>;
  /** See `Recommender.precomputeAll`. */
  precomputeAll(options?: PrecomputeOptions): Promise<PrecomputedLists>;
  /** See `Recommender.stats`. */
  stats(): Promise<Stats>;
  /** See `Recommender.setCacheOptions`. */
  setCacheOptions(options?: CacheOptions): Promise<void>;
  /** See `Recommender.intraListDiversity`. */
  intraListDiversity(productIds: string[]): Promise<number>;
  /** Serializes the model (see `Recommender.save`); the bytes are moved, not copied, out of the worker. */
  save(): Promise<Uint8Array>;
  /** See `Recommender.exportCsv`. */
  exportCsv(): Promise<CsvExport>;
  /** See `Recommender.exportJson`. */
  exportJson(): Promise<string>;

  /** Stops the worker at once, even during training, and frees its memory. Pending and later calls reject. */
  terminate(): void;
}
