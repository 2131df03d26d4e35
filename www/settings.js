// Page settings read from the URL query, so that tests and demos can ask for a
// smaller catalog, for example ?users=2000&products=1000. A parameter that is
// absent leaves the library default in place (10000 users, 5000 products,
// 90 days, seed 42 for the catalog).

/** Query parameters by destination, each an integer with its allowed range (inclusive). */
const CATALOG_PARAMETERS = {
  users: { min: 1, max: 1_000_000 },
  products: { min: 1, max: 1_000_000 },
  days: { min: 1, max: 3650 },
  seed: { min: 0, max: 2 ** 32 - 1 },
};
const TRAINING_PARAMETERS = {
  factors: { min: 1, max: 512 },
  iterations: { min: 1, max: 100 },
};
// The evaluation options keep the query names short: evalUsers maps to maxUsers.
const EVALUATION_PARAMETERS = {
  evalUsers: { option: 'maxUsers', min: 1, max: 1_000_000 },
  testDays: { option: 'testDays', min: 1, max: 3650 },
};

/** Cutoff k of the evaluation table, in products per user. */
export const EVALUATION_K = 10;

/**
 * Reads catalog, training and evaluation options from a URL query string.
 *
 * @param {string} search the query string, such as `location.search`
 * @returns {{catalog: object, training: object, evaluation: object}} options for
 *   `Recommender.synthetic`, `train` and `evaluate`
 * @throws {Error} when a parameter is not an integer in its allowed range
 */
export function readSettings(search) {
  const query = new URLSearchParams(search);

  const catalog = {};
  for (const [name, range] of Object.entries(CATALOG_PARAMETERS)) {
    setIfPresent(catalog, name, readInteger(query, name, range));
  }

  const training = {};
  for (const [name, range] of Object.entries(TRAINING_PARAMETERS)) {
    setIfPresent(training, name, readInteger(query, name, range));
  }

  const evaluation = { k: EVALUATION_K };
  for (const [name, range] of Object.entries(EVALUATION_PARAMETERS)) {
    setIfPresent(evaluation, range.option, readInteger(query, name, range));
  }

  return { catalog, training, evaluation };
}

function readInteger(query, name, { min, max }) {
  const text = query.get(name);
  if (text === null) {
    return undefined;
  }

  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`invalid URL parameter ${name}=${text}: expected an integer from ${min} to ${max}`);
  }
  return value;
}

function setIfPresent(target, name, value) {
  if (value !== undefined) {
    target[name] = value;
  }
}

/**
 * Returns a text that is equal for equal settings, to key what the page stores
 * in IndexedDB, so that a model is restored only for the settings it was built with.
 *
 * @param {{catalog: object, training: object, evaluation: object}} settings from readSettings
 * @returns {string} such as "catalog:products=1000,users=2000;training:;evaluation:k=10"
 */
export function settingsKey({ catalog, training, evaluation }) {
  const describe = (options) =>
    Object.keys(options)
      .sort()
      .map((name) => `${name}=${options[name]}`)
      .join(',');
  return `catalog:${describe(catalog)};training:${describe(training)};evaluation:${describe(evaluation)}`;
}
