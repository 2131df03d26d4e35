// Shopper panel: the user picker, the typed user id, the interests of a visitor
// without history (onboarding) and the control that deletes the user's history.

import { describeActivity } from '../format.js';
import { createElement, requireElement } from './dom.js';

export class ShopperView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.userSelect = requireElement(document, 'user-select');
    this.userSummary = requireElement(document, 'user-summary');
    this.userIdForm = requireElement(document, 'user-id-form');
    this.userIdInput = requireElement(document, 'user-id-input');
    this.onboarding = requireElement(document, 'onboarding');
    this.categoryChips = requireElement(document, 'category-chips');
    this.forgetButton = requireElement(document, 'forget-user');
    this.forgetConfirm = requireElement(document, 'forget-confirm');
    this.forgetQuestion = requireElement(document, 'forget-question');
    this.forgetConfirmButton = requireElement(document, 'forget-confirm-button');
    this.forgetCancelButton = requireElement(document, 'forget-cancel-button');
    this.forgetResult = requireElement(document, 'forget-result');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    this.userSelect.addEventListener('change', () => {
      handlers.selectUser(this.userSelect.value);
    });

    this.userIdForm.addEventListener('submit', (event) => {
      event.preventDefault();
      handlers.enterUserId(this.userIdInput.value);
    });

    this.categoryChips.addEventListener('change', () => {
      const checked = this.categoryChips.querySelectorAll('input[type="checkbox"]:checked');
      handlers.setPreferredCategories([...checked].map((input) => input.value));
    });

    // The confirmation is page state only, so the view handles it without the controller.
    this.forgetButton.addEventListener('click', () => {
      this.forgetConfirm.hidden = false;
      this.forgetButton.hidden = true;
      this.forgetCancelButton.focus();
    });
    this.forgetCancelButton.addEventListener('click', () => this.#closeForgetConfirm());
    this.forgetConfirmButton.addEventListener('click', () => {
      this.#closeForgetConfirm();
      handlers.forgetUser();
    });
  }

  /**
   * Fills the user picker with one option group per activity level.
   *
   * @param {{label: string, users: {userId: string|number, interactions: number}[]}[]} groups
   * @param {string|number} selectedUserId
   */
  showUserChoices(groups, selectedUserId) {
    const optionGroups = groups
      .filter((group) => group.users.length > 0)
      .map((group) => {
        const optionGroup = this.document.createElement('optgroup');
        optionGroup.label = group.label;
        for (const user of group.users) {
          optionGroup.append(new Option(optionLabel(user), String(user.userId)));
        }
        return optionGroup;
      });

    this.userSelect.replaceChildren(...optionGroups);
    this.userSelect.value = String(selectedUserId);
  }

  /**
   * Shows who is shopping, selects them in the picker when they are listed, and
   * offers to forget them when they have interactions.
   *
   * @param {string|number} userId
   * @param {{interactions: number, ageBand: string|null, region: string|null} | null} user
   *   null for an id the recommender does not know yet
   */
  showSelectedUser(userId, user) {
    const option = [...this.userSelect.options].find((candidate) => candidate.value === String(userId));
    const listed = option !== undefined;
    this.userSelect.value = listed ? String(userId) : '';
    this.userIdInput.value = listed ? '' : String(userId);

    // The option shows the current count, while its group keeps the activity level at page load.
    if (listed && user !== null) {
      option.textContent = optionLabel(user);
    }

    const interactions = user?.interactions ?? 0;
    this.#closeForgetConfirm();
    this.forgetButton.disabled = interactions === 0;
    this.forgetQuestion.textContent =
      `Delete ${describeActivity(interactions)} of user ${userId} and the user factors ` +
      'learned from them? This cannot be undone.';

    if (user === null) {
      this.userSummary.textContent = `User ${userId} is not in the catalog, so they are served as an anonymous visitor.`;
      return;
    }

    const parts = [`User ${userId}`, describeActivity(user.interactions)];
    if (user.ageBand !== null && user.ageBand !== undefined) {
      parts.push(`age ${user.ageBand}`);
    }
    if (user.region !== null && user.region !== undefined) {
      parts.push(user.region);
    }
    this.userSummary.textContent = parts.join(' · ');
  }

  /**
   * Reports a user id that could not be parsed.
   *
   * @param {string} message
   */
  showUserIdError(message) {
    this.userSummary.textContent = message;
  }

  /**
   * Creates one checkbox per catalog category for the onboarding picker.
   *
   * @param {string[]} categories
   */
  showCategories(categories) {
    this.categoryChips.replaceChildren(
      ...categories.map((category) => {
        const chip = createElement(this.document, 'label', 'chip');
        const input = createElement(this.document, 'input');
        input.type = 'checkbox';
        input.value = category;
        input.dataset.testid = 'category-chip';
        chip.append(input, createElement(this.document, 'span', null, category));
        return chip;
      }),
    );
  }

  /**
   * Shows or hides the onboarding picker and checks the selected categories.
   *
   * @param {boolean} visible true for a user without history
   * @param {string[]} selected
   */
  showOnboarding(visible, selected) {
    this.onboarding.hidden = !visible;
    for (const input of this.categoryChips.querySelectorAll('input[type="checkbox"]')) {
      input.checked = selected.includes(input.value);
    }
  }

  /**
   * Reports the outcome of forgetting a user, or clears the report for an empty message.
   *
   * @param {string} message
   * @param {'info'|'error'} [kind]
   */
  showForgetResult(message, kind = 'info') {
    this.forgetResult.textContent = message;
    this.forgetResult.dataset.kind = kind;
    this.forgetResult.hidden = message === '';
  }

  #closeForgetConfirm() {
    const focusWasInside = this.forgetConfirm.contains(this.document.activeElement);
    this.forgetConfirm.hidden = true;
    this.forgetButton.hidden = false;
    if (focusWasInside && !this.forgetButton.disabled) {
      this.forgetButton.focus();
    }
  }
}

function optionLabel(user) {
  return `${user.userId} · ${describeActivity(user.interactions)}`;
}
