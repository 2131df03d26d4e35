// IndexedDB storage of the demo: the trained model as `Recommender.save()` bytes,
// the shopper actions recorded after that save (a journal to replay onto it),
// and small page state (the evaluation report, the selected user). Records are
// keyed by the page settings, and the store keeps one model: saving a model
// deletes every other record. No DOM or worker access.
//
// Operations run in call order, each in its own transaction, so a journal entry
// written after a model save is never deleted by it.
//
// NOTE: two tabs with the same settings share one record. The model saved last
// replaces the other tab's, and both tabs append to its journal.

const DATABASE_NAME = 'hybrid-recommender-demo';
const DATABASE_VERSION = 1;

/** Object stores: one model, its journal (auto-increment keys keep the order), page state. */
const MODELS = 'models';
const JOURNAL = 'journal';
const PAGES = 'pages';
const JOURNAL_BY_KEY = 'by-key';

/**
 * @typedef {{key: string, bytes: Uint8Array, savedAt: number, training: object}} StoredModel
 *   `training` is the training report of `Recommender.train`
 * @typedef {{kind: 'interaction', interaction: object} | {kind: 'forget', userId: string|number}} JournalAction
 * @typedef {{key: string, evaluation?: object, userId?: string|number}} PageState
 */

export class ModelStore {
  /** @type {IDBDatabase} */
  #database;

  #key;

  /** Tail of the operation chain. Every operation starts after the previous one settles. */
  #queue = Promise.resolve();

  /** True after clear(), so that writes still in flight cannot store anything again. */
  #cleared = false;

  constructor(database, key) {
    this.#database = database;
    this.#key = key;
  }

  /**
   * Opens (and on first use creates) the database.
   *
   * @param {string} key the page settings that the records belong to
   * @param {IDBFactory|undefined} [factory] `indexedDB` of the window
   * @returns {Promise<ModelStore>}
   * @throws {Error} when the browser offers no IndexedDB or refuses to open it
   */
  static async open(key, factory = globalThis.indexedDB) {
    if (factory === undefined) {
      throw new Error('window.indexedDB is missing');
    }

    let database;
    try {
      database = await openDatabase(factory);
    } catch (error) {
      throw new Error(`opening IndexedDB database "${DATABASE_NAME}" failed: ${describeError(error)}`);
    }

    // Another tab that upgrades the schema needs this one to let go.
    database.addEventListener('versionchange', () => database.close());
    return new ModelStore(database, key);
  }

