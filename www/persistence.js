// Keeps the page's work across reloads: the trained model as `Recommender.save()`
// bytes, then every shopper action recorded after that save, in the IndexedDB
// store of store.js. A reload loads the bytes and replays the actions instead of
// training. Every outcome, including each failed read or write, is shown in the
// model panel's storage line, and no method rejects.

import { ModelStore } from './store.js';

export class Persistence {
  #engine;
  #view;
  #key;
  #reload;

  /** @type {ModelStore|null} null before load() and when IndexedDB is unavailable */
  #store = null;

  /** The selected user, stored again with every new model. */
  #userId;

  /**
   * The stored model as the storage line describes it, or null while none is stored.
   * @type {{origin: 'trained'|'restored', savedAt: number, bytes: number, actions: number} | null}
   */
  #stored = null;

  /**
   * @param {import('./engine.js').Engine} engine
   * @param {import('./view/storage.js').StorageView} view
   * @param {string} key the page settings, from settingsKey in settings.js
   * @param {() => void} reload reloads the page after a reset
   */
  constructor(engine, view, key, reload) {
    this.#engine = engine;
    this.#view = view;
    this.#key = key;
    this.#reload = reload;
  }

  /**
   * Opens the store and reads the model saved for these settings.
   *
   * @returns {Promise<{model: import('./store.js').StoredModel, size: number,
   *   journal: import('./store.js').JournalAction[], page: import('./store.js').PageState|null} | null>}
   *   `size` is the model's length in bytes; null when nothing is saved or storage failed
   */
  async load() {
    this.#view.showChecking();
    try {
      this.#store = await ModelStore.open(this.#key);
    } catch (error) {
      this.#view.showUnavailable(error.message);
      return null;
    } finally {
      // Reset before this point could not delete what is about to be restored.
      this.#view.setResetEnabled(true);
    }

    let saved;
    try {
      saved = await this.#store.load();
    } catch (error) {
      this.#view.showError(`Could not read the saved model, so the page trains a new one: ${error.message}`);
      return null;
    }
    if (saved.model === null) {
      return null;
    }
    return { ...saved, size: saved.model.bytes.byteLength };
  }

  /**
   * Reports a restored model and the outcome of replaying its journal.
   *
   * @param {{savedAt: number}} model the stored model
   * @param {number} size its length in bytes
   * @param {{replayed: number, failed: number, firstError: string|null}} replay from `Engine.replay`
   */
  showRestored({ savedAt }, size, { replayed, failed, firstError }) {
    this.#stored = { origin: 'restored', savedAt, bytes: size, actions: replayed + failed };
    this.#view.showOrigin('restored');
    this.#view.showStored(this.#stored);
    if (failed > 0) {
      this.#view.showReplayFailures(failed, firstError);
    }
  }

  /**
   * Reports a saved model that could not be loaded. The next saveModel replaces it.
   *
   * @param {string} message
   */
  showRestoreFailed(message) {
    this.#view.showRestoreFailed(message);
  }

  /**
   * Stores the worker's current model in place of everything stored before.
   *
   * @param {object} training the training report of `Recommender.train`, shown again after a restore
   * @param {{keepPage: boolean}} options true after a retraining, to keep the evaluation and the selected user
   * @returns {Promise<void>}
   */
  async saveModel(training, { keepPage }) {
    this.#view.showOrigin('trained');
    if (this.#store === null) {
      return;
    }

    this.#view.showSaving();
    let bytes;
    try {
      bytes = await this.#engine.save();
    } catch (error) {
      this.#view.showError(`Could not serialize the model, so a reload trains again: ${error.message}`);
      return;
    }

    // The write must be queued before the journal entry of any action that the
    // worker applied after this save, so nothing is awaited between the two.
    const savedAt = Date.now();
    const written = this.#store.saveModel({ bytes, savedAt, training }, { keepPage, userId: this.#userId });
    this.#stored = null;
    try {
      await written;
    } catch (error) {
      this.#view.showError(`Could not save the model in this browser, so a reload trains again: ${error.message}`);
      return;
    }
    this.#stored = { origin: 'trained', savedAt, bytes: bytes.byteLength, actions: 0 };
    this.#view.showStored(this.#stored);
  }

  /**
   * Appends a shopper action that the worker applied, so a reload replays it.
   * Call it as soon as the worker confirms the action, before anything else
   * awaits, so the journal keeps the worker's order.
   *
   * @param {import('./store.js').JournalAction} action
   * @returns {Promise<void>} resolves once the action is stored or its failure is shown
   */
  async recordAction(action) {
    if (this.#store === null) {
      return;
    }
    try {
      await this.#store.appendAction(action);
    } catch (error) {
      this.#view.showError(`Could not save a shopper action in this browser, so a reload loses it: ${error.message}`);
      return;
    }
    if (this.#stored !== null) {
      this.#stored.actions += 1;
      this.#view.showStored(this.#stored);
    }
  }

  /**
   * Stores an evaluation report, so a reload shows it without evaluating again.
   *
   * @param {{metrics: object, millis: number, evaluatedAt: number}} evaluation
   */
  async saveEvaluation(evaluation) {
    await this.#updatePage({ evaluation }, 'the evaluation');
  }

  /**
   * Stores the selected user, so a reload selects them again.
   *
   * @param {string|number} userId
   */
  async saveUser(userId) {
    this.#userId = userId;
    await this.#updatePage({ userId }, 'the selected user');
  }

  /**
   * Deletes everything stored and reloads the page, which then builds and trains
   * from scratch. When deleting fails, the page shows why and stays.
   */
  async reset() {
    this.#view.setResetEnabled(false);
    if (this.#store !== null) {
      try {
        await this.#store.clear();
      } catch (error) {
        this.#view.showError(`Reset failed, so the saved data is still there: ${error.message}`);
        this.#view.setResetEnabled(true);
        return;
      }
    }
    this.#reload();
  }

  async #updatePage(changes, description) {
    if (this.#store === null) {
      return;
    }
    try {
      await this.#store.updatePage(changes);
    } catch (error) {
      this.#view.showError(`Could not save ${description} in this browser: ${error.message}`);
    }
  }
}
