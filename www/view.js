// The page's view: this module and the modules in view/ are the only ones that
// touch the DOM. Each panel of index.html has one class in view/, which renders
// what the controller passes in and reports user actions through the handlers
// given to bind(). Catalog and user text always goes in through textContent,
// never through innerHTML.

import { AbTestView } from './view/abtest.js';
import { BlendView } from './view/blend.js';
import { ContextView } from './view/context.js';
import { requireElement } from './view/dom.js';
import { EvaluationView } from './view/evaluation.js';
import { HistoryView } from './view/history.js';
import { ModelView } from './view/model.js';
import { RecommendationsView } from './view/recommendations.js';
import { ServingView } from './view/serving.js';
import { ShopperView } from './view/shopper.js';
import { StorageView } from './view/storage.js';
import { TuningView } from './view/tuning.js';
import { UploadView } from './view/upload.js';

/**
 * Handlers receive ids as the strings stored in the DOM, because the library's
 * ids may be strings or numbers. The controller maps them back to catalog entries.
 *
 * @typedef {object} ViewHandlers
 * @property {(userKey: string) => void} selectUser a user picked from the list
 * @property {(text: string) => void} enterUserId text submitted in the user id field
 * @property {(categories: string[]) => void} setPreferredCategories the onboarding selection changed
 * @property {() => void} forgetUser forgetting the user was confirmed
 * @property {(context: string) => void} changeContext "homepage", "product_page" or "cart"
 * @property {(text: string) => void} searchProducts text typed in the product search
 * @property {(productKey: string) => void} pickProduct a product picked in the picker
 * @property {(productKey: string) => void} viewProduct "View" pressed on a card
 * @property {(productKey: string) => void} addToCart "Add to cart" pressed on a card
 * @property {(productKey: string) => void} buyProduct "Buy" pressed on a card
 * @property {(productKey: string) => void} dismissProduct "Not interested" pressed on a card
 * @property {(productKey: string) => void} removeFromCart "Remove" pressed in the cart
 * @property {(automatic: boolean) => void} setAutomaticWeights the toggle changed
 * @property {(component: string, value: number) => void} setWeight a slider moved
 * @property {(k: number) => void} setK the k field changed to a valid value
 * @property {(exclude: boolean) => void} setExcludePurchased the toggle changed
 * @property {(lambda: number) => void} setMmrLambda the MMR slider moved
 * @property {(count: number) => void} setMinCategories the minimum categories field changed to a valid value
 * @property {() => void} retrain "Retrain" pressed
 * @property {() => void} runTuning "Run tuning" pressed
 * @property {(weights: {collaborative: number, content: number, popularity: number}) => void} applyWeights
 *   "Use these weights" pressed under the best tuning run
 * @property {(controlKey: string, treatmentKey: string) => void} runAbTest "Run A/B test" pressed with the chosen arms
 * @property {() => void} resetStorage "Reset" pressed in the model panel
 * @property {(files: {interactions: File, products: File|null, users: File|null, optionsText: string}) => void} loadCatalogFiles
 *   "Load and train" pressed with the chosen CSV files and the load options as JSON text
 */

export class View {
  /**
   * Finds the page's elements by id and creates the view of each panel.
   *
   * @param {Document} document
   */
  constructor(document) {
    this.status = requireElement(document, 'status');
    this.controls = requireElement(document, 'controls');

    this.shopper = new ShopperView(document);
    this.context = new ContextView(document);
    this.blend = new BlendView(document);
    this.model = new ModelView(document);
    this.storage = new StorageView(document);
    this.upload = new UploadView(document);
    this.serving = new ServingView(document);
    this.recommendations = new RecommendationsView(document);
    this.evaluation = new EvaluationView(document);
    this.history = new HistoryView(document);
    this.tuning = new TuningView(document);
    this.abTest = new AbTestView(document);
  }

  /**
   * Connects user actions to the controller.
   *
   * @param {ViewHandlers} handlers
   */
  bind(handlers) {
    this.shopper.bind(handlers);
    this.context.bind(handlers);
    this.blend.bind(handlers);
    this.serving.bind(handlers);
    this.recommendations.bind(handlers);
    this.storage.bind(handlers);
    this.upload.bind(handlers);
    this.tuning.bind(handlers);
    this.abTest.bind(handlers);
  }

  /**
   * Shows the page state in the header.
   *
   * @param {'loading'|'training'|'evaluating'|'ready'|'error'} state
   * @param {string} text
   */
  showStatus(state, text) {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  /**
   * Enables or disables every control in the sidebar.
   *
   * @param {boolean} enabled
   */
  setControlsEnabled(enabled) {
    this.controls.disabled = !enabled;
  }

  /**
   * Shows an error that stops the page, such as a missing wasm package.
   *
   * @param {string} message
   */
  showFatal(message) {
    this.showStatus('error', 'Failed');
    this.model.showStopped();
    this.recommendations.showFatal(message);
  }
}
