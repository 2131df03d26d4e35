// Activity history panel: the user's most recent interactions, newest first.

import { describeActivity, formatCount } from '../format.js';
import { createElement, createTimeElement, requireElement } from './dom.js';

/** Interactions shown in the history table, newest first. */
const HISTORY_ROWS = 25;

const EVENT_LABELS = {
  view: 'Viewed',
  cart: 'Added to cart',
  purchase: 'Purchased',
  rating: 'Rated',
  not_interested: 'Not interested',
};

export class HistoryView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.caption = requireElement(document, 'history-caption');
    this.body = requireElement(document, 'history-body');
  }

  /**
   * Lists the user's most recent interactions, newest first.
   *
   * @param {{productId: string|number, name: string, type: string, timestamp: number, value: number|null}[]} history
   *   in chronological order
   */
  show(history) {
    if (history.length === 0) {
      this.caption.textContent = 'No interactions: a brand-new visitor.';
      this.body.replaceChildren();
      return;
    }

    const recent = history.slice(-HISTORY_ROWS).reverse();
    this.caption.textContent =
      recent.length < history.length
        ? `${recent.length} most recent of ${formatCount(history.length)}`
        : describeActivity(history.length);

    this.body.replaceChildren(
      ...recent.map((entry) => {
        const row = this.document.createElement('tr');
        row.dataset.testid = 'history-row';
        row.dataset.productId = String(entry.productId);
        row.dataset.type = entry.type;

        const date = createElement(this.document, 'td', 'nowrap');
        date.append(createTimeElement(this.document, entry.timestamp));

        const event = createElement(this.document, 'td');
        const label = EVENT_LABELS[entry.type] ?? entry.type;
        const badge = createElement(this.document, 'span', `badge badge-${entry.type}`, label);
        event.append(badge);
        if (entry.type === 'rating' && entry.value !== null) {
          event.append(createElement(this.document, 'span', 'rating', ` ${entry.value}★`));
        }

        row.append(date, event, createElement(this.document, 'td', null, entry.name));
        return row;
      }),
    );
  }

  /**
   * Empties the history table and shows why.
   *
   * @param {string} message
   */
  showError(message) {
    this.caption.textContent = message;
    this.body.replaceChildren();
  }
}
