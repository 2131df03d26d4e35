// The only module that touches the DOM. Every product field, reason and message is
// inserted with textContent, so markup inside a product name is shown as text.

const priceFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' });

const elements = {
  status: document.getElementById('status'),
  progress: document.getElementById('progress'),
  shopper: document.getElementById('shopper'),
  cartCount: document.getElementById('cart-count'),
  forYou: document.getElementById('for-you'),
  productPage: document.getElementById('product-page'),
  productName: document.getElementById('product-name'),
  productMeta: document.getElementById('product-meta'),
  productDescription: document.getElementById('product-description'),
  productPrice: document.getElementById('product-price'),
  productAdd: document.getElementById('product-add'),
  productClose: document.getElementById('product-close'),
  similar: document.getElementById('similar'),
  cartItems: document.getElementById('cart-items'),
  cartEmpty: document.getElementById('cart-empty'),
  completeCart: document.getElementById('complete-cart'),
  catalog: document.getElementById('catalog'),
};

/**
 * Handlers for the page's controls, set once by `bindActions`.
 * @type {{open: (id: string) => void, addToCart: (id: string) => void, closeProduct: () => void, selectShopper: (id: string) => void}}
 */
let actions = null;

/** Connects the page's controls to the storefront's handlers. */
export function bindActions(handlers) {
  actions = handlers;
  elements.productClose.addEventListener('click', () => actions.closeProduct());
  elements.productAdd.addEventListener('click', () => actions.addToCart(elements.productAdd.dataset.productId));
  elements.shopper.addEventListener('change', () => actions.selectShopper(elements.shopper.value));
}

/** Shows a status line; `state` is loading, training, ready or error. */
export function showStatus(text, state) {
  elements.status.textContent = text;
  elements.status.dataset.state = state;
  elements.progress.hidden = state !== 'training' && state !== 'loading';
}

/** Shows a training progress event of the recommender client. */
export function showProgress(progress) {
  elements.progress.value = progress.percent;
  const loss = progress.loss === undefined ? '' : `, ALS loss ${progress.loss.toFixed(4)} after iteration ${progress.iteration}`;
  showStatus(`Training: ${progress.stage} ${progress.percent}%${loss}`, 'training');
}

/** Fills the shopper picker; `users` are `{userId, ageBand, region}` and `visitorId` is a shopper without history. */
export function showShoppers(users, visitorId, selectedId) {
  const options = users.map((user) => {
    const option = document.createElement('option');
    option.value = user.userId;
    const details = [user.ageBand, user.region].filter(Boolean).join(', ');
    option.textContent = details ? `${user.userId} (${details})` : user.userId;
    return option;
  });
  const visitor = document.createElement('option');
  visitor.value = visitorId;
  visitor.textContent = 'New visitor (no history)';
  elements.shopper.replaceChildren(...options, visitor);
  elements.shopper.value = selectedId;
  elements.shopper.disabled = false;
}

/**
 * Renders product cards into one of the lists: `forYou`, `similar`, `completeCart` or
 * `catalog`. Items are `{productId, name, category, brand, price, reason?}`.
 */
export function showCards(listName, items) {
  const list = elements[listName];
  list.replaceChildren(...items.map(createCard));
  list.dataset.state = items.length > 0 ? 'ready' : 'empty';
}

/** Marks a list as waiting for new results, so that tests and readers can tell stale from current. */
export function markLoading(listName) {
  elements[listName].dataset.state = 'loading';
}

/** Shows the product page of `product`, or hides it for null. */
export function showProduct(product) {
  if (product === null) {
    elements.productPage.hidden = true;
    elements.productAdd.dataset.productId = '';
    return;
  }
  elements.productName.textContent = product.name;
  elements.productMeta.textContent = formatCategoryAndBrand(product);
  elements.productDescription.textContent = product.description;
  elements.productPrice.textContent = priceFormat.format(product.price);
  elements.productAdd.dataset.productId = product.productId;
  elements.productPage.dataset.productId = product.productId;
  elements.productPage.hidden = false;
}

/** Shows the cart's products and their count, and empties the suggestions while the cart is empty. */
export function showCart(products) {
  const rows = products.map((product) => {
    const row = document.createElement('li');
    row.dataset.productId = product.productId;
    row.textContent = `${product.name}, ${priceFormat.format(product.price)}`;
    return row;
  });
  elements.cartItems.replaceChildren(...rows);
  elements.cartCount.textContent = String(products.length);
  elements.cartEmpty.hidden = products.length > 0;
  if (products.length === 0) {
    showCards('completeCart', []);
  }
}

function createCard(item) {
  const card = document.createElement('li');
  card.className = 'card';
  card.dataset.testid = 'card';
  card.dataset.productId = item.productId;

  const name = document.createElement('button');
  name.type = 'button';
  name.className = 'card-name';
  name.dataset.testid = 'card-name';
  name.textContent = item.name;
  name.addEventListener('click', () => actions.open(item.productId));

  const meta = document.createElement('p');
  meta.className = 'meta';
  meta.textContent = formatCategoryAndBrand(item);

  const price = document.createElement('p');
  price.className = 'price';
  price.textContent = priceFormat.format(item.price);

  card.append(name, meta, price);

  if (item.reason) {
    const reason = document.createElement('p');
    reason.className = 'reason';
    reason.dataset.testid = 'card-reason';
    reason.textContent = item.reason;
    card.append(reason);
  }

  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'add';
  add.dataset.testid = 'card-add';
  add.textContent = 'Add to cart';
  add.addEventListener('click', () => actions.addToCart(item.productId));
  card.append(add);

  return card;
}

function formatCategoryAndBrand(product) {
  return [product.category, product.brand].filter(Boolean).join(' · ');
}
