// The strategies that `Recommender.evaluate` reports, in table and legend order.
// `key` is the field of the evaluation report and the suffix of the CSS class
// series-<key> that gives the strategy its colour in every table and chart.
// `shortLabel` fits the chart legends.

/** @type {{key: string, label: string, shortLabel: string}[]} */
export const STRATEGIES = [
  { key: 'popularity', label: 'Popularity', shortLabel: 'Popularity' },
  { key: 'collaborative', label: 'Collaborative (ALS)', shortLabel: 'Collaborative' },
  { key: 'content', label: 'Content', shortLabel: 'Content' },
  { key: 'hybrid', label: 'Hybrid', shortLabel: 'Hybrid' },
  { key: 'hybrid_mmr', label: 'Hybrid + MMR', shortLabel: 'Hybrid + MMR' },
];

/** User segments of the evaluation, by their interactions before the test window. */
export const SEGMENTS = [
  { key: 'cold', label: 'Cold', description: 'no interactions before the test window' },
  { key: 'new', label: 'New', description: '1 to 4 interactions before the test window' },
  { key: 'active', label: 'Active', description: '5 or more interactions before the test window' },
];
