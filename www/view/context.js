// Context panel: the page context (homepage, product page, cart), the product
// being viewed, the cart, and the product picker with its search.

import { formatPrice } from '../format.js';
import { createButton, createElement, requireElement } from './dom.js';

export class ContextView {
  /**
   * @param {Document} document
   */
  constructor(document) {
    this.document = document;
    this.contextInputs = [...document.querySelectorAll('input[name="context"]')];
    this.productPageDetail = requireElement(document, 'product-page-detail');
    this.currentProduct = requireElement(document, 'current-product');
    this.cartDetail = requireElement(document, 'cart-detail');
    this.cartList = requireElement(document, 'cart-list');
    this.productPicker = requireElement(document, 'product-picker');
    this.productSearchLabel = requireElement(document, 'product-search-label');
    this.productSearch = requireElement(document, 'product-search');
    this.productResults = requireElement(document, 'product-results');
    this.historyPicksLabel = requireElement(document, 'history-picks-label');
    this.historyPicks = requireElement(document, 'history-picks');
  }

  /**
   * @param {import('../view.js').ViewHandlers} handlers
   */
  bind(handlers) {
    for (const input of this.contextInputs) {
      input.addEventListener('change', () => {
        if (input.checked) {
          handlers.changeContext(input.value);
        }
      });
    }

    this.productSearch.addEventListener('input', () => {
      handlers.searchProducts(this.productSearch.value);
    });

    for (const list of [this.productResults, this.historyPicks]) {
      list.addEventListener('click', (event) => {
        const button = event.target.closest('button[data-product-id]');
        if (button !== null) {
          handlers.pickProduct(button.dataset.productId);
        }
      });
    }

    this.cartList.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-product-id]');
      if (button !== null) {
        handlers.removeFromCart(button.dataset.productId);
      }
    });
  }

  /**
   * Selects a context and shows the controls that belong to it.
   *
   * @param {'homepage'|'product_page'|'cart'} context
   */
  showContext(context) {
    for (const input of this.contextInputs) {
      input.checked = input.value === context;
    }

    this.productPageDetail.hidden = context !== 'product_page';
    this.cartDetail.hidden = context !== 'cart';
    this.productPicker.hidden = context === 'homepage';

    const picking = context === 'cart' ? 'Add a product to the cart' : 'Find a product';
    this.productSearchLabel.textContent = picking;
  }

  /**
   * Shows the product of the product page context.
   *
   * @param {{name: string, category: string, price: number} | null} product
   */
  showCurrentProduct(product) {
    if (product === null) {
      this.currentProduct.textContent = 'No product selected yet: search below or press View on a card.';
      this.currentProduct.classList.add('empty');
      return;
    }

    this.currentProduct.classList.remove('empty');
    this.currentProduct.replaceChildren(
      createElement(this.document, 'strong', null, product.name),
      createElement(this.document, 'span', 'muted', ` · ${product.category} · ${formatPrice(product.price)}`),
    );
  }

  /**
   * Lists the cart with a remove button per product.
   *
   * @param {{productId: string|number, name: string, price: number}[]} products
   */
  showCart(products) {
    if (products.length === 0) {
      const empty = createElement(
        this.document,
        'li',
        'empty',
        'The cart is empty: search below or press Add to cart on a card.',
      );
      this.cartList.replaceChildren(empty);
      return;
    }

    this.cartList.replaceChildren(
      ...products.map((product) => {
        const item = createElement(this.document, 'li', 'cart-item');
        item.append(createElement(this.document, 'span', 'cart-name', product.name));
        item.append(createElement(this.document, 'span', 'cart-price', formatPrice(product.price)));
        const remove = createButton(this.document, 'link-button', 'Remove', `Remove ${product.name} from the cart`);
        remove.dataset.productId = String(product.productId);
        item.append(remove);
        return item;
      }),
    );
  }

  /**
   * Lists products matching the search text as buttons.
   *
   * @param {{productId: string|number, name: string, category: string}[]} products
   * @param {string} query the search text, shown when nothing matches
   */
  showProductResults(products, query) {
    if (query.trim() === '') {
      this.productResults.replaceChildren();
      return;
    }
    if (products.length === 0) {
      const empty = createElement(this.document, 'li', 'empty', `No product name contains "${query}".`);
      this.productResults.replaceChildren(empty);
      return;
    }
    this.productResults.replaceChildren(...products.map((product) => this.#pickItem(product)));
  }

  /**
   * Offers the products the user interacted with, most recent first.
   *
   * @param {{productId: string|number, name: string, category: string}[]} products
   */
  showHistoryPicks(products) {
    this.historyPicksLabel.hidden = products.length === 0;
    this.historyPicks.replaceChildren(...products.map((product) => this.#pickItem(product)));
  }

  /**
   * Clears the product search field and its results.
   */
  clearProductSearch() {
    this.productSearch.value = '';
    this.productResults.replaceChildren();
  }

  #pickItem(product) {
    const item = this.document.createElement('li');
    const button = createElement(this.document, 'button', 'pick');
    button.type = 'button';
    button.dataset.productId = String(product.productId);
    button.title = product.name;
    button.append(createElement(this.document, 'span', 'pick-name', product.name));
    button.append(createElement(this.document, 'span', 'pick-category', product.category));
    item.append(button);
    return item;
  }
}
