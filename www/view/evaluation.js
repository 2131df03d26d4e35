// Offline evaluation panel: one row per strategy, one column per metric, with
// the best value of each ranked metric highlighted.

import { formatCount, formatDuration, formatMetric } from '../format.js';
import { createElement, requireElement } from './dom.js';

const STRATEGIES = [
  { key: 'popularity', label: 'Popularity' },
  { key: 'collaborative', label: 'Collaborative (ALS)' },
  { key: 'content', label: 'Content' },
  { key: 'hybrid', label: 'Hybrid' },
];

/** Evaluation columns. Only `ranked` columns take part in the best-value highlight. */
const METRICS = [
  { key: 'precision', label: 'Precision@k', ranked: true },
  { key: 'recall', label: 'Recall@k', ranked: true },
  { key: 'ndcg', label: 'NDCG@k', ranked: true },
  { key: 'coverage', label: 'Coverage', ranked: true },
  { key: 'diversity', label: 'Diversity', ranked: true },
  { key: 'users', label: 'Users', ranked: false },
];

export class EvaluationView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.table = requireElement(document, 'evaluation');
    this.caption = requireElement(document, 'evaluation-caption');
    this.head = requireElement(document, 'evaluation-head');
    this.body = requireElement(document, 'evaluation-body');
  }

  /**
   * Marks the evaluation table as running.
   *
   * @param {number} k the evaluation cutoff
   */
  showPending(k) {
    this.table.dataset.state = 'pending';
    this.caption.textContent = `Running at k = ${k}…`;
    this.#showHead();
    this.body.replaceChildren();
  }

  /**
   * Fills the evaluation table and highlights the best value per metric.
   *
   * @param {Record<string, Record<string, number>>} metrics by strategy, as returned by `Recommender.evaluate`
   * @param {{k: number, millis: number}} details evaluation cutoff and duration
   */
  show(metrics, { k, millis }) {
    const best = {};
    for (const metric of METRICS.filter((column) => column.ranked)) {
      const values = STRATEGIES.map((strategy) => metrics[strategy.key]?.[metric.key]).filter(Number.isFinite);
      best[metric.key] = values.length > 0 ? Math.max(...values) : null;
    }

    this.#showHead();
    this.body.replaceChildren(
      ...STRATEGIES.map((strategy) => {
        const row = this.document.createElement('tr');
        row.dataset.strategy = strategy.key;
        row.dataset.testid = 'evaluation-row';

        const name = createElement(this.document, 'th', null, strategy.label);
        name.scope = 'row';
        row.append(name);

        for (const metric of METRICS) {
          const value = metrics[strategy.key]?.[metric.key];
          const text = metric.key === 'users' ? formatCount(value) : formatMetric(value);
          const cell = createElement(this.document, 'td', null, text);
          cell.dataset.metric = metric.key;
          if (metric.ranked && value === best[metric.key]) {
            cell.classList.add('best');
            cell.title = 'Best in this column';
          }
          row.append(cell);
        }
        return row;
      }),
    );

    this.table.dataset.state = 'ready';
    this.caption.textContent = `k = ${k} · ${formatDuration(millis)}`;
  }

  /**
   * Shows why the evaluation failed.
   *
   * @param {string} message
   */
  showError(message) {
    this.table.dataset.state = 'error';
    this.caption.textContent = `Failed: ${message}`;
  }

  #showHead() {
    const corner = createElement(this.document, 'th', null, 'Strategy');
    corner.scope = 'col';
    const headers = METRICS.map((metric) => {
      const header = createElement(this.document, 'th', null, metric.label);
      header.scope = 'col';
      return header;
    });
    this.head.replaceChildren(corner, ...headers);
  }
}
