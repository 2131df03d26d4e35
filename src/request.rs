//! The request and response types of the public API. Field names serialize in
//! camelCase, as the JS API spells them.

use serde::{Deserialize, Serialize};

use crate::catalog::{InteractionKind, Timestamp};
use crate::weights::{Context, Weights};

/// The largest `k` a request may ask for.
pub const MAX_K: usize = 1000;

/// The default MMR trade-off: mostly relevance, with near-duplicates pushed down.
pub const DEFAULT_MMR_LAMBDA: f32 = 0.7;

/// A recommendation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RecommendRequest {
    /// The shopper; `None` or an id the catalog has never seen is served as a new visitor.
    pub user_id: Option<String>,
    /// Length of the list, 1 to [`MAX_K`].
    pub k: usize,
    /// Page context.
    pub context: Context,
    /// The product on the page; required for [`Context::ProductPage`].
    pub product_id: Option<String>,
    /// The products in the cart; required (non-empty) for [`Context::Cart`].
    pub cart_product_ids: Vec<String>,
    /// Blend weights; `None` picks [`Weights::automatic`].
    pub weights: Option<Weights>,
    /// Leave out products the user bought (default true).
    pub exclude_purchased: bool,
    /// MMR trade-off between relevance and diversity in [0, 1]; 1 is pure relevance.
    pub mmr_lambda: f32,
    /// The list must span at least this many categories when the candidates allow it;
    /// 0 turns the guarantee off.
    pub min_categories: usize,
    /// Categories picked by a user without history (onboarding); their products are
    /// preferred. Ignored for users with history.
    pub preferred_categories: Vec<String>,
    /// Products never to recommend in this list, such as those already shown elsewhere
    /// on the page.
    pub exclude_product_ids: Vec<String>,
}

impl Default for RecommendRequest {
    fn default() -> Self {
        RecommendRequest {
            user_id: None,
            k: 10,
            context: Context::Homepage,
            product_id: None,
            cart_product_ids: Vec::new(),
            weights: None,
            exclude_purchased: true,
            mmr_lambda: DEFAULT_MMR_LAMBDA,
            min_categories: 0,
            preferred_categories: Vec::new(),
            exclude_product_ids: Vec::new(),
        }
    }
}

/// Normalized per-component scores of a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComponentScores {
    /// ALS score, normalized to [0, 1] within the request.
    pub collaborative: f32,
    /// Content similarity, normalized.
    pub content: f32,
    /// Trending score, normalized.
    pub popularity: f32,
}

/// One recommended product.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    /// The product's id.
    pub product_id: String,
    /// Display name.
    pub name: String,
    /// Category.
    pub category: String,
    /// Brand.
    pub brand: String,
    /// Price.
    pub price: f64,
    /// Blended score in [0, 1]; 0 for products added by the cascade fill.
    pub score: f32,
    /// The evidence, in words.
    pub reason: String,
    /// The normalized component scores.
    pub components: ComponentScores,
}

/// A product similar to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimilarItem {
    /// The product's id.
    pub product_id: String,
    /// Display name.
    pub name: String,
    /// Category.
    pub category: String,
    /// Brand.
    pub brand: String,
    /// Price.
    pub price: f64,
    /// Content cosine similarity.
    pub score: f32,
    /// The evidence, in words.
    pub reason: String,
}

/// One event of a user's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// The product's id.
    pub product_id: String,
    /// Display name.
    pub name: String,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: InteractionKind,
    /// When, in Unix seconds.
    pub timestamp: Timestamp,
    /// The rating, for ratings.
    pub value: Option<f32>,
}

/// An interaction recorded while serving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordedInteraction {
    /// The shopper; an unknown id creates the user.
    pub user_id: String,
    /// The product; it must be in the catalog.
    pub product_id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: InteractionKind,
    /// When, in Unix seconds.
    pub timestamp: Timestamp,
    /// The rating (1-5) for ratings; must be absent otherwise.
    #[serde(default)]
    pub value: Option<f32>,
}
