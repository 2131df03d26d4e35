// Blend and diversity panels: the component weights, the list length k, the
// purchase filter, and the MMR and category settings of the re-ranking.

import { requireElement } from './dom.js';

export class BlendView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.automaticWeights = requireElement(document, 'automatic-weights');
    this.weights = requireElement(document, 'weights');
    this.weightInputs = [...this.weights.querySelectorAll('input[type="range"]')];
    this.kInput = requireElement(document, 'k-input');
    this.excludePurchased = requireElement(document, 'exclude-purchased');
    this.mmrLambda = requireElement(document, 'mmr-lambda');
    this.mmrLambdaValue = requireElement(document, 'mmr-lambda-value');
    this.minCategories = requireElement(document, 'min-categories');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    this.automaticWeights.addEventListener('change', () => {
      handlers.setAutomaticWeights(this.automaticWeights.checked);
    });

    for (const input of this.weightInputs) {
      input.addEventListener('input', () => {
        handlers.setWeight(input.dataset.weight, Number(input.value));
      });
    }

    this.#bindInteger(this.kInput, (k) => handlers.setK(k));

    this.excludePurchased.addEventListener('change', () => {
      handlers.setExcludePurchased(this.excludePurchased.checked);
    });

    this.mmrLambda.addEventListener('input', () => {
      handlers.setMmrLambda(Number(this.mmrLambda.value));
    });

    this.#bindInteger(this.minCategories, (count) => handlers.setMinCategories(count));
  }

  /**
   * Shows the weight mode and the slider positions.
   *
   * @param {boolean} automatic
   * @param {{collaborative: number, content: number, popularity: number}} weights
   */
  showWeights(automatic, weights) {
    this.automaticWeights.checked = automatic;
    this.weights.dataset.automatic = String(automatic);

    for (const input of this.weightInputs) {
      const value = weights[input.dataset.weight];
      input.value = String(value);
      const output = this.document.getElementById(`${input.id}-value`);
      output.textContent = automatic ? 'auto' : value.toFixed(2);
    }
  }

  /**
   * Shows the diversity settings.
   *
   * @param {{mmrLambda: number, minCategories: number}} settings
   */
  showDiversity({ mmrLambda, minCategories }) {
    this.mmrLambda.value = String(mmrLambda);
    this.mmrLambdaValue.textContent = mmrLambda.toFixed(2);
    if (Number(this.minCategories.value) !== minCategories) {
      this.minCategories.value = String(minCategories);
    }
  }

  /**
   * Reports each valid integer typed in a number field and marks invalid text.
   */
  /**
   * Applies each valid value as it is typed and marks an invalid one. Leaving the field
   * with an invalid value, such as a k above the field's maximum, puts back the last
   * valid value, so the field always shows the value in use.
   */
  #bindInteger(input, onValue) {
    let lastValid = input.value;
    input.addEventListener('input', () => {
      const valid = input.value !== '' && input.checkValidity();
      input.classList.toggle('invalid', !valid);
      input.setAttribute('aria-invalid', String(!valid));
      if (valid) {
        lastValid = input.value;
        onValue(Number(input.value));
      }
    });
    input.addEventListener('change', () => {
      if (input.value === '' || !input.checkValidity()) {
        input.value = lastValid;
        input.classList.remove('invalid');
        input.setAttribute('aria-invalid', 'false');
      }
    });
  }
}
