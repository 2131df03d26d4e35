// Tuning and the simulated A/B test of the evaluation dashboard: each runs in the
// worker when its button is pressed, and its result goes to its panel. The
// offline evaluation itself runs at startup, in training.js.

import { formatDecimal } from './format.js';

/**
 * Grid that "Run tuning" searches. Each (factors, regularization, alpha,
 * iterations) combination trains ALS once, so this grid trains 4 times. With the
 * default catalog it took 6 to 12 s in headless Chromium on a 2-core machine.
 */
const TUNING_GRID = {
  factors: [32, 64],
  regularization: [0.05],
  alpha: [1, 2],
  iterations: [8],
  weights: [
    { collaborative: 0.7, content: 0.2, popularity: 0.1 },
    { collaborative: 0.5, content: 0.3, popularity: 0.2 },
    { collaborative: 0.3, content: 0.5, popularity: 0.2 },
  ],
};

/** MMR trade-off of an A/B arm without mmrLambda: the library default. */
const LIBRARY_MMR_LAMBDA = 0.7;

/** Arms offered in the A/B choosers. The sidebar arm is read from the sidebar when the test runs. */
const SIDEBAR_ARM = 'sidebar';
const AB_ARMS = [
  { key: 'popularity', label: 'Popularity only', arm: { weights: { collaborative: 0, content: 0, popularity: 1 } } },
  { key: 'collaborative', label: 'Collaborative only', arm: { weights: { collaborative: 1, content: 0, popularity: 0 } } },
  { key: 'content', label: 'Content only', arm: { weights: { collaborative: 0, content: 1, popularity: 0 } } },
  { key: 'hybrid', label: 'Hybrid with automatic weights', arm: {} },
  { key: SIDEBAR_ARM, label: 'Current sidebar settings', arm: null },
];
const DEFAULT_ARMS = { control: 'popularity', treatment: SIDEBAR_ARM };

export class Dashboard {
  #engine;
  #view;
  #settings;
  #currentArm;

  /** False until the first evaluation is shown, so that it runs before any other evaluation work. */
  #enabled = false;

  /** False for a catalog without hidden tastes, which the A/B simulation needs. */
  #simulationAvailable = true;

  /** The job running in the worker, 'tuning' or 'abTest', or null. */
  #running = null;


  /**
   * @param {import('./engine.js').Engine} engine
   * @param {import('./view.js').View} view
   * @param {{evaluation: object}} settings from settings.js
   * @param {() => object} currentArm returns the sidebar's settings as an A/B arm
   */
  constructor(engine, view, settings, currentArm) {
    this.#engine = engine;
    this.#view = view;
    this.#settings = settings;
    this.#currentArm = currentArm;
  }

  /**
   * Shows the tuning grid and the A/B choices, with both buttons disabled.
   */
  init() {
    this.#view.tuning.showGrid(TUNING_GRID);
    this.#view.abTest.showArms(AB_ARMS, DEFAULT_ARMS);
    this.#showButtons();
  }

  /**
   * Enables or disables both buttons.
   *
   * @param {boolean} enabled
   */
  setEnabled(enabled) {
    this.#enabled = enabled;
    this.#showButtons();
  }

  /**
   * Turns the A/B simulation on or off. It needs the hidden tastes that only the
   * synthetic shop has, so it is off for a catalog loaded from files.
   *
   * @param {boolean} available
   */
  setSimulationAvailable(available) {
    this.#simulationAvailable = available;
    if (available) {
      this.#view.abTest.showAvailable();
    } else {
      this.#view.abTest.showUnavailable(
        'The A/B simulation draws clicks from the synthetic shoppers\' hidden tastes, so it is not available for a catalog loaded from files.',
      );
    }
    this.#showButtons();
  }

  /**
   * Runs the tuning grid and shows every run. A failure is shown in the panel.
   */
  async runTuning() {
    if (!this.#enabled || this.#running !== null) {
      return;
    }

    this.#start('tuning');
    this.#view.tuning.showRunning();
    const { k } = this.#settings.evaluation;
    try {
      const options = { ...this.#settings.evaluation, grid: TUNING_GRID };
      const result = await this.#engine.tune(options, (progress) => this.#view.tuning.showProgress(progress.fraction));
      this.#view.tuning.show(result, { k, millis: result.millis });
    } catch (error) {
      this.#view.tuning.showError(error.message);
    }
    this.#finish();
  }

  /**
   * Simulates an A/B test between two of the offered arms and shows the result.
   *
   * @param {string} controlKey
   * @param {string} treatmentKey
   */
  async runAbTest(controlKey, treatmentKey) {
    if (!this.#enabled || !this.#simulationAvailable || this.#running !== null) {
      return;
    }

    const control = this.#resolveArm(controlKey);
    const treatment = this.#resolveArm(treatmentKey);
    if (control === null || treatment === null) {
      this.#view.abTest.showError(`unknown arm "${control === null ? controlKey : treatmentKey}"`);
      return;
    }

    this.#start('abTest');
    this.#view.abTest.showRunning();
    try {
      const result = await this.#engine.simulateAbTest({ control: control.arm, treatment: treatment.arm });
      this.#view.abTest.show(result, { control: control.description, treatment: treatment.description });
    } catch (error) {
      this.#view.abTest.showError(error.message);
    }
    this.#finish();
  }

  /** Returns the arm's request settings and their description, or null for an unknown key. */
  #resolveArm(key) {
    const offered = AB_ARMS.find((candidate) => candidate.key === key);
    if (offered === undefined) {
      return null;
    }
    const arm = key === SIDEBAR_ARM ? this.#currentArm() : offered.arm;
    return { arm, description: `${offered.label}: ${describeArm(arm)}` };
  }

  #start(job) {
    this.#running = job;
    this.#showButtons();
  }

  #finish() {
    this.#running = null;
    this.#showButtons();
  }

  #showButtons() {
    const idle = this.#enabled && this.#running === null;
    this.#view.tuning.setRunEnabled(idle);
    this.#view.abTest.setRunEnabled(idle && this.#simulationAvailable);
  }
}

/**
 * Describes an A/B arm, such as "weights 0.00 / 0.00 / 1.00 · λ = 0.70".
 *
 * @param {{weights?: object, mmrLambda?: number, minCategories?: number}} arm
 * @returns {string}
 */
function describeArm({ weights, mmrLambda, minCategories }) {
  const parts = [];
  if (weights === undefined) {
    parts.push('automatic weights');
  } else {
    const { collaborative, content, popularity } = weights;
    parts.push(`weights ${[collaborative, content, popularity].map((weight) => formatDecimal(weight, 2)).join(' / ')}`);
  }
  parts.push(`λ = ${formatDecimal(mmrLambda ?? LIBRARY_MMR_LAMBDA, 2)}`);
  if (minCategories !== undefined && minCategories > 0) {
    parts.push(`at least ${minCategories} categories`);
  }
  return parts.join(' · ');
}

