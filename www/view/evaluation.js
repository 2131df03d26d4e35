// Offline evaluation panel: one row per strategy and one column per metric at the
// evaluation cutoff, with the best value of each column highlighted, the 95%
// bootstrap interval of NDCG in its cell, and the split's interaction counts.
// The charts below the table are drawn by evaluation-charts.js.

import {
  formatAge,
  formatCount,
  formatDecimal,
  formatDuration,
  formatMetric,
} from '../format.js';
import { createElement, requireElement } from './dom.js';
import { EvaluationChartsView } from './evaluation-charts.js';
import { STRATEGIES } from './strategies.js';

/**
 * Table columns. `atK` labels get the cutoff appended. Ranked columns take part
 * in the best-value highlight, where the highest value is best. `interval` shows
 * the 95% interval in the cell; the other intervals are in the cell's tooltip.
 */
const METRICS = [
  { key: 'precision', label: 'Precision', atK: true, ranked: true, title: 'Share of the top k that are relevant' },
  { key: 'recall', label: 'Recall', atK: true, ranked: true, title: "Share of the user's relevant products in the top k" },
  {
    key: 'ndcg',
    label: 'NDCG',
    atK: true,
    ranked: true,
    interval: true,
    title: 'Normalized discounted cumulative gain, with its 95% bootstrap interval over users',
  },
  { key: 'map', label: 'MAP', atK: true, ranked: true, title: 'Mean average precision' },
  { key: 'mrr', label: 'MRR', atK: true, ranked: true, title: 'Mean reciprocal rank of the first relevant product' },
  { key: 'hitRate', label: 'Hit rate', atK: true, ranked: true, title: 'Share of users with at least one relevant product in the top k' },
  { key: 'coverage', label: 'Coverage', ranked: true, title: 'Share of the catalog recommended to at least one user' },
  {
    key: 'diversity',
    label: 'Diversity',
    ranked: true,
    title: 'Mean intra-list diversity: 1 − content cosine over all pairs of a list',
  },
  {
    key: 'novelty',
    label: 'Novelty',
    ranked: true,
    decimals: 2,
    title: 'Mean self-information of the recommended products, in bits: higher means rarer products',
  },
  {
    key: 'popularityBias',
    label: 'Popularity rank',
    ranked: true,
    decimals: 1,
    title: 'Mean popularity rank of the recommended products (1 = most popular): higher means less popularity bias',
  },
  { key: 'users', label: 'Users', ranked: false, title: 'Users evaluated' },
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
    this.summary = requireElement(document, 'evaluation-summary');
    this.charts = new EvaluationChartsView(document);
  }

  /**
   * Marks the evaluation as running.
   *
   * @param {number} k the evaluation cutoff
   */
  showPending(k) {
    this.table.dataset.state = 'pending';
    this.caption.textContent = `Running at k = ${k}…`;
    this.#showHead(k);
    this.body.replaceChildren();
    this.summary.replaceChildren();
    this.charts.clear();
  }

  /**
   * Fills the table, the split summary and the charts.
   *
   * @param {object} report the result of `Recommender.evaluate`
   * @param {{millis: number, evaluatedAt: number, restored: boolean}} details duration,
   *   the time it finished (milliseconds since the Unix epoch), and whether it was restored from storage
   */
  show(report, { millis, evaluatedAt, restored }) {
    const { k } = report;
    const best = bestValues(report);

    this.#showHead(k);
    this.body.replaceChildren(...STRATEGIES.map((strategy) => this.#createRow(strategy, report[strategy.key], best)));
    this.#showSummary(report);
    this.charts.show(report);

    this.table.dataset.state = 'ready';
    const users = Math.max(...STRATEGIES.map((strategy) => report[strategy.key]?.users ?? 0));
    const parts = [`k = ${k}`, `${formatCount(users)} users`, `evaluated in ${formatDuration(millis)}`];
    if (restored) {
      parts.push(`restored from this browser, computed ${formatAge(evaluatedAt)}`);
    }
    this.caption.textContent = parts.join(' · ');
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

  #createRow(strategy, metrics, best) {
    const row = this.document.createElement('tr');
    row.dataset.strategy = strategy.key;
    row.dataset.testid = 'evaluation-row';

    const name = createElement(this.document, 'th', 'strategy-name');
    name.scope = 'row';
    name.append(createElement(this.document, 'span', `swatch series-${strategy.key}`), strategy.label);
    row.append(name);

    for (const metric of METRICS) {
      const value = metrics?.[metric.key];
      const cell = createElement(this.document, 'td');
      cell.dataset.metric = metric.key;
      cell.append(createElement(this.document, 'span', 'metric-value', formatValue(metric, value)));

      const interval = metrics?.ci?.[metric.key];
      if (interval !== undefined && metric.interval) {
        cell.dataset.low = String(interval[0]);
        cell.dataset.high = String(interval[1]);
        cell.append(' ', createElement(this.document, 'span', 'interval', formatInterval(metric, interval)));
      } else if (interval !== undefined) {
        cell.title = `95% interval ${formatInterval(metric, interval)}`;
      }

      if (metric.ranked && Number.isFinite(value) && value === best[metric.key]) {
        cell.classList.add('best');
        cell.title = cell.title === '' ? 'Best in this column' : `Best in this column. ${cell.title}`;
      }
      row.append(cell);
    }
    return row;
  }

  #showHead(k) {
    const corner = createElement(this.document, 'th', null, 'Strategy');
    corner.scope = 'col';
    const headers = METRICS.map((metric) => {
      const header = createElement(this.document, 'th', null, metric.atK ? `${metric.label}@${k}` : metric.label);
      header.scope = 'col';
      header.title = metric.title;
      return header;
    });
    this.head.replaceChildren(corner, ...headers);
  }

  #showSummary({ trainInteractions, testInteractions, skippedUsers }) {
    const entries = [
      { label: 'Training interactions', value: trainInteractions, testid: 'train-interactions' },
      { label: 'Test interactions', value: testInteractions, testid: 'test-interactions' },
      {
        label: 'Skipped users',
        value: skippedUsers,
        testid: 'skipped-users',
        title: 'Users who acted in the test window without adding to the cart, buying or rating 4+, so nothing counts as a hit for them',
      },
    ];
    this.summary.replaceChildren(
      ...entries.map(({ label, value, testid, title }) => {
        const item = createElement(this.document, 'div');
        if (title !== undefined) {
          item.title = title;
        }
        const detail = createElement(this.document, 'dd', null, formatCount(value));
        detail.dataset.testid = testid;
        item.append(createElement(this.document, 'dt', null, label), detail);
        return item;
      }),
    );
  }
}

/** Returns the highest value of each ranked metric over the strategies, or null when none is finite. */
function bestValues(report) {
  const best = {};
  for (const metric of METRICS.filter((column) => column.ranked)) {
    const values = STRATEGIES.map((strategy) => report[strategy.key]?.[metric.key]).filter(Number.isFinite);
    best[metric.key] = values.length > 0 ? Math.max(...values) : null;
  }
  return best;
}

function formatValue(metric, value) {
  if (metric.key === 'users') {
    return formatCount(value);
  }
  return metric.decimals === undefined ? formatMetric(value) : formatDecimal(value, metric.decimals);
}

function formatInterval(metric, [low, high]) {
  return `[${formatValue(metric, low)}, ${formatValue(metric, high)}]`;
}
