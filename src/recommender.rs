//! The public facade: a catalog, its trained models and the queries a storefront makes,
//! all in the catalog's own string ids, with a response cache and serving statistics.

use std::sync::Arc;

use crate::cache::{CacheConfig, ResponseCache};
use crate::catalog::Catalog;
use crate::error::{check_range, Error, Result};
use crate::evaluation::{evaluate_with, EvaluationConfig, EvaluationReport};
use crate::hybrid::{rank, Query, Ranked};
use crate::loader::LoadReport;
use crate::reason::reasons;
use crate::request::{
    ComponentScores, HistoryEntry, RecommendRequest, Recommendation, SimilarItem, MAX_K,
};
use crate::stats::{ServingStats, Stats};
use crate::synthetic::{GroundTruth, SyntheticShop};
use crate::training::{Hooks, Models, TrainConfig, TrainReport};
use crate::weights::{Context, Weights};

/// A millisecond clock for cache expiry and latency statistics.
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

/// A catalog with trained models.
#[derive(Clone)]
pub struct Recommender {
    pub(crate) catalog: Catalog,
    pub(crate) config: TrainConfig,
    pub(crate) models: Option<Models>,
    pub(crate) cache: ResponseCache<Vec<Recommendation>>,
    pub(crate) serving: ServingStats,
    pub(crate) interactions_since_training: u64,
    pub(crate) truth: Option<GroundTruth>,
    /// The counts of the load that built the catalog; `None` for a synthetic shop.
    pub(crate) load_report: Option<LoadReport>,
    clock: Clock,
}

impl std::fmt::Debug for Recommender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recommender")
            .field("products", &self.catalog.products().len())
            .field("users", &self.catalog.users().len())
            .field("trained", &self.models.is_some())
            .finish()
    }
}

/// Returns the default clock: monotonic milliseconds where the standard library has a
/// clock. On `wasm32-unknown-unknown`, where `std::time::Instant` panics, it is a constant
/// 0 until the wasm binding installs `performance.now()`.
fn default_clock() -> Clock {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let start = std::time::Instant::now();
        Arc::new(move || start.elapsed().as_secs_f64() * 1000.0)
    }
    #[cfg(target_arch = "wasm32")]
    {
        Arc::new(|| 0.0)
    }
}

impl Recommender {
    /// Wraps a catalog; call [`Recommender::train`] before querying.
    pub fn new(catalog: Catalog) -> Self {
        Recommender {
            catalog,
            config: TrainConfig::default(),
            models: None,
            cache: ResponseCache::new(CacheConfig::default()),
            serving: ServingStats::default(),
            interactions_since_training: 0,
            truth: None,
            load_report: None,
            clock: default_clock(),
        }
    }

    /// Wraps a catalog read by a loader, keeping the load's counts for
    /// [`Recommender::load_report`] and for saving.
    pub fn from_loaded(catalog: Catalog, report: LoadReport) -> Self {
        let mut recommender = Recommender::new(catalog);
        recommender.load_report = Some(report);
        recommender
    }

    /// Returns the counts of the load that built the catalog, or `None` for a synthetic
    /// shop or a catalog built in code.
    pub fn load_report(&self) -> Option<&LoadReport> {
        self.load_report.as_ref()
    }

    /// Wraps a synthetic shop, keeping its hidden tastes for [`crate::simulate_ab_test`]
    /// and for saving.
    pub fn from_synthetic(shop: SyntheticShop) -> Self {
        let mut recommender = Recommender::new(shop.catalog);
        recommender.truth = Some(shop.truth);
        recommender
    }

    /// Returns the hidden tastes of a synthetic catalog, if this recommender has them.
    pub fn truth(&self) -> Option<&GroundTruth> {
        self.truth.as_ref()
    }

    /// Replaces the clock used for cache expiry and latency statistics.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Replaces the cache settings and empties the cache.
    pub fn set_cache_config(&mut self, config: CacheConfig) {
        self.cache = ResponseCache::new(config);
    }

    /// Returns the catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Returns the settings of the last training.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Returns the trained models, if any.
    pub fn models(&self) -> Option<&Models> {
        self.models.as_ref()
    }

    pub(crate) fn now_ms(&self) -> f64 {
        (self.clock)()
    }

    /// Trains every model on all interactions, including those recorded since the last
    /// training. On error the previous models stay.
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
        self.cache.clear();
        self.interactions_since_training = 0;
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

