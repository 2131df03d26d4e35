//! The public facade: a catalog, its trained models and the queries a storefront makes,
//! all in the catalog's own string ids.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, InteractionKind, Timestamp};
use crate::error::{check_range, Error, Result};
use crate::evaluation::{evaluate_with, EvaluationConfig, EvaluationReport};
use crate::hybrid::{rank, Query, Ranked};
use crate::reason::reasons;
use crate::training::{Hooks, Models, TrainConfig, TrainReport};
use crate::weights::{Context, Weights};

/// The largest `k` a request may ask for.
pub const MAX_K: usize = 1000;

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

/// A catalog with trained models.
#[derive(Debug, Clone)]
pub struct Recommender {
    catalog: Catalog,
    config: TrainConfig,
    models: Option<Models>,
}

impl Recommender {
    /// Wraps a catalog; call [`Recommender::train`] before querying.
    pub fn new(catalog: Catalog) -> Self {
        Recommender {
            catalog,
            config: TrainConfig::default(),
            models: None,
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The settings of the last training.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The trained models, if any.
    pub fn models(&self) -> Option<&Models> {
        self.models.as_ref()
    }

    /// Trains every model on all interactions. On error the previous models stay.
    pub fn train(&mut self, config: TrainConfig, hooks: &mut Hooks) -> Result<TrainReport> {
        let (models, report) = Models::train(
            &self.catalog,
            self.catalog.interactions(),
            &config,
            None,
            hooks,
        )?;
        self.models = Some(models);
        self.config = config;
        Ok(report)
    }

    /// Evaluates every strategy on a time split of this catalog with the settings of the
    /// last training (see [`crate::evaluation`]), reusing the trained content model.
    pub fn evaluate(
        &self,
        config: &EvaluationConfig,
        hooks: &mut Hooks,
    ) -> Result<EvaluationReport> {
        let content = self.models.as_ref().map(|m| m.content.clone());
        evaluate_with(&self.catalog, &self.config, config, content, hooks)
    }

    /// Recommends up to `k` products. Returns exactly `k` whenever the catalog has `k`
    /// eligible products. A visitor without history gets trending products.
    pub fn recommend(&self, request: &RecommendRequest) -> Result<Vec<Recommendation>> {
        let models = self.models.as_ref().ok_or(Error::NotTrained)?;
        let anchor = request
            .product_id
            .as_deref()
            .map(|id| self.catalog.product_index(id))
            .transpose()?;
        let cart = request
            .cart_product_ids
            .iter()
            .map(|id| self.catalog.product_index(id))
            .collect::<Result<Vec<u32>>>()?;
        let query = self.query(request, anchor, &cart)?;
        let ranked = rank(models, &query);
        let reasons = reasons(models, &self.catalog, &query, &ranked);
        Ok(ranked
            .into_iter()
            .zip(reasons)
            .map(|(r, reason)| self.recommendation(r, reason))
            .collect())
    }

    /// Validates a request and resolves it to indices.
    fn query<'a>(
        &self,
        request: &RecommendRequest,
        anchor: Option<u32>,
        cart: &'a [u32],
    ) -> Result<Query<'a>> {
        check_range("k", request.k, 1, MAX_K)?;
        match request.context {
            Context::ProductPage if anchor.is_none() => {
                return Err(Error::invalid(
                    "productId",
                    "missing",
                    "a product id for context \"product_page\"",
                ));
            }
            Context::Cart if cart.is_empty() => {
                return Err(Error::invalid(
                    "cartProductIds",
                    "[]",
                    "at least one product id for context \"cart\"",
                ));
            }
            _ => {}
        }
        if let Some(weights) = &request.weights {
            weights.validate()?;
        }
        let user = request
            .user_id
            .as_deref()
            .and_then(|id| self.catalog.user_index(id))
            .map(|u| u as usize);
        let history_items = match (user, self.models.as_ref()) {
            (Some(u), Some(models)) => models.interactions.user_row(u).0.len(),
            _ => 0,
        };
        Ok(Query {
            user,
            context: request.context,
            anchor,
            cart,
            weights: request
                .weights
                .unwrap_or_else(|| Weights::automatic(request.context, history_items)),
            k: request.k,
            exclude_purchased: request.exclude_purchased,
        })
    }

    fn recommendation(&self, ranked: Ranked, reason: String) -> Recommendation {
        let product = &self.catalog.products()[ranked.item as usize];
        Recommendation {
            product_id: product.id.clone(),
            name: product.name.clone(),
            category: product.category.clone(),
            brand: product.brand.clone(),
            price: product.price,
            score: ranked.score,
            reason,
            components: ComponentScores {
                collaborative: ranked.components[0],
                content: ranked.components[1],
                popularity: ranked.components[2],
            },
        }
    }

    /// The `k` products whose content is most similar to `product_id`'s, from the stored
    /// neighbour lists (at most the configured number of neighbours).
    pub fn similar_items(&self, product_id: &str, k: usize) -> Result<Vec<SimilarItem>> {
        let models = self.models.as_ref().ok_or(Error::NotTrained)?;
        check_range("k", k, 1, MAX_K)?;
        let anchor = self.catalog.product_index(product_id)? as usize;
        let products = self.catalog.products();
        let source = &products[anchor];
        Ok(models
            .content
            .neighbours(anchor)
            .iter()
            .take(k)
            .map(|&(item, score)| {
                let product = &products[item as usize];
                let shared = match (
                    product.brand == source.brand && !source.brand.is_empty(),
                    product.category == source.category,
                ) {
                    (true, _) => format!("Similar to {}, same brand", source.name),
                    (false, true) => format!("Similar to {}, same category", source.name),
                    (false, false) => format!("Similar to {}", source.name),
                };
                SimilarItem {
                    product_id: product.id.clone(),
                    name: product.name.clone(),
                    score,
                    reason: shared,
                }
            })
            .collect())
    }

    /// A user's interactions, oldest first; empty for an unknown user.
    pub fn user_history(&self, user_id: &str) -> Vec<HistoryEntry> {
        let Some(user) = self.catalog.user_index(user_id) else {
            return Vec::new();
        };
        let products = self.catalog.products();
        self.catalog
            .user_interactions(user)
            .map(|event| HistoryEntry {
                product_id: products[event.product as usize].id.clone(),
                name: products[event.product as usize].name.clone(),
                kind: event.kind,
                timestamp: event.timestamp,
                value: event.value,
            })
            .collect()
    }
}
