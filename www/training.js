// Building, restoring, training, retraining and evaluating the recommender in
// the worker, with progress, loss and stage timings shown in the model panel.

const STAGE_LABELS = {
  confidence: 'Confidence weighting',
  collaborative: 'Collaborative filtering (ALS)',
  content: 'Content model',
  popularity: 'Popularity',
  evaluation: 'Offline evaluation',
};

export class Trainer {
  #engine;
  #view;
  #settings;

  /** Rows of the stage timing list, each null until its step has run. */
  #buildTiming = null;
  #trainingTimings = [];
  #evaluationTiming = null;

  /**
   * @param {import('./engine.js').Engine} engine
   * @param {import('./view.js').View} view
   * @param {{catalog: object, training: object, evaluation: object}} settings from settings.js
   */
  constructor(engine, view, settings) {
    this.#engine = engine;
    this.#view = view;
    this.#settings = settings;
  }

  /**
   * Loads the wasm module and builds the catalog.
   */
  async build() {
    this.#view.showStatus('loading', 'Building the catalog…');
    this.#view.model.showStage('Loading WebAssembly and building the catalog', null);
    const build = await this.#engine.build(this.#settings.catalog);
    this.#buildTiming = { label: 'Catalog build', millis: build.millis };
  }

  /**
   * Loads the visitor's CSV files in place of the current catalog.
   *
   * @param {{interactions: string, products?: string, users?: string}} files CSV texts
   * @param {object} options the load options of `Recommender.fromCsv`
   * @returns {Promise<object>} the load report
   * @throws {Error} with the loader's message, which names the file, line and column
   */
  async loadFiles(files, options) {
    this.#view.showStatus('loading', 'Loading your catalog…');
    this.#view.model.showStage('Loading your catalog', null);
    const { millis, report } = await this.#engine.loadCsv(files, options);
    this.#buildTiming = { label: 'Catalog load', millis };
    this.#trainingTimings = [];
    this.#evaluationTiming = null;
    return report;
  }

  /**
   * Loads the wasm module and restores a saved recommender in place of building
   * and training one, then shows the training report saved with it.
   *
   * @param {Uint8Array} bytes from `Recommender.save`, which move to the worker
   * @param {object} training the training report saved with the model
   * @throws {Error} when the bytes are not a model that this build of the library can load
   */
  async restore(bytes, training) {
    this.#view.showStatus('loading', 'Restoring the saved model…');
    this.#view.model.showStage('Restoring the model saved in this browser', null);
    const { millis } = await this.#engine.restore(bytes);

    this.#buildTiming = { label: 'Restore from IndexedDB', millis };
    this.#trainingTimings = [];
    this.#showTimings();
    this.#view.model.showLoss(training?.loss ?? []);
    if (training !== undefined) {
      this.#view.model.showCatalogSummary(training);
    }
    this.#view.model.showStage('Restored', 1);
  }

  /**
   * Trains every model on all interactions, including those recorded since the
   * last training, and shows the progress, the loss and the stage timings.
   *
   * @returns {Promise<object>} the training report of `Recommender.train`
   */
  async train() {
    this.#view.showStatus('training', 'Training…');
    const losses = [];
    const report = await this.#engine.train(this.#settings.training, (progress) => {
      const label = STAGE_LABELS[progress.stage] ?? progress.stage;
      this.#view.model.showStage(label, progress.fraction);
      this.#view.showStatus('training', `Training: ${label}`);
      if (Number.isFinite(progress.loss)) {
        const iteration = Number.isInteger(progress.iteration) ? progress.iteration : losses.length + 1;
        losses[iteration - 1] = progress.loss;
        this.#view.model.showLoss(losses.filter(Number.isFinite));
      }
    });

    this.#view.model.showLoss(report.loss);
    this.#view.model.showCatalogSummary(report);
    this.#trainingTimings = [
      { label: STAGE_LABELS.confidence, millis: report.stageMillis.confidence },
      { label: STAGE_LABELS.collaborative, millis: report.stageMillis.collaborative },
      { label: STAGE_LABELS.content, millis: report.stageMillis.content },
      { label: STAGE_LABELS.popularity, millis: report.stageMillis.popularity },
      { label: 'Training total', millis: report.totalMillis },
    ];
    this.#showTimings();
    this.#view.model.showStage('Trained', 1);
    return report;
  }

  /**
   * Evaluates every strategy and fills the evaluation panel. A failure is shown
   * in the panel, so the promise never rejects.
   *
   * @returns {Promise<{metrics: object, millis: number, evaluatedAt: number} | null>}
   *   the report with its duration in milliseconds and its end time, or null after a failure
   */
  async evaluate() {
    const { k } = this.#settings.evaluation;
    this.#view.showStatus('evaluating', 'Evaluating…');
    this.#view.evaluation.showPending(k);

    try {
      const { metrics, millis } = await this.#engine.evaluate(this.#settings.evaluation, (progress) => {
        this.#view.model.showStage(STAGE_LABELS.evaluation, progress.fraction);
      });
      const evaluation = { metrics, millis, evaluatedAt: Date.now() };
      this.#view.evaluation.show(metrics, { millis, evaluatedAt: evaluation.evaluatedAt, restored: false });
      this.#evaluationTiming = { label: STAGE_LABELS.evaluation, millis };
      this.#showTimings();
      return evaluation;
    } catch (error) {
      this.#view.evaluation.showError(error.message);
      return null;
    }
  }

  /**
   * Shows an evaluation saved in this browser instead of evaluating again.
   *
   * @param {{metrics: object, millis: number, evaluatedAt: number}} evaluation from evaluate()
   */
  showSavedEvaluation({ metrics, millis, evaluatedAt }) {
    this.#view.evaluation.show(metrics, { millis, evaluatedAt, restored: true });
  }

  /**
   * Shows that no work is running.
   */
  showReady() {
    this.#view.model.showStage('Ready', 1);
    this.#view.showStatus('ready', 'Ready');
  }

  #showTimings() {
    const entries = [this.#buildTiming, ...this.#trainingTimings, this.#evaluationTiming];
    this.#view.model.showTimings(entries.filter((entry) => entry !== null));
  }
}
