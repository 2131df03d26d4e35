// "Train on your own catalog" in the model panel: the CSV file fields, the load
// options and the outcome of the last load.

import { formatCount } from '../format.js';
import { requireElement } from './dom.js';

export class UploadView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.form = requireElement(document, 'catalog-form');
    this.interactionsFile = requireElement(document, 'interactions-file');
    this.productsFile = requireElement(document, 'products-file');
    this.usersFile = requireElement(document, 'users-file');
    this.options = requireElement(document, 'load-options');
    this.submit = requireElement(document, 'catalog-submit');
    this.status = requireElement(document, 'catalog-status');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const interactions = this.interactionsFile.files?.[0] ?? null;
      if (interactions === null) {
        this.showStatus('Choose an interactions CSV file first.', 'error');
        return;
      }
      handlers.loadCatalogFiles({
        interactions,
        products: this.productsFile.files?.[0] ?? null,
        users: this.usersFile.files?.[0] ?? null,
        optionsText: this.options.value,
      });
    });
  }

  /**
   * @param {boolean} enabled
   */
  setEnabled(enabled) {
    this.submit.disabled = !enabled;
  }

  /**
   * Shows the counts of a finished load, including the rows skipped by policy.
   *
   * @param {{products: number, users: number, interactions: number,
   *   skipped: {unknownProducts: number, cancellations: number, excludedProducts: number, skippedEventTypes: number}}} report
   *   from `Recommender.loadReport`
   */
  showLoaded(report) {
    const skipped = Object.values(report.skipped).reduce((sum, count) => sum + count, 0);
    const skippedText = skipped === 0 ? '' : `, skipped ${formatCount(skipped)} rows by policy`;
    this.showStatus(
      `Loaded ${formatCount(report.products)} products, ${formatCount(report.users)} users and ` +
        `${formatCount(report.interactions)} interactions${skippedText}.`,
      'info',
    );
  }

  /**
   * @param {string} text set through textContent
   * @param {'info'|'error'|'busy'} state
   */
  showStatus(text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
    this.status.hidden = text === '';
  }
}
