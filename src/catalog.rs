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

/// The kind of a user's action on a product.
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
    /// Said "not interested": the product is hidden from the user and counts as
    /// negative evidence.
    NotInterested,
}

impl InteractionKind {
    /// All kinds, in the order of their bit in [`InteractionKind::bit`].
    pub const ALL: [InteractionKind; 5] = [
        InteractionKind::View,
        InteractionKind::Cart,
        InteractionKind::Purchase,
        InteractionKind::Rating,
        InteractionKind::NotInterested,
    ];

    /// Returns the name used in files and in the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::View => "view",
            InteractionKind::Cart => "cart",
            InteractionKind::Purchase => "purchase",
            InteractionKind::Rating => "rating",
            InteractionKind::NotInterested => "not_interested",
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
                    "one of view, cart, purchase, rating, not_interested",
                )
            })
    }

    /// Returns a distinct bit per kind, for sets of kinds stored in a `u8`.
    pub fn bit(self) -> u8 {
        match self {
            InteractionKind::View => 1,
            InteractionKind::Cart => 2,
            InteractionKind::Purchase => 4,
            InteractionKind::Rating => 8,
            InteractionKind::NotInterested => 16,
        }
    }
}

/// One event: a user did something with a product at a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
    /// Builds a catalog, rejecting empty or duplicate ids, interactions that point outside
    /// the product or user lists, non-finite or negative prices and ratings outside 1 to 5.
    pub fn new(
        products: Vec<Product>,
        users: Vec<User>,
        mut interactions: Vec<Interaction>,
    ) -> Result<Self> {
        let mut catalog = Catalog::default();
        for product in products {
            catalog.add_product(product)?;
        }
        for user in users {
            catalog.add_user(user)?;
        }
        for event in &interactions {
            catalog.validate_interaction(event)?;
        }
        interactions.sort_by_key(|event| event.timestamp);
        catalog.interactions = interactions;
        Ok(catalog)
    }

    /// Appends a product and returns its index. Fails on an empty or duplicate id or a
    /// negative or non-finite price.
    pub fn add_product(&mut self, product: Product) -> Result<u32> {
        if product.id.is_empty() {
            return Err(Error::invalid("product id", "\"\"", "a non-empty string"));
        }
        if !product.price.is_finite() || product.price < 0.0 {
            return Err(Error::invalid(
                "price",
                format!("{} for product {:?}", product.price, product.id),
                "a finite, non-negative number",
            ));
        }
        if self.product_index.contains_key(&product.id) {
            return Err(Error::DuplicateId {
                kind: "product",
                id: product.id,
            });
        }
        let index = self.products.len() as u32;
        let category = match self.categories.iter().position(|c| *c == product.category) {
            Some(c) => c as u32,
            None => {
                self.categories.push(product.category.clone());
                self.categories.len() as u32 - 1
            }
        };
        self.product_category.push(category);
        self.product_index.insert(product.id.clone(), index);
        self.products.push(product);
        Ok(index)
    }

    /// Appends a user and returns its index. Fails on an empty or duplicate id.
    pub fn add_user(&mut self, user: User) -> Result<u32> {
        if user.id.is_empty() {
            return Err(Error::invalid("user id", "\"\"", "a non-empty string"));
        }
        if self.user_index.contains_key(&user.id) {
            return Err(Error::DuplicateId {
                kind: "user",
                id: user.id,
            });
        }
        let index = self.users.len() as u32;
        self.user_index.insert(user.id.clone(), index);
        self.users.push(user);
        Ok(index)
    }

    /// Inserts an interaction in time order (after any with the same timestamp).
    pub fn add_interaction(&mut self, event: Interaction) -> Result<()> {
        self.validate_interaction(&event)?;
        let position = self
            .interactions
            .partition_point(|e| e.timestamp <= event.timestamp);
        self.interactions.insert(position, event);
        Ok(())
    }

    /// Removes every interaction of `user` and returns how many there were.
    pub fn remove_user_interactions(&mut self, user: u32) -> usize {
        let before = self.interactions.len();
        self.interactions.retain(|event| event.user != user);
        before - self.interactions.len()
    }

    fn validate_interaction(&self, event: &Interaction) -> Result<()> {
        if event.product as usize >= self.products.len() || event.user as usize >= self.users.len()
        {
            return Err(Error::invalid(
                "interaction",
                format!(
                    "user index {} / product index {}",
                    event.user, event.product
                ),
                format!(
                    "indices below {} users and {} products",
                    self.users.len(),
                    self.products.len()
                ),
            ));
        }
        match (event.kind, event.value) {
            (InteractionKind::Rating, Some(v)) if (1.0..=5.0).contains(&v) => Ok(()),
            (InteractionKind::Rating, other) => Err(Error::invalid(
                "rating",
                other.map_or("missing".to_string(), |v| v.to_string()),
                "a number from 1 to 5",
            )),
            _ => Ok(()),
        }
    }

    /// Returns all products, in index order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// Returns all users, in index order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// Returns all interactions, oldest first.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    /// Distinct category names, in order of first appearance.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Returns the category index of each product, parallel to [`Catalog::products`].
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

    /// Returns the times of the first and the last interaction, or `None` without interactions.
    pub fn time_range(&self) -> Option<(Timestamp, Timestamp)> {
        Some((
            self.interactions.first()?.timestamp,
            self.interactions.last()?.timestamp,
        ))
    }

    /// Returns the time of the last interaction, or `None` without interactions.
    pub fn last_timestamp(&self) -> Option<Timestamp> {
        self.interactions.last().map(|event| event.timestamp)
    }

    /// Returns the number of interactions of each user, parallel to [`Catalog::users`].
    pub fn interaction_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.users.len()];
        for event in &self.interactions {
            counts[event.user as usize] += 1;
        }
        counts
    }

    /// Returns the interactions of one user, oldest first.
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
            "invalid rating: 7, expected a number from 1 to 5"
        );
    }
}