    /// Recommends up to `k` products, from the cache when the same request was served
    /// within the cache's time to live. Returns exactly `k` whenever the catalog has `k`
    /// eligible products. A visitor without history gets popular products.
    pub fn recommend(&mut self, request: &RecommendRequest) -> Result<Vec<Recommendation>> {
        let start = self.now_ms();
        // A request holds only strings, numbers, booleans and enums, which serde_json
        // always serializes.
        let key = serde_json::to_string(request).unwrap_or_default();
        if let Some(cached) = self.cache.get(&key, start) {
            self.serving.record(self.now_ms() - start, true);
            return Ok(cached);
        }
        let list = self.recommend_uncached(request)?;
        let now = self.now_ms();
        self.cache
            .insert(key, request.user_id.clone(), list.clone(), now);
        self.serving.record(now - start, false);
        Ok(list)
    }

    /// [`Recommender::recommend`] without the cache or the statistics.
    pub fn recommend_uncached(&self, request: &RecommendRequest) -> Result<Vec<Recommendation>> {
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
        let preferred = self.category_indices(&request.preferred_categories)?;
        let excluded = request
            .exclude_product_ids
            .iter()
            .map(|id| self.catalog.product_index(id))
            .collect::<Result<Vec<u32>>>()?;
        let mut query = self.query(models, request, anchor, &cart, &preferred)?;
        query.excluded = &excluded;
        let ranked = rank(models, &query);
        let reasons = reasons(models, &self.catalog, &query, &ranked);
        Ok(ranked
            .into_iter()
            .zip(reasons)
            .map(|(r, reason)| self.recommendation(r, reason))
            .collect())
    }

    /// Serializes the catalog, settings and models (format in [`crate::persistence`]).
    pub fn save(&self) -> Vec<u8> {
        crate::persistence::save(self)
    }

    /// Restores a recommender saved by [`Recommender::save`]; fails with a clear error on a
    /// wrong format version and on truncated or corrupted bytes.
    pub fn load(bytes: &[u8]) -> Result<Recommender> {
        crate::persistence::load(bytes)
    }

    /// Serving statistics since the recommender was created.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.serving.requests(),
            cache_hit_rate: self.serving.hit_rate(),
            latency_ms: self.serving.percentiles(),
            interactions_since_training: self.interactions_since_training,
            cache_entries: self.cache.len(),
        }
    }

    /// Resolves category names to indices, failing on a name the catalog does not have.
    fn category_indices(&self, names: &[String]) -> Result<Vec<u32>> {
        let categories = self.catalog.categories();
        names
            .iter()
            .map(|name| {
                categories
                    .iter()
                    .position(|c| c == name)
                    .map(|c| c as u32)
                    .ok_or_else(|| {
                        Error::invalid(
                            "preferredCategories",
                            format!("{name:?}"),
                            format!("one of the catalog's categories: {}", categories.join(", ")),
                        )
                    })
            })
            .collect()
    }

    /// Validates a request and resolves it to indices.
    fn query<'a>(
        &self,
        models: &Models,
        request: &RecommendRequest,
        anchor: Option<u32>,
        cart: &'a [u32],
        preferred: &'a [u32],
    ) -> Result<Query<'a>> {
        check_range("k", request.k, 1, MAX_K)?;
        check_range("minCategories", request.min_categories, 0, MAX_K)?;
        if !(0.0..=1.0).contains(&request.mmr_lambda) {
            return Err(Error::invalid(
                "mmrLambda",
                request.mmr_lambda,
                "a number from 0 to 1",
            ));
        }
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
        let history_items = user.map_or(0, |u| models.user_row(u).0.len());
        let group_popularity = match user {
            Some(u) if history_items == 0 => models.popularity.group_scores(u),
            _ => None,
        };
        Ok(Query {
            user,
            context: request.context,
            anchor,
            cart,
            excluded: &[],
            weights: request
                .weights
                .unwrap_or_else(|| Weights::automatic(request.context, history_items)),
            k: request.k,
            exclude_purchased: request.exclude_purchased,
            mmr_lambda: request.mmr_lambda,
            min_categories: request.min_categories,
            preferred_categories: preferred,
            group_popularity,
            collaborative_scores: None,
            content_scores: None,
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

    /// Returns the `k` products whose content is most similar to `product_id`'s, from the stored
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
                    category: product.category.clone(),
                    brand: product.brand.clone(),
                    price: product.price,
                    score,
                    reason: shared,
                }
            })
            .collect())
    }

    /// Returns a user's interactions, oldest first; empty for an unknown user.
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
