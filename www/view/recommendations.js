// Recommendations panel: the caption of the query, the product cards, the
// diversity of the shown list, and the outcome of the last card action.

import { formatCount } from '../format.js';
import { createCard } from './cards.js';
import { requireElement } from './dom.js';

export class RecommendationsView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.caption = requireElement(document, 'recommendations-caption');
    this.message = requireElement(document, 'recommendations-message');
    this.actionStatus = requireElement(document, 'action-status');
    this.listMetrics = requireElement(document, 'list-metrics');
    this.listDiversity = requireElement(document, 'list-diversity');
    this.listCategories = requireElement(document, 'list-categories');
    this.actions = requireElement(document, 'recommendation-actions');
    this.list = requireElement(document, 'recommendations');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    const handlersByAction = {
      view: handlers.viewProduct,
      'add-to-cart': handlers.addToCart,
      buy: handlers.buyProduct,
      'not-interested': handlers.dismissProduct,
    };

    this.list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (button === null) {
        return;
      }
      const productKey = button.closest('[data-product-id]').dataset.productId;
      handlersByAction[button.dataset.action]?.(productKey);
    });
  }

  /**
   * Marks the list as waiting for a new result.
   */
  showLoading() {
    this.list.dataset.state = 'loading';
    this.list.setAttribute('aria-busy', 'true');
  }

  /**
   * Replaces the list with a message, for a query that cannot run yet (no product
   * picked, empty cart) or that failed.
   *
   * @param {string} message
   * @param {'info'|'error'} kind
   * @param {string} context the context the message is about
   */
  showMessage(message, kind, context) {
    this.list.replaceChildren();
    this.list.dataset.state = kind === 'error' ? 'error' : 'idle';
    this.list.dataset.context = context;
    this.list.removeAttribute('aria-busy');
    this.caption.textContent = '';
    this.listMetrics.hidden = true;
    this.#showMessage(message, kind);
  }

  /**
   * Shows an error that stops the page, such as a missing wasm package.
   *
   * @param {string} message
   */
  showFatal(message) {
    this.#showMessage(message, 'error');
    this.list.dataset.state = 'error';
  }

  /**
   * Renders the recommendations as product cards. The diversity of the list stays
   * pending until showListMetrics.
   *
   * @param {object[]} items results of `Recommender.recommend`, in list order
   * @param {{context: string, caption: string}} details
   */
  show(items, { context, caption }) {
    this.message.hidden = true;
    this.caption.textContent = caption;

    if (items.length === 0) {
      this.#showMessage('The recommender returned no products for this query.', 'info');
    }

    this.list.replaceChildren(...items.map((item, index) => createCard(this.document, item, index + 1)));
    this.list.dataset.context = context;
    this.list.dataset.state = 'ready';
    this.list.removeAttribute('aria-busy');

    this.listMetrics.hidden = items.length === 0;
    this.listMetrics.dataset.state = 'pending';
    this.listDiversity.textContent = '…';
    this.listDiversity.removeAttribute('title');
    this.listCategories.textContent = '…';
  }

  /**
   * Shows the diversity of the rendered list.
   *
   * @param {{diversity: number|null, categories: number, error?: string}} metrics diversity
   *   null when it is undefined (fewer than two products) or could not be computed
   */
  showListMetrics({ diversity, categories, error }) {
    this.listMetrics.dataset.state = error === undefined ? 'ready' : 'error';
    this.listDiversity.textContent = Number.isFinite(diversity) ? diversity.toFixed(3) : '–';
    if (error !== undefined) {
      this.listDiversity.title = error;
    }
    this.listCategories.textContent = formatCount(categories);
  }

  /**
   * Reports what a card action recorded, or why it failed, or clears the report
   * for an empty message.
   *
   * @param {string} message
   * @param {'info'|'error'} [kind]
   */
  showActionStatus(message, kind = 'info') {
    this.actionStatus.textContent = message;
    this.actionStatus.dataset.kind = kind;
    this.actionStatus.hidden = message === '';
  }

  /**
   * Enables or disables the action buttons of every card.
   *
   * @param {boolean} enabled
   */
  setActionsEnabled(enabled) {
    this.actions.disabled = !enabled;
  }

  #showMessage(message, kind) {
    this.message.textContent = message;
    this.message.dataset.kind = kind;
    this.message.hidden = false;
  }
}