  /**
   * Reads the model of this key with its journal and page state.
   *
   * @returns {Promise<{model: StoredModel|null, journal: JournalAction[], page: PageState|null}>}
   */
  load() {
    return this.#enqueue('reading the saved model', async () => {
      const transaction = this.#database.transaction([MODELS, JOURNAL, PAGES], 'readonly');
      const model = settle(transaction.objectStore(MODELS).get(this.#key));
      const journal = settle(transaction.objectStore(JOURNAL).index(JOURNAL_BY_KEY).getAll(this.#key));
      const page = settle(transaction.objectStore(PAGES).get(this.#key));
      return {
        model: (await model) ?? null,
        journal: (await journal).map((entry) => entry.action),
        page: (await page) ?? null,
      };
    });
  }

  /**
   * Stores a model in place of every stored record. The page state of this key
   * is kept when `keepPage` is true, and gets `userId` when one is given.
   *
   * @param {{bytes: Uint8Array, savedAt: number, training: object}} model
   * @param {{keepPage: boolean, userId?: string|number}} options keepPage is false after
   *   a new build, whose evaluation is yet to come, and true after a retraining
   * @returns {Promise<void>}
   */
  saveModel(model, { keepPage, userId }) {
    return this.#write('saving the model', [MODELS, JOURNAL, PAGES], async (transaction) => {
      const pages = transaction.objectStore(PAGES);
      const keptPage = keepPage ? await settle(pages.get(this.#key)) : undefined;
      const page = { ...keptPage, key: this.#key };
      if (userId !== undefined) {
        page.userId = userId;
      }

      transaction.objectStore(MODELS).clear();
      transaction.objectStore(JOURNAL).clear();
      pages.clear();
      transaction.objectStore(MODELS).put({ ...model, key: this.#key });
      pages.put(page);
    });
  }

  /**
   * Appends a shopper action to the journal of this key.
   *
   * @param {JournalAction} action
   * @returns {Promise<void>}
   */
  appendAction(action) {
    return this.#write('saving a shopper action', [JOURNAL], (transaction) => {
      transaction.objectStore(JOURNAL).add({ key: this.#key, action });
    });
  }

  /**
   * Merges fields into the page state of this key.
   *
   * @param {object} changes
   * @returns {Promise<void>}
   */
  updatePage(changes) {
    return this.#write('saving the page state', [PAGES], async (transaction) => {
      const pages = transaction.objectStore(PAGES);
      const page = (await settle(pages.get(this.#key))) ?? { key: this.#key };
      pages.put({ ...page, ...changes, key: this.#key });
    });
  }

  /**
   * Deletes every record of every key. Writes requested afterwards do nothing,
   * because the page reloads after a reset.
   *
   * @returns {Promise<void>}
   */
  clear() {
    const cleared = this.#write('deleting the saved data', [MODELS, JOURNAL, PAGES], (transaction) => {
      for (const name of [MODELS, JOURNAL, PAGES]) {
        transaction.objectStore(name).clear();
      }
    });
    this.#cleared = true;
    return cleared;
  }

  /**
   * Runs `fill` in a read-write transaction and resolves when the transaction commits.
   */
  #write(description, storeNames, fill) {
    if (this.#cleared) {
      return Promise.resolve();
    }
    return this.#enqueue(description, async () => {
      const transaction = this.#database.transaction(storeNames, 'readwrite');
      const committed = new Promise((resolve, reject) => {
        transaction.addEventListener('complete', () => resolve());
        transaction.addEventListener('error', () => reject(transaction.error));
        transaction.addEventListener('abort', () => reject(transaction.error ?? new Error('the transaction was aborted')));
      });
      // A failed request aborts the transaction, so `committed` reports it.
      committed.catch(() => {});
      try {
        await fill(transaction);
      } catch (error) {
        // Without the abort, the requests made before the error would still commit.
        abortQuietly(transaction);
        throw error;
      }
      await committed;
    });
  }

  #enqueue(description, operation) {
    const result = this.#queue.then(operation).catch((error) => {
      throw new Error(`${description} failed: ${describeError(error)}`);
    });
    this.#queue = result.catch(() => {});
    return result;
  }
}

/**
 * Opens the database and creates its object stores on first use.
 *
 * @param {IDBFactory} factory
 * @returns {Promise<IDBDatabase>}
 */
function openDatabase(factory) {
  const request = factory.open(DATABASE_NAME, DATABASE_VERSION);
  request.addEventListener('upgradeneeded', () => {
    const database = request.result;
    database.createObjectStore(MODELS, { keyPath: 'key' });
    const journal = database.createObjectStore(JOURNAL, { autoIncrement: true });
    journal.createIndex(JOURNAL_BY_KEY, 'key');
    database.createObjectStore(PAGES, { keyPath: 'key' });
  });

  // Without this, opening would wait for as long as another tab keeps an older version open.
  const blocked = new Promise((resolve, reject) => {
    request.addEventListener('blocked', () => {
      reject(new Error('another tab keeps an older version of the database open; close it and reload'));
    });
  });
  return Promise.race([settle(request), blocked]);
}

/**
 * Resolves with the result of an IndexedDB request, or rejects with its error.
 */
function settle(request) {
  return new Promise((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error));
  });
}

/** Aborts a transaction unless it already finished or aborted. */
function abortQuietly(transaction) {
  try {
    transaction.abort();
  } catch {
    // InvalidStateError: the transaction already committed or aborted.
  }
}

/** Returns "Name: message" for a DOMException, such as "QuotaExceededError: …". */
function describeError(error) {
  if (error instanceof DOMException) {
    return `${error.name}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
