// A/B simulation panel: the control and treatment choosers, the button that runs
// the simulation, the result of each arm, their difference, and whether the
// difference in conversion is significant at the 5% level.

import {
  formatCount,
  formatDecimal,
  formatPercent,
  formatPointDifference,
  formatPrice,
  formatPriceDifference,
  formatPValue,
} from '../format.js';
import { createElement, requireElement } from './dom.js';

/** Significance level of the verdict. */
const ALPHA = 0.05;

/** Result columns after the arm's name and settings, in table order. */
const RESULT_COLUMNS = ['users', 'ctr', 'conversion', 'aov', 'revenue'];

export class AbTestView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.control = requireElement(document, 'ab-control');
    this.treatment = requireElement(document, 'ab-treatment');
    this.runButton = requireElement(document, 'run-ab-test');
    this.status = requireElement(document, 'ab-status');
    this.table = requireElement(document, 'ab-results');
    this.body = requireElement(document, 'ab-results-body');
    this.statistic = requireElement(document, 'ab-statistic');
    this.verdict = requireElement(document, 'ab-verdict');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    this.runButton.addEventListener('click', () => handlers.runAbTest(this.control.value, this.treatment.value));
  }

  /**
   * Offers the arms in both choosers and selects the defaults.
   *
   * @param {{key: string, label: string}[]} arms
   * @param {{control: string, treatment: string}} selected keys of the initial choices
   */
  showArms(arms, { control, treatment }) {
    for (const [select, key] of [
      [this.control, control],
      [this.treatment, treatment],
    ]) {
      select.replaceChildren(...arms.map((arm) => new Option(arm.label, arm.key)));
      select.value = key;
    }
  }

  /**
   * Enables or disables "Run A/B test".
   *
   * @param {boolean} enabled
   */
  setRunEnabled(enabled) {
    this.runButton.disabled = !enabled;
  }

  /**
   * Shows that the simulation is running.
   */
  showRunning() {
    this.table.dataset.state = 'running';
    this.#showStatus('Simulating…', 'info');
  }

  /**
   * Shows both arms, their difference and the verdict.
   *
   * @param {{control: object, treatment: object, difference: {ctr: number, conversion: number, aov: number},
   *   z: number, pValue: number}} result the result of `Recommender.simulateAbTest`
   * @param {{control: string, treatment: string}} labels description of each arm's settings
   */
  show({ control, treatment, difference, z, pValue }, labels) {
    this.body.replaceChildren(
      this.#createArmRow('Control', labels.control, control),
      this.#createArmRow('Treatment', labels.treatment, treatment),
      this.#createRow('difference', 'Treatment − control', '', {
        ctr: formatPointDifference(difference.ctr),
        conversion: formatPointDifference(difference.conversion),
        aov: formatPriceDifference(difference.aov),
      }),
    );

    this.statistic.textContent = `z = ${formatDecimal(z, 2)} · p-value ${formatPValue(pValue)}`;
    this.statistic.dataset.pValue = String(pValue);

    const significant = pValue < ALPHA;
    const direction = difference.conversion > 0 ? 'better' : 'worse';
    this.verdict.dataset.significant = String(significant);
    this.verdict.textContent = significant
      ? `Significant at the 5% level (p < 0.05): the treatment converts ${direction} than the control. ` +
        'Two identical arms would differ this much in fewer than 5% of tests.'
      : 'Not significant at the 5% level (p ≥ 0.05): two identical arms would differ this much in conversion ' +
        'in at least 5% of tests, so this test cannot tell the arms apart.';
    this.verdict.hidden = false;

    this.table.dataset.state = 'ready';
    this.#showStatus(`Simulated ${formatCount(control.users + treatment.users)} users.`, 'info');
  }

  /**
   * Explains why the simulation cannot run for this catalog.
   *
   * @param {string} message
   */
  showUnavailable(message) {
    this.table.dataset.state = 'unavailable';
    this.body.replaceChildren();
    this.statistic.textContent = '';
    delete this.statistic.dataset.pValue;
    this.verdict.hidden = true;
    this.#showStatus(message, 'info');
  }

  /**
   * Clears the explanation of showUnavailable.
   */
  showAvailable() {
    if (this.table.dataset.state === 'unavailable') {
      this.table.dataset.state = 'idle';
      this.#showStatus('', 'info');
    }
  }

  /**
   * Shows why the simulation failed.
   *
   * @param {string} message
   */
  showError(message) {
    this.table.dataset.state = 'error';
    this.body.replaceChildren();
    this.statistic.textContent = '';
    delete this.statistic.dataset.pValue;
    this.verdict.hidden = true;
    this.#showStatus(`The A/B simulation failed: ${message}`, 'error');
  }

  #createArmRow(name, settings, { users, ctr, conversion, aov, revenue }) {
    return this.#createRow(name.toLowerCase(), name, settings, {
      users: formatCount(users),
      ctr: formatPercent(ctr, 2),
      conversion: formatPercent(conversion, 2),
      aov: formatPrice(aov),
      revenue: formatPrice(revenue),
    });
  }

  /** Creates a result row: the arm name as row header, its settings, then one cell per result column. */
  #createRow(arm, name, settings, cells) {
    const row = this.document.createElement('tr');
    row.dataset.arm = arm;
    const header = createElement(this.document, 'th', null, name);
    header.scope = 'row';
    row.append(header, createElement(this.document, 'td', 'arm-settings', settings));

    for (const column of RESULT_COLUMNS) {
      const cell = createElement(this.document, 'td', null, cells[column] ?? '');
      cell.dataset.metric = column;
      row.append(cell);
    }
    return row;
  }

  #showStatus(message, kind) {
    this.status.textContent = message;
    this.status.dataset.kind = kind;
  }
}
