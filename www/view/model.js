// Model panel: the running stage with its progress, the catalog size, the ALS
// loss curve and the time each step took.

import { formatCount, formatDuration, formatLoss } from '../format.js';
import { createElement, requireElement } from './dom.js';

/** Width and height of the loss chart, in SVG user units (see the viewBox in index.html). */
const LOSS_CHART_WIDTH = 300;
const LOSS_CHART_HEIGHT = 80;
const LOSS_CHART_PADDING = 4;

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

export class ModelView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.catalogSummary = requireElement(document, 'catalog-summary');
    this.stageName = requireElement(document, 'stage-name');
    this.stageProgress = requireElement(document, 'stage-progress');
    this.stagePercent = requireElement(document, 'stage-percent');
    this.lossChart = requireElement(document, 'loss-chart');
    this.lossList = requireElement(document, 'loss-list');
    this.timings = requireElement(document, 'timings');
  }

  /**
   * Shows the running stage and its completed fraction.
   *
   * @param {string} label
   * @param {number|null} fraction in [0, 1], or null when the stage reports no progress
   */
  showStage(label, fraction) {
    this.stageName.textContent = label;

    if (fraction === null) {
      this.stageProgress.removeAttribute('value');
      this.stagePercent.textContent = '';
      return;
    }

    const clamped = Math.min(Math.max(fraction, 0), 1);
    this.stageProgress.value = clamped;
    this.stagePercent.textContent = `${Math.round(clamped * 100)}%`;
  }

  /**
   * Shows that the page stopped, with an empty progress bar.
   */
  showStopped() {
    this.stageName.textContent = 'Stopped';
    this.stageProgress.value = 0;
    this.stagePercent.textContent = '';
  }

  /**
   * Shows the catalog dimensions above the progress bar.
   *
   * @param {{users: number, products: number, interactions: number}} sizes
   */
  showCatalogSummary({ users, products, interactions }) {
    this.catalogSummary.textContent =
      `${formatCount(users)} users · ${formatCount(products)} products · ` +
      `${formatCount(interactions)} interactions`;
  }

  /**
   * Draws the ALS loss curve and lists the value of each iteration.
   *
   * @param {number[]} losses loss after each iteration, in order
   */
  showLoss(losses) {
    this.lossList.replaceChildren(
      ...losses.map((loss, index) => {
        const item = createElement(this.document, 'li', 'loss-item');
        item.append(createElement(this.document, 'span', 'loss-iteration', `#${index + 1}`));
        item.append(createElement(this.document, 'span', 'loss-value', formatLoss(loss)));
        return item;
      }),
    );

    this.lossChart.replaceChildren();
    if (losses.length < 2) {
      return;
    }

    const finite = losses.filter(Number.isFinite);
    const high = Math.max(...finite);
    const low = Math.min(...finite);
    const span = high - low || 1;
    const usableWidth = LOSS_CHART_WIDTH - 2 * LOSS_CHART_PADDING;
    const usableHeight = LOSS_CHART_HEIGHT - 2 * LOSS_CHART_PADDING;
    const points = losses.map((loss, index) => {
      const x = LOSS_CHART_PADDING + (index / (losses.length - 1)) * usableWidth;
      const y = LOSS_CHART_PADDING + ((high - loss) / span) * usableHeight;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    });

    const line = this.document.createElementNS(SVG_NAMESPACE, 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('class', 'loss-line');
    this.lossChart.append(line);
  }

  /**
   * Lists how long each step took.
   *
   * @param {{label: string, millis: number}[]} entries
   */
  showTimings(entries) {
    const rows = entries.flatMap(({ label, millis }) => [
      createElement(this.document, 'dt', null, label),
      createElement(this.document, 'dd', null, formatDuration(millis)),
    ]);
    this.timings.replaceChildren(...rows);
  }
}
