// Text formatting for the page: prices, counts, durations, latencies and scores.
// Pure functions without DOM access, so the view modules stay about elements only.

const LOCALE = 'en-US';
const CURRENCY = 'USD';

/** Text shown in place of a missing or non-finite number. */
const MISSING = '–';

const priceFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY });
const countFormat = new Intl.NumberFormat(LOCALE);
const lossFormat = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 });
const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const percentFormat = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const latencyFormat = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 3 });

/**
 * Formats a price in the catalog currency, for example "$19.99".
 *
 * @param {number} price
 * @returns {string}
 */
export function formatPrice(price) {
  return Number.isFinite(price) ? priceFormat.format(price) : MISSING;
}

/**
 * Formats a count with thousands separators.
 *
 * @param {number} count
 * @returns {string}
 */
export function formatCount(count) {
  return Number.isFinite(count) ? countFormat.format(count) : MISSING;
}

/**
 * Formats an ALS loss value with four significant digits.
 *
 * @param {number} loss
 * @returns {string}
 */
export function formatLoss(loss) {
  return Number.isFinite(loss) ? lossFormat.format(loss) : MISSING;
}

/**
 * Formats a Unix timestamp as a local date and time.
 *
 * @param {number} timestamp milliseconds since the Unix epoch
 * @returns {{text: string, iso: string} | null} null for a timestamp that is not a valid date
 */
export function formatTimestamp(timestamp) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) {
    return null;
  }
  return { text: dateFormat.format(date), iso: date.toISOString() };
}

/**
 * Describes a user's activity, such as "1 interaction" or "no interactions yet".
 *
 * @param {number} interactions
 * @returns {string}
 */
export function describeActivity(interactions) {
  if (interactions === 0) {
    return 'no interactions yet';
  }
  return `${formatCount(interactions)} interaction${interactions === 1 ? '' : 's'}`;
}

/**
 * Formats a duration in milliseconds below one second and in seconds above.
 *
 * @param {number} millis
 * @returns {string}
 */
export function formatDuration(millis) {
  if (!Number.isFinite(millis)) {
    return MISSING;
  }
  if (millis < 1000) {
    return `${Math.round(millis)} ms`;
  }
  return `${(millis / 1000).toFixed(2)} s`;
}

/**
 * Formats a recommendation score or component score with three decimals.
 *
 * @param {number} value
 * @returns {string}
 */
export function formatScore(value) {
  return Number.isFinite(value) ? value.toFixed(3) : MISSING;
}

/**
 * Formats an evaluation metric with four decimals, because precision at k is often below 0.01.
 *
 * @param {number} value
 * @returns {string}
 */
export function formatMetric(value) {
  return Number.isFinite(value) ? value.toFixed(4) : MISSING;
}

/**
 * Maps a text to a stable index in [0, count), so that equal texts get equal colours.
 *
 * @param {string} text
 * @param {number} count
 * @returns {number}
 */
export function hashToIndex(text, count) {
  let hash = 0;
  for (const character of String(text)) {
    hash = (hash * 31 + character.codePointAt(0)) >>> 0;
  }
  return hash % count;
}

/**
 * Returns the first character of a text in upper case, or "?" for an empty text.
 *
 * @param {string} text
 * @returns {string}
 */
export function initialOf(text) {
  const first = String(text).trim().codePointAt(0);
  return first === undefined ? '?' : String.fromCodePoint(first).toUpperCase();
}

/**
 * Formats a share in [0, 1] as a percentage with one decimal, for example "42.5%".
 *
 * @param {number} share
 * @returns {string}
 */
export function formatPercent(share) {
  return Number.isFinite(share) ? percentFormat.format(share) : MISSING;
}

/**
 * Formats a latency in milliseconds with three significant digits, because
 * cached requests take well under a millisecond.
 *
 * @param {number} millis
 * @returns {string}
 */
export function formatLatency(millis) {
  return Number.isFinite(millis) ? `${latencyFormat.format(millis)} ms` : MISSING;
}
