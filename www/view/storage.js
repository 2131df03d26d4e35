// Storage line of the model panel: whether the model came from this browser's
// IndexedDB or was trained here, whether saving works, and the Reset button.

import { formatAge, formatBytes, formatCount, formatTimestamp } from '../format.js';
import { requireElement } from './dom.js';

export class StorageView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.status = requireElement(document, 'storage-status');
    this.resetButton = requireElement(document, 'reset-storage');
    this.resetConfirm = requireElement(document, 'reset-confirm');
    this.resetConfirmButton = requireElement(document, 'reset-confirm-button');
    this.resetCancelButton = requireElement(document, 'reset-cancel-button');
    this.modelPanel = requireElement(document, 'model-panel');

    /** A problem that stays visible after later messages, such as a saved model that failed to load. */
    this.notice = '';
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    // Reset deletes the visitor's recorded actions, so it requests confirmation first.
    // The confirmation is page state only, so the view handles it without the controller.
    this.resetButton.addEventListener('click', () => {
      this.resetConfirm.hidden = false;
      this.resetCancelButton.focus();
    });
    this.resetCancelButton.addEventListener('click', () => {
      this.resetConfirm.hidden = true;
      this.resetButton.focus();
    });
    this.resetConfirmButton.addEventListener('click', () => {
      this.resetConfirm.hidden = true;
      handlers.resetStorage();
    });
  }

  /**
   * Marks where the running model came from.
   *
   * @param {'trained'|'restored'} origin
   */
  showOrigin(origin) {
    this.modelPanel.dataset.origin = origin;
  }

  /**
   * Shows that the page looks for a saved model.
   */
  showChecking() {
    this.#show('checking', 'Looking for a model saved in this browser…');
  }

  /**
   * Reports the stored model and the shopper actions stored after it.
   *
   * @param {{origin: 'trained'|'restored', savedAt: number, bytes: number, actions: number}} stored
   *   `origin` is "restored" while the stored model is the one this page loaded from storage
   */
  showStored({ origin, savedAt, bytes, actions }) {
    const model = `${describeTime(savedAt)}, ${formatBytes(bytes)}`;
    const count = actions === 0 ? 'no' : formatCount(actions);
    const since = `${count} shopper action${actions === 1 ? '' : 's'} recorded after it`;
    if (origin === 'restored') {
      this.#show('restored', `Restored without retraining: the model saved ${formatAge(savedAt)} (${model}), with ${since}.`);
      return;
    }
    this.#show('saved', `Saved in this browser (${model}), with ${since}. A reload restores both without retraining.`);
  }

  /**
   * Reports saved shopper actions that failed to replay onto the restored model.
   *
   * @param {number} failed
   * @param {string} firstError
   */
  showReplayFailures(failed, firstError) {
    this.notice = `${formatCount(failed)} saved shopper action${failed === 1 ? '' : 's'} could not be replayed, the first because: ${firstError}`;
    this.#show('error', this.notice);
  }

  /**
   * Reports that a saved model exists but could not be used, so a new one is built.
   *
   * @param {string} message
   */
  showRestoreFailed(message) {
    this.notice = `The saved model could not be restored, so a new one is built: ${message}`;
    this.#show('error', this.notice);
  }

  /**
   * Shows that the model is being saved.
   */
  showSaving() {
    this.#show('saving', 'Saving the model in this browser…');
  }

  /**
   * Reports a failed read or write. The page keeps working without it.
   *
   * @param {string} message
   */
  showError(message) {
    this.#show('error', message);
  }

  /**
   * Reports that this browser offers no IndexedDB, so nothing survives a reload.
   *
   * @param {string} message
   */
  showUnavailable(message) {
    this.#show('unavailable', `Nothing is saved, because this browser's IndexedDB is unavailable: ${message}`);
  }

  /**
   * Enables or disables Reset.
   *
   * @param {boolean} enabled
   */
  setResetEnabled(enabled) {
    this.resetButton.disabled = !enabled;
  }

  #show(state, text) {
    this.status.dataset.state = state;
    const keepNotice = this.notice !== '' && text !== this.notice;
    this.status.textContent = keepNotice ? `${text} ${this.notice}` : text;
  }
}

function describeTime(timestamp) {
  return formatTimestamp(timestamp)?.text ?? 'at an unknown time';
}
