// Recommendation cards: thumbnail, product details, score, reason, the score of
// each blend component, and the shopper's actions on the product.

import { formatPrice, formatScore, hashToIndex, initialOf } from '../format.js';
import { createButton, createElement } from './dom.js';

/** Number of colour classes (.hue-0 … .hue-7 in style.css) for category thumbnails. */
const THUMBNAIL_HUES = 8;

const COMPONENTS = [
  { key: 'collaborative', label: 'Collaborative' },
  { key: 'content', label: 'Content' },
  { key: 'popularity', label: 'Popularity' },
];

/**
 * Card actions in display order. `action` is the data-action value that
 * recommendations.js maps to a handler; `label` builds the accessible name.
 */
const ACTIONS = [
  { action: 'view', text: 'View', className: 'button secondary', label: (name) => `View ${name}` },
  { action: 'add-to-cart', text: 'Add to cart', className: 'button', label: (name) => `Add ${name} to the cart` },
  { action: 'buy', text: 'Buy', className: 'button buy', label: (name) => `Buy ${name}` },
  {
    action: 'not-interested',
    text: 'Not interested',
    className: 'button quiet',
    label: (name) => `Not interested in ${name}`,
  },
];

/**
 * Creates the card of one recommendation.
 *
 * @param {Document} document
 * @param {{productId: string|number, name: string, category: string, brand: string, price: number,
 *   score: number, reason: string, components?: Record<string, number>}} item
 * @param {number} rank position in the list, from 1
 * @returns {HTMLLIElement}
 */
export function createCard(document, item, rank) {
  const card = createElement(document, 'li', 'card');
  card.dataset.testid = 'recommendation-card';
  card.dataset.productId = String(item.productId);
  card.dataset.category = item.category;

  const thumbnail = createElement(document, 'div', `thumbnail hue-${hashToIndex(item.category, THUMBNAIL_HUES)}`);
  thumbnail.setAttribute('aria-hidden', 'true');
  thumbnail.append(createElement(document, 'span', 'thumbnail-letter', initialOf(item.category)));
  thumbnail.append(createElement(document, 'span', 'rank', `#${rank}`));

  const body = createElement(document, 'div', 'card-body');
  body.append(createElement(document, 'p', 'card-category', item.category));
  body.append(createElement(document, 'h3', 'card-title', item.name));
  body.append(createElement(document, 'p', 'card-brand', item.brand));

  const priceRow = createElement(document, 'div', 'price-row');
  priceRow.append(createElement(document, 'span', 'price', formatPrice(item.price)));
  const score = createElement(document, 'span', 'score', `score ${formatScore(item.score)}`);
  score.dataset.testid = 'score';
  priceRow.append(score);
  body.append(priceRow);

  const reason = createElement(document, 'p', 'reason', item.reason);
  reason.dataset.testid = 'reason';
  body.append(reason);

  body.append(createComponentBars(document, item.components ?? {}));

  const actions = createElement(document, 'div', 'card-actions');
  for (const { action, text, className, label } of ACTIONS) {
    const button = createButton(document, className, text, label(item.name));
    button.dataset.action = action;
    button.dataset.testid = `card-${action}`;
    actions.append(button);
  }
  body.append(actions);

  card.append(thumbnail, body);
  return card;
}

function createComponentBars(document, components) {
  const list = createElement(document, 'dl', 'components');
  for (const { key, label } of COMPONENTS) {
    const value = components[key];
    const term = createElement(document, 'dt', null, label);
    const detail = createElement(document, 'dd');

    // NOTE: the bar assumes component scores in [0, 1] and clamps anything outside.
    const bar = createElement(document, 'span', 'bar');
    const fill = createElement(document, 'span', `bar-fill bar-${key}`);
    const width = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
    fill.style.width = `${(width * 100).toFixed(1)}%`;
    bar.append(fill);

    detail.append(bar, createElement(document, 'span', 'bar-value', formatScore(value)));
    list.append(term, detail);
  }
  return list;
}
