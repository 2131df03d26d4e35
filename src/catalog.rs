//! The catalog: products, users and their interactions, keyed by the shop's own ids.
//!
//! Internally products and users are dense indices (`u32`) so that models can use
//! arrays; the public API speaks only the string ids, and [`Catalog`] maps between them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Seconds since the Unix epoch.
pub type Timestamp = i64;

/// Seconds in one day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// One product of the shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// The shop's id for the product.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Category name; empty when the catalog has none.
    pub category: String,
    /// Brand name; empty when the catalog has none.
    pub brand: String,
    /// Price in the shop's currency; zero when unknown.
    pub price: f64,
    /// Free-text description used by the content model.
    pub description: String,
}

/// One user (shopper) of the shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The shop's id for the user.
    pub id: String,
    /// Age band such as `"25-34"`, when known.
    pub age_band: Option<String>,
    /// Region, when known.
    pub region: Option<String>,
}

/// What a user did with a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    /// Opened the product page.
    View,
    /// Put the product in the cart.
    Cart,
    /// Bought the product.
    Purchase,
    /// Rated the product from 1 to 5.
    Rating,
}

impl InteractionKind {
    /// All kinds, in the order of their bit in [`InteractionKind::bit`].
    pub const ALL: [InteractionKind; 4] = [
        InteractionKind::View,
        InteractionKind::Cart,
        InteractionKind::Purchase,
        InteractionKind::Rating,
    ];

    /// The name used in files and in the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::View => "view",
            InteractionKind::Cart => "cart",
            InteractionKind::Purchase => "purchase",
            InteractionKind::Rating => "rating",
        }
    }

    /// Parses a name produced by [`InteractionKind::as_str`].
    pub fn parse(name: &str) -> Result<Self> {
        InteractionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| {
                Error::invalid(
                    "interaction type",
                    format!("{name:?}"),
                    "one of view, cart, purchase, rating",
                )
            })
    }

    /// A distinct bit per kind, for sets of kinds stored in a `u8`.
    pub fn bit(self) -> u8 {
        match self {
            InteractionKind::View => 1,
            InteractionKind::Cart => 2,
            InteractionKind::Purchase => 4,
            InteractionKind::Rating => 8,
        }
    }
}

/// One event: a user did something with a product at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interaction {
    /// User index into [`Catalog::users`].
    pub user: u32,
    /// Product index into [`Catalog::products`].
    pub product: u32,
    /// What happened.
    pub kind: InteractionKind,
    /// The rating for [`InteractionKind::Rating`], otherwise `None`.
    pub value: Option<f32>,
    /// When it happened.
    pub timestamp: Timestamp,
}

/// Products, users and interactions, with id lookups. Interactions are kept sorted by
/// timestamp, so a time split is a prefix.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: Vec<Product>,
    users: Vec<User>,
    interactions: Vec<Interaction>,
    product_index: HashMap<String, u32>,
    user_index: HashMap<String, u32>,
    categories: Vec<String>,
    product_category: Vec<u32>,
}

impl Catalog {
    /// Builds a catalog, rejecting duplicate ids, interactions that point outside the
    /// product or user lists, non-finite or negative prices and ratings outside 1 to 5.
    pub fn new(
        products: Vec<Product>,
        users: Vec<User>,
        mut interactions: Vec<Interaction>,
    ) -> Result<Self> {
        let mut product_index = HashMap::with_capacity(products.len());
        for (i, product) in products.iter().enumerate() {
            if product.id.is_empty() {
                return Err(Error::invalid(
                    "product id",
                    format!("\"\" at position {i}"),
                    "a non-empty string",
                ));
            }
            if !product.price.is_finite() || product.price < 0.0 {
                return Err(Error::invalid(
                    "price",
                    format!("{} for product {:?}", product.price, product.id),
                    "a finite, non-negative number",
                ));
            }
            if product_index.insert(product.id.clone(), i as u32).is_some() {
                return Err(Error::DuplicateId {
                    kind: "product",
                    id: product.id.clone(),
                });
            }
        }
        let mut user_index = HashMap::with_capacity(users.len());
        for (i, user) in users.iter().enumerate() {
            if user.id.is_empty() {
                return Err(Error::invalid(
                    "user id",
                    format!("\"\" at position {i}"),
                    "a non-empty string",
                ));
            }
            if user_index.insert(user.id.clone(), i as u32).is_some() {
                return Err(Error::DuplicateId {
                    kind: "user",
                    id: user.id.clone(),
                });
            }
        }
        for event in &interactions {
            if event.product as usize >= products.len() || event.user as usize >= users.len() {
                return Err(Error::invalid(
                    "interaction",
                    format!(
                        "user index {} / product index {}",
                        event.user, event.product
                    ),
                    format!(
                        "indices below {} users and {} products",
                        users.len(),
                        products.len()
                    ),
                ));
            }
            if event.kind == InteractionKind::Rating {
                match event.value {
                    Some(v) if (1.0..=5.0).contains(&v) => {}
                    other => {
                        return Err(Error::invalid(
                            "rating",
                            format!("{other:?}"),
                            "a number from 1 to 5",
                        ))
                    }
                }
            }
        }
        interactions.sort_by_key(|event| event.timestamp);

        let mut categories: Vec<String> = Vec::new();
        let mut category_ids: HashMap<&str, u32> = HashMap::new();
        let mut product_category = Vec::with_capacity(products.len());
        for product in &products {
            let next = categories.len() as u32;
            let id = *category_ids
                .entry(product.category.as_str())
                .or_insert(next);
            if id == next {
                categories.push(product.category.clone());
            }
            product_category.push(id);
        }

        Ok(Catalog {
            products,
            users,
            interactions,
            product_index,
            user_index,
            categories,
            product_category,
        })
    }

