// DOM helpers shared by the view modules. Text always goes in through
// textContent, never through innerHTML.

import { formatTimestamp } from '../format.js';

/**
 * Returns the element with the given id.
 *
 * @param {Document} document
 * @param {string} id
 * @returns {HTMLElement}
 * @throws {Error} when index.html has no such element, so a renamed id fails at startup
 */
export function requireElement(document, id) {
  const element = document.getElementById(id);
  if (element === null) {
    throw new Error(`index.html has no element with id "${id}"`);
  }
  return element;
}

/**
 * Creates an element with an optional class name and text.
 *
 * @param {Document} document
 * @param {string} tag
 * @param {string|null} [className]
 * @param {string|null} [text] set through textContent
 * @returns {HTMLElement}
 */
export function createElement(document, tag, className = null, text = null) {
  const element = document.createElement(tag);
  if (className !== null) {
    element.className = className;
  }
  if (text !== null) {
    element.textContent = text;
  }
  return element;
}

/**
 * Creates a `<time>` element for a timestamp, or a dash for an invalid one.
 *
 * @param {Document} document
 * @param {number} timestamp milliseconds since the Unix epoch
 * @returns {HTMLElement}
 */
export function createTimeElement(document, timestamp) {
  const formatted = formatTimestamp(timestamp);
  if (formatted === null) {
    return createElement(document, 'span', null, '–');
  }

  const time = createElement(document, 'time', null, formatted.text);
  time.dateTime = formatted.iso;
  return time;
}

/**
 * Creates a button of type "button".
 *
 * @param {Document} document
 * @param {string} className
 * @param {string} text
 * @param {string} [label] accessible name when the visible text needs context
 * @returns {HTMLButtonElement}
 */
export function createButton(document, className, text, label) {
  const button = createElement(document, 'button', className, text);
  button.type = 'button';
  if (label !== undefined) {
    button.setAttribute('aria-label', label);
  }
  return button;
}
