//! Page contexts and the blend weights of the three recommenders.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The storefront page on which the recommendations are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// Personalized picks for the visitor.
    #[default]
    Homepage,
    /// Products related to the one on the page.
    ProductPage,
    /// Complements of the products in the cart.
    Cart,
}

impl Context {
    /// Returns the name used in the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            Context::Homepage => "homepage",
            Context::ProductPage => "product_page",
            Context::Cart => "cart",
        }
    }

    /// Parses `"homepage"`, `"product_page"` or `"cart"`.
    pub fn parse(name: &str) -> Result<Context> {
        match name {
            "homepage" => Ok(Context::Homepage),
            "product_page" => Ok(Context::ProductPage),
            "cart" => Ok(Context::Cart),
            other => Err(Error::invalid(
                "context",
                format!("{other:?}"),
                "one of \"homepage\", \"product_page\", \"cart\"",
            )),
        }
    }
}

/// Relative weights of the normalized component scores. They need not sum to one:
/// the blend divides by the sum of the weights of the components that have a signal.
/// A weight left out of a JSON object is zero.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Weight of the ALS score.
    pub collaborative: f32,
    /// Weight of the content similarity.
    pub content: f32,
    /// Weight of the trending score.
    pub popularity: f32,
}

/// Users with fewer distinct products than this are served mostly by popularity.
pub const ACTIVE_USER_MIN_ITEMS: usize = 5;

impl Weights {
    /// Builds weights from the three values.
    pub const fn new(collaborative: f32, content: f32, popularity: f32) -> Self {
        Weights {
            collaborative,
            content,
            popularity,
        }
    }

    /// Returns the weights as an array in component order (collaborative, content, popularity).
    pub fn as_array(&self) -> [f32; 3] {
        [self.collaborative, self.content, self.popularity]
    }

    /// Rejects negative or non-finite weights and weights that are all zero.
    pub fn validate(&self) -> Result<()> {
        for (name, value) in [
            ("weights.collaborative", self.collaborative),
            ("weights.content", self.content),
            ("weights.popularity", self.popularity),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(Error::invalid(name, value, "a finite number of at least 0"));
            }
        }
        if self.as_array().iter().all(|&w| w == 0.0) {
            return Err(Error::invalid(
                "weights",
                "all zero",
                "at least one positive weight",
            ));
        }
        Ok(())
    }

    /// Returns the automatic weights for a context and a user who has interacted with
    /// `history_items` distinct products.
    ///
    /// On the homepage a user without history gets no collaborative or content weight
    /// (there is nothing to be similar to), a light user (fewer than
    /// [`ACTIVE_USER_MIN_ITEMS`]) mostly popularity, and an active user mostly
    /// collaborative. On a product page the product itself is the evidence, so content
    /// similarity leads; in the cart, co-interaction (ALS item similarity) finds
    /// complements.
    pub fn automatic(context: Context, history_items: usize) -> Weights {
        match context {
            Context::Homepage if history_items == 0 => Weights::new(0.0, 0.0, 1.0),
            Context::Homepage if history_items < ACTIVE_USER_MIN_ITEMS => {
                Weights::new(0.2, 0.2, 0.6)
            }
            Context::Homepage => Weights::new(0.7, 0.2, 0.1),
            Context::ProductPage => Weights::new(0.4, 0.5, 0.1),
            Context::Cart => Weights::new(0.6, 0.15, 0.25),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_weights_follow_activity() {
        assert_eq!(Weights::automatic(Context::Homepage, 0).collaborative, 0.0);
        let light = Weights::automatic(Context::Homepage, 3);
        assert!(light.popularity > light.collaborative + light.content);
        let active = Weights::automatic(Context::Homepage, 5);
        assert!(active.collaborative > active.content + active.popularity);
        let page = Weights::automatic(Context::ProductPage, 0);
        assert!(page.content > page.collaborative && page.content > page.popularity);
    }

    #[test]
    fn invalid_weights_rejected() {
        let nan = Weights::new(f32::NAN, 1.0, 1.0).validate().unwrap_err();
        assert_eq!(
            nan.to_string(),
            "invalid weights.collaborative: NaN, expected a finite number of at least 0"
        );
        let zero = Weights::new(0.0, 0.0, 0.0).validate().unwrap_err();
        assert_eq!(
            zero.to_string(),
            "invalid weights: all zero, expected at least one positive weight"
        );
        assert!(Weights::new(0.0, -1.0, 1.0).validate().is_err());
    }

    #[test]
    fn context_parsing() {
        assert_eq!(Context::parse("cart").unwrap(), Context::Cart);
        assert_eq!(
            Context::parse("checkout").unwrap_err().to_string(),
            "invalid context: \"checkout\", expected one of \"homepage\", \"product_page\", \"cart\""
        );
    }
}
