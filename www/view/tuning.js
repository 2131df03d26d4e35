// Tuning panel: the search grid, the button that starts the search and its
// progress, then every run sorted by validation NDCG with the best highlighted.

import { formatCount, formatDecimal, formatDuration, formatMetric } from '../format.js';
import { createElement, requireElement } from './dom.js';

export class TuningView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.grid = requireElement(document, 'tuning-grid');
    this.runButton = requireElement(document, 'run-tuning');
    this.progress = requireElement(document, 'tuning-progress');
    this.percent = requireElement(document, 'tuning-percent');
    this.status = requireElement(document, 'tuning-status');
    this.best = requireElement(document, 'tuning-best');
    this.bestText = requireElement(document, 'tuning-best-text');
    this.applyButton = requireElement(document, 'apply-tuned-weights');
    this.table = requireElement(document, 'tuning-runs');
    this.head = requireElement(document, 'tuning-runs-head');
    this.body = requireElement(document, 'tuning-runs-body');

    /** Weights of the best run, which the apply button passes on. */
    this.bestWeights = null;
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    this.runButton.addEventListener('click', () => handlers.runTuning());
    this.applyButton.addEventListener('click', () => {
      if (this.bestWeights !== null) {
        handlers.applyWeights(this.bestWeights);
      }
    });
  }

  /**
   * Describes the grid that "Run tuning" searches.
   *
   * @param {{factors: number[], regularization: number[], alpha: number[], iterations: number[], weights: object[]}} grid
   */
  showGrid({ factors, regularization, alpha, iterations, weights }) {
    const trainings = factors.length * regularization.length * alpha.length * iterations.length;
    this.grid.textContent =
      `Grid: factors ${factors.join(', ')} · regularization ${regularization.join(', ')} · ` +
      `alpha ${alpha.join(', ')} · ${iterations.join(', ')} iterations · ${weights.length} blend weights ` +
      `(${weights.map(formatWeights).join('; ')}). That is ${trainings} ALS trainings and ` +
      `${trainings * weights.length} runs.`;
  }

  /**
   * Enables or disables "Run tuning".
   *
   * @param {boolean} enabled
   */
  setRunEnabled(enabled) {
    this.runButton.disabled = !enabled;
  }

  /**
   * Shows that the search started, with an empty progress bar.
   */
  showRunning() {
    this.table.dataset.state = 'running';
    this.#showStatus('Tuning in the worker. Recommendations wait until it finishes.', 'info');
    this.showProgress(0);
  }

  /**
   * Shows the completed fraction of the search.
   *
   * @param {number} fraction in [0, 1]
   */
  showProgress(fraction) {
    const clamped = Math.min(Math.max(fraction, 0), 1);
    this.progress.value = clamped;
    this.percent.textContent = `${Math.round(clamped * 100)}%`;
  }

  /**
   * Lists every run, best first, and the best setting.
   *
   * @param {{best: object, runs: object[]}} result the result of `Recommender.tune`
   * @param {{k: number, millis: number}} details evaluation cutoff and duration
   */
  show({ best, runs }, { k, millis }) {
    this.showProgress(1);
    this.#showHead(k);

    const sorted = [...runs].sort((a, b) => b.ndcg - a.ndcg);
    this.body.replaceChildren(
      ...sorted.map((run) => {
        const row = this.document.createElement('tr');
        row.dataset.testid = 'tuning-run';
        row.dataset.ndcg = String(run.ndcg);
        if (sameSettings(run, best)) {
          row.classList.add('best-row');
          row.dataset.best = 'true';
        }
        const cells = [
          formatCount(run.factors),
          formatDecimal(run.regularization, 2),
          formatDecimal(run.alpha, 1),
          formatCount(run.iterations),
          formatWeights(run.weights),
          formatMetric(run.ndcg),
          formatMetric(run.precision),
          formatMetric(run.recall),
          formatCount(run.users),
        ];
        row.append(...cells.map((text) => createElement(this.document, 'td', null, text)));
        return row;
      }),
    );

    this.bestWeights = { ...best.weights };
    this.bestText.textContent =
      `Best on the validation window: ${best.factors} factors, regularization ${formatDecimal(best.regularization, 2)}, ` +
      `alpha ${formatDecimal(best.alpha, 1)}, ${best.iterations} iterations, weights ${formatWeights(best.weights)} ` +
      `(collaborative / content / popularity), with NDCG@${k} ${formatMetric(best.ndcg)}.`;
    this.best.hidden = false;
    this.table.dataset.state = 'ready';
    this.#showStatus(`Finished ${formatCount(runs.length)} runs in ${formatDuration(millis)}.`, 'info');
  }

  /**
   * Shows why the search failed.
   *
   * @param {string} message
   */
  showError(message) {
    this.table.dataset.state = 'error';
    this.showProgress(0);
    this.#showStatus(`Tuning failed: ${message}`, 'error');
  }

  #showHead(k) {
    const labels = [
      'Factors',
      'Regularization',
      'Alpha',
      'Iterations',
      'Weights',
      `NDCG@${k}`,
      `Precision@${k}`,
      `Recall@${k}`,
      'Users',
    ];
    this.head.replaceChildren(
      ...labels.map((label) => {
        const header = createElement(this.document, 'th', null, label);
        header.scope = 'col';
        return header;
      }),
    );
  }

  #showStatus(message, kind) {
    this.status.textContent = message;
    this.status.dataset.kind = kind;
  }
}

/** Formats blend weights as "collaborative / content / popularity" with two decimals each. */
function formatWeights({ collaborative, content, popularity }) {
  return [collaborative, content, popularity].map((weight) => formatDecimal(weight, 2)).join(' / ');
}

function sameSettings(run, best) {
  return (
    run.factors === best.factors &&
    run.regularization === best.regularization &&
    run.alpha === best.alpha &&
    run.iterations === best.iterations &&
    run.weights.collaborative === best.weights.collaborative &&
    run.weights.content === best.weights.content &&
    run.weights.popularity === best.weights.popularity
  );
}
