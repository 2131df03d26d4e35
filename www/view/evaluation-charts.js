// Charts and the segment table of the offline evaluation: NDCG@K and Recall@K
// against the cutoff K, coverage against diversity, and NDCG per user segment.

import { formatCount, formatMetric } from '../format.js';
import { createGroupedBarChart, createLineChart, createScatterChart } from './charts.js';
import { createElement, requireElement } from './dom.js';
import { SEGMENTS, STRATEGIES } from './strategies.js';

export class EvaluationChartsView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.ndcgChart = requireElement(document, 'chart-ndcg-at-k');
    this.recallChart = requireElement(document, 'chart-recall-at-k');
    this.coverageChart = requireElement(document, 'chart-coverage-diversity');
    this.segmentChart = requireElement(document, 'chart-segments');
    this.segmentTable = requireElement(document, 'segments');
    this.segmentHead = requireElement(document, 'segments-head');
    this.segmentBody = requireElement(document, 'segments-body');
  }

  /**
   * Removes the charts of an earlier evaluation.
   */
  clear() {
    for (const container of [this.ndcgChart, this.recallChart, this.coverageChart, this.segmentChart]) {
      container.replaceChildren();
    }
    this.segmentHead.replaceChildren();
    this.segmentBody.replaceChildren();
    this.segmentTable.dataset.state = 'pending';
  }

  /**
   * Draws every chart of an evaluation report.
   *
   * @param {object} report the result of `Recommender.evaluate`
   */
  show(report) {
    const cutoffs = Object.keys(report[STRATEGIES[0].key]?.atK ?? {})
      .map(Number)
      .sort((a, b) => a - b);

    this.ndcgChart.replaceChildren(this.#createCutoffChart(report, cutoffs, 'ndcg', 'NDCG@K'));
    this.recallChart.replaceChildren(this.#createCutoffChart(report, cutoffs, 'recall', 'Recall@K'));
    this.coverageChart.replaceChildren(
      createScatterChart(this.document, {
        title: 'Catalog coverage against intra-list diversity, per strategy',
        xLabel: 'Coverage',
        yLabel: 'Diversity',
        xDomain: [0, 1],
        points: STRATEGIES.map(({ key, shortLabel }) => ({
          key,
          label: shortLabel,
          x: report[key]?.coverage,
          y: report[key]?.diversity,
        })),
        formatValue: formatMetric,
      }),
    );
    this.#showSegments(report);
  }

  #createCutoffChart(report, cutoffs, metric, label) {
    return createLineChart(this.document, {
      title: `${label} against the cutoff K, per strategy`,
      xLabel: 'K',
      yLabel: label,
      xValues: cutoffs,
      series: STRATEGIES.map(({ key, shortLabel }) => ({
        key,
        label: shortLabel,
        values: cutoffs.map((cutoff) => report[key]?.atK?.[cutoff]?.[metric]),
      })),
      formatValue: formatMetric,
    });
  }

  /** Draws NDCG per segment as grouped bars and lists the same values in a table. */
  #showSegments(report) {
    const segments = SEGMENTS.map((segment) => {
      const bySegment = report.segments?.[segment.key] ?? {};
      const users = bySegment[STRATEGIES[0].key]?.users ?? 0;
      return { ...segment, users, strategies: bySegment };
    });

    // A segment without users has no meaningful NDCG, so it gets no bar and a dash.
    const ndcgOf = (segment, strategyKey) => (segment.users > 0 ? segment.strategies[strategyKey]?.ndcg : undefined);

    this.segmentChart.replaceChildren(
      createGroupedBarChart(this.document, {
        title: `NDCG@${report.k} per user segment and strategy`,
        yLabel: `NDCG@${report.k}`,
        groups: segments.map((segment) => ({
          key: segment.key,
          label: segment.label,
          detail: `${formatCount(segment.users)} users`,
        })),
        series: STRATEGIES.map(({ key, shortLabel }) => ({
          key,
          label: shortLabel,
          values: Object.fromEntries(segments.map((segment) => [segment.key, ndcgOf(segment, key)])),
        })),
        formatValue: formatMetric,
      }),
    );

    const corner = createElement(this.document, 'th', null, `NDCG@${report.k}`);
    corner.scope = 'col';
    this.segmentHead.replaceChildren(
      corner,
      ...segments.map((segment) => {
        const header = createElement(this.document, 'th', null, `${segment.label} · ${formatCount(segment.users)} users`);
        header.scope = 'col';
        header.title = `${segment.label} users: ${segment.description}`;
        header.dataset.segment = segment.key;
        header.dataset.users = String(segment.users);
        return header;
      }),
    );

    const best = Object.fromEntries(
      segments.map((segment) => {
        const values = STRATEGIES.map(({ key }) => ndcgOf(segment, key)).filter(Number.isFinite);
        return [segment.key, values.length > 0 ? Math.max(...values) : null];
      }),
    );
    this.segmentBody.replaceChildren(
      ...STRATEGIES.map((strategy) => {
        const row = this.document.createElement('tr');
        row.dataset.strategy = strategy.key;
        const name = createElement(this.document, 'th', 'strategy-name');
        name.scope = 'row';
        name.append(createElement(this.document, 'span', `swatch series-${strategy.key}`), strategy.label);
        row.append(name);

        for (const segment of segments) {
          const value = ndcgOf(segment, strategy.key);
          const cell = createElement(this.document, 'td', null, formatMetric(value));
          cell.dataset.segment = segment.key;
          if (Number.isFinite(value) && value === best[segment.key]) {
            cell.classList.add('best');
            cell.title = 'Best in this segment';
          }
          row.append(cell);
        }
        return row;
      }),
    );
    this.segmentTable.dataset.state = 'ready';
  }
}
