// Serving panel: request count, cache hit rate and latency percentiles of
// `recommend`, the interactions recorded since the last training, and retraining.

import { formatCount, formatDuration, formatLatency, formatPercent } from '../format.js';
import { requireElement } from './dom.js';

export class ServingView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.requests = requireElement(document, 'stat-requests');
    this.cacheHitRate = requireElement(document, 'stat-cache-hit-rate');
    this.cacheEntries = requireElement(document, 'stat-cache-entries');
    this.latencies = {
      p50: requireElement(document, 'stat-p50'),
      p95: requireElement(document, 'stat-p95'),
      p99: requireElement(document, 'stat-p99'),
    };
    this.wasmBuild = requireElement(document, 'stat-wasm-build');
    this.staleness = requireElement(document, 'staleness');
    this.retrainButton = requireElement(document, 'retrain');
    this.servingStatus = requireElement(document, 'serving-status');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    this.retrainButton.addEventListener('click', () => handlers.retrain());
  }

  /**
   * Shows a snapshot of `Recommender.stats`.
   *
   * @param {{requests: number, cacheHitRate: number, cacheEntries: number,
   *   latencyMs: {p50: number, p95: number, p99: number}, interactionsSinceTraining: number,
   *   wasmBuild?: {name: string, label: string, threads: number}} stats the statistics, with the
   *   wasm build that worker.js loaded
   */
  showStats({ requests, cacheHitRate, cacheEntries, latencyMs, interactionsSinceTraining, wasmBuild }) {
    this.requests.textContent = formatCount(requests);
    this.cacheHitRate.textContent = requests > 0 ? formatPercent(cacheHitRate) : '–';
    this.cacheEntries.textContent = formatCount(cacheEntries);
    for (const [percentile, element] of Object.entries(this.latencies)) {
      element.textContent = requests > 0 ? formatLatency(latencyMs?.[percentile]) : '–';
    }
    if (wasmBuild) {
      this.wasmBuild.textContent = wasmBuild.name === 'threads' ? `${wasmBuild.label} (${wasmBuild.threads})` : wasmBuild.label;
      this.wasmBuild.dataset.build = wasmBuild.name;
      this.wasmBuild.dataset.threads = String(wasmBuild.threads);
    }

    const count = Number.isFinite(interactionsSinceTraining) ? interactionsSinceTraining : 0;
    this.staleness.dataset.count = String(count);
    this.staleness.dataset.stale = String(count > 0);
    this.staleness.textContent = `${formatCount(count)} interaction${count === 1 ? '' : 's'} since the last training`;
  }

  /**
   * Reports that the statistics could not be read.
   *
   * @param {string} message
   */
  showStatsError(message) {
    this.#showStatus(`Could not read the serving statistics: ${message}`, 'error');
  }

  /**
   * Shows that retraining is running. The model panel shows its progress.
   */
  showRetraining() {
    this.#showStatus('Retraining on all interactions…', 'info');
  }

  /**
   * Reports a finished retraining.
   *
   * @param {{interactions: number, totalMillis: number}} report the training report of `Recommender.train`
   */
  showRetrained({ interactions, totalMillis }) {
    this.#showStatus(
      `Retrained on ${formatCount(interactions)} interactions in ${formatDuration(totalMillis)}.`,
      'info',
    );
  }

  /**
   * Reports a failed retraining. The previous models stay in use.
   *
   * @param {string} message
   */
  showRetrainError(message) {
    this.#showStatus(`Retraining failed, so the previous models stay in use: ${message}`, 'error');
  }

  /**
   * Enables or disables the retrain button.
   *
   * @param {boolean} enabled
   */
  setRetrainEnabled(enabled) {
    this.retrainButton.disabled = !enabled;
  }

  #showStatus(message, kind) {
    this.servingStatus.textContent = message;
    this.servingStatus.dataset.kind = kind;
  }
}
