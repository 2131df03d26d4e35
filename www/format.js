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
const latencyFormat = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 3 });
const relativeTimeFormat = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'always' });

/** Units of formatAge, largest first, in milliseconds. */
const AGE_UNITS = [
  { unit: 'day', millis: 86_400_000 },
  { unit: 'hour', millis: 3_600_000 },
  { unit: 'minute', millis: 60_000 },
  { unit: 'second', millis: 1000 },
];

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
 * Formats a share in [0, 1] as a percentage, for example "42.5%".
 *
 * @param {number} share
 * @param {number} [decimals] digits after the decimal point
 * @returns {string}
 */
export function formatPercent(share, decimals = 1) {
  if (!Number.isFinite(share)) {
    return MISSING;
  }
  return share.toLocaleString(LOCALE, {
    style: 'percent',
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
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

/**
 * Formats a number with a fixed number of decimals and thousands separators.
 *
 * @param {number} value
 * @param {number} decimals
 * @returns {string}
 */
export function formatDecimal(value, decimals) {
  if (!Number.isFinite(value)) {
    return MISSING;
  }
  return value.toLocaleString(LOCALE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * Formats a difference of two shares in percentage points with its sign, for example "+2.59 pp".
 *
 * @param {number} difference in [-1, 1]
 * @returns {string}
 */
export function formatPointDifference(difference) {
  if (!Number.isFinite(difference)) {
    return MISSING;
  }
  return `${signOf(difference)}${Math.abs(difference * 100).toFixed(2)} pp`;
}

/**
 * Formats a difference of two prices with its sign, for example "+$24.43".
 *
 * @param {number} difference
 * @returns {string}
 */
export function formatPriceDifference(difference) {
  if (!Number.isFinite(difference)) {
    return MISSING;
  }
  return `${signOf(difference)}${priceFormat.format(Math.abs(difference))}`;
}

/**
 * Formats a p-value with three decimals, or in scientific notation below 0.001,
 * for example "0.042" or "6.7e-15".
 *
 * @param {number} pValue
 * @returns {string}
 */
export function formatPValue(pValue) {
  if (!Number.isFinite(pValue)) {
    return MISSING;
  }
  if (pValue !== 0 && pValue < 0.001) {
    return pValue.toExponential(1);
  }
  return pValue.toFixed(3);
}

/**
 * Describes how long ago a moment was, for example "5 minutes ago", or "just now" below one second.
 *
 * @param {number} timestamp milliseconds since the Unix epoch
 * @param {number} [now] the current time, in the same unit
 * @returns {string}
 */
export function formatAge(timestamp, now = Date.now()) {
  if (!Number.isFinite(timestamp)) {
    return MISSING;
  }

  const elapsed = Math.max(now - timestamp, 0);
  const unit = AGE_UNITS.find((candidate) => elapsed >= candidate.millis);
  if (unit === undefined) {
    return 'just now';
  }
  return relativeTimeFormat.format(-Math.floor(elapsed / unit.millis), unit.unit);
}

/**
 * Formats a size in bytes in kB or MB (powers of 1000), for example "13.1 MB".
 *
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) {
    return MISSING;
  }
  if (bytes < 1_000_000) {
    return `${formatDecimal(bytes / 1000, 1)} kB`;
  }
  return `${formatDecimal(bytes / 1_000_000, 1)} MB`;
}

/** Returns "+" for a positive difference, the minus sign "−" for a negative one, and "±" for zero. */
function signOf(difference) {
  if (difference > 0) {
    return '+';
  }
  if (difference < 0) {
    return '−';
  }
  return '±';
}