    /// All products, in index order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// All users, in index order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// All interactions, oldest first.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    /// Distinct category names, in order of first appearance.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The category index of each product, parallel to [`Catalog::products`].
    pub fn product_categories(&self) -> &[u32] {
        &self.product_category
    }

    /// Looks up a product index, or fails with [`Error::UnknownProduct`].
    pub fn product_index(&self, id: &str) -> Result<u32> {
        self.product_index
            .get(id)
            .copied()
            .ok_or_else(|| Error::UnknownProduct(id.to_string()))
    }

    /// Looks up a user index; `None` for a user the catalog has never seen.
    pub fn user_index(&self, id: &str) -> Option<u32> {
        self.user_index.get(id).copied()
    }

    /// The time of the last interaction, or `None` without interactions.
    pub fn last_timestamp(&self) -> Option<Timestamp> {
        self.interactions.last().map(|event| event.timestamp)
    }

    /// The number of interactions of each user, parallel to [`Catalog::users`].
    pub fn interaction_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.users.len()];
        for event in &self.interactions {
            counts[event.user as usize] += 1;
        }
        counts
    }

    /// The interactions of one user, oldest first.
    pub fn user_interactions(&self, user: u32) -> impl Iterator<Item = &Interaction> {
        self.interactions
            .iter()
            .filter(move |event| event.user == user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str, category: &str) -> Product {
        Product {
            id: id.into(),
            name: id.into(),
            category: category.into(),
            brand: String::new(),
            price: 1.0,
            description: String::new(),
        }
    }

    fn user(id: &str) -> User {
        User {
            id: id.into(),
            age_band: None,
            region: None,
        }
    }

    #[test]
    fn duplicate_product_rejected() {
        let err =
            Catalog::new(vec![product("a", "x"), product("a", "y")], vec![], vec![]).unwrap_err();
        assert_eq!(
            err,
            Error::DuplicateId {
                kind: "product",
                id: "a".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "duplicate product id \"a\": each product id must be unique"
        );
    }

    #[test]
    fn negative_price_rejected() {
        let mut p = product("a", "x");
        p.price = -2.0;
        let err = Catalog::new(vec![p], vec![], vec![]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid price: -2 for product \"a\", expected a finite, non-negative number"
        );
    }

    #[test]
    fn interactions_sorted_and_categories_indexed() {
        let events = vec![
            Interaction {
                user: 0,
                product: 1,
                kind: InteractionKind::View,
                value: None,
                timestamp: 20,
            },
            Interaction {
                user: 0,
                product: 0,
                kind: InteractionKind::Cart,
                value: None,
                timestamp: 10,
            },
        ];
        let catalog = Catalog::new(
            vec![product("a", "x"), product("b", "y"), product("c", "x")],
            vec![user("u")],
            events,
        )
        .unwrap();
        assert_eq!(catalog.interactions()[0].timestamp, 10);
        assert_eq!(catalog.categories(), &["x".to_string(), "y".to_string()]);
        assert_eq!(catalog.product_categories(), &[0, 1, 0]);
        assert_eq!(catalog.product_index("c").unwrap(), 2);
        assert_eq!(
            catalog.product_index("zz").unwrap_err(),
            Error::UnknownProduct("zz".into())
        );
        assert_eq!(catalog.user_index("u"), Some(0));
        assert_eq!(catalog.user_index("nobody"), None);
        assert_eq!(catalog.interaction_counts(), vec![2]);
    }

    #[test]
    fn rating_outside_scale_rejected() {
        let events = vec![Interaction {
            user: 0,
            product: 0,
            kind: InteractionKind::Rating,
            value: Some(7.0),
            timestamp: 1,
        }];
        let err = Catalog::new(vec![product("a", "x")], vec![user("u")], events).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid rating: Some(7.0), expected a number from 1 to 5"
        );
    }
}
