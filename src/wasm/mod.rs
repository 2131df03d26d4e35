//! The JS binding: one exported `Recommender` class.
//!
//! This layer only converts. It parses JS option objects into the core's types and
//! rejects unknown fields, so that a typo does not silently fall back to a default. It
//! calls the core, converts results to plain JS objects, and turns every error into a JS
//! `Error` with the core's message. Timestamps cross the boundary as Unix milliseconds,
//! the JS convention, while the core keeps Unix seconds. Nothing here panics on input
//! from JS.

// Input from files and from JS reaches this module: it must return errors, never panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod convert;
pub mod threads;

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::cache::CacheConfig;
use crate::evaluation::{simulate_ab_test, tune, AbTestConfig};
use crate::export::{catalog_json, interactions_csv, products_csv, users_csv};
use crate::loader::{load_csv, load_records, CsvInput, LoadOptions, RecordInput};
use crate::metrics::intra_list_diversity;
use crate::request::RecordedInteraction;
use crate::weights::Context;
use crate::{generate, EvaluationConfig, Product, RecommendRequest, Recommender, SyntheticConfig};
use convert::*;

/// How far past the browser's clock a recorded timestamp may lie: one day, for clock
/// skew between devices.
const FUTURE_TOLERANCE_MS: f64 = 86_400_000.0;

/// A catalog with its trained models, for use from JavaScript.
#[wasm_bindgen(js_name = Recommender)]
pub struct WasmRecommender {
    inner: Recommender,
}

impl WasmRecommender {
    fn wrap(mut inner: Recommender) -> Self {
        inner.set_clock(Arc::new(now_ms));
        WasmRecommender { inner }
    }
}

#[wasm_bindgen(js_class = Recommender)]
impl WasmRecommender {
    /// Builds a seeded synthetic shop: `{users = 10000, products = 5000, days = 90,
    /// seed = 42}`, every field optional.
    pub fn synthetic(options: JsValue) -> Result<WasmRecommender, JsError> {
        let options: SyntheticOptions =
            parse_options("Recommender.synthetic", SYNTHETIC_FIELDS, options)?;
        let defaults = SyntheticConfig::default();
        let config = SyntheticConfig {
            users: options.users.unwrap_or(defaults.users),
            products: options.products.unwrap_or(defaults.products),
            days: options.days.unwrap_or(defaults.days),
            seed: options.seed.unwrap_or(defaults.seed),
        };
        let shop = generate(&config).map_err(to_js)?;
        Ok(WasmRecommender::wrap(Recommender::from_synthetic(shop)))
    }

    /// Loads a real catalog from CSV texts `{products?, interactions, users?}` with
    /// options `{columns, productColumns, userColumns, eventTypes, defaultType, delimiter,
    /// productDelimiter, userDelimiter, hasHeader, dropCancellations, excludeProductIds,
    /// unknownProducts}`; `loadReport()` then gives the counts.
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(files: JsValue, options: JsValue) -> Result<WasmRecommender, JsError> {
        let files: CsvFiles = parse_object("Recommender.fromCsv", "files", FILE_FIELDS, files)?;
        let options: LoadOptions = parse_options("Recommender.fromCsv", LOAD_FIELDS, options)?;
        let input = CsvInput {
            products: files.products.as_deref(),
            interactions: &files.interactions,
            users: files.users.as_deref(),
        };
        let (catalog, report) = load_csv(input, &options).map_err(to_js)?;
        Ok(WasmRecommender::wrap(Recommender::from_loaded(
            catalog, report,
        )))
    }

    /// Loads a real catalog from arrays of objects `{products?, interactions, users?}`
    /// keyed by our field names (`productId`, `userId`, `type`, `timestamp`, ...), with
    /// the event and policy options of `fromCsv`.
    #[wasm_bindgen(js_name = fromData)]
    pub fn from_data(data: JsValue, options: JsValue) -> Result<WasmRecommender, JsError> {
        check_keys("Recommender.fromData", "data", FILE_FIELDS, &data)?;
        check_finite_records(&data)?;
        let input: RecordInput = parse_object("Recommender.fromData", "data", FILE_FIELDS, data)?;
        let options: LoadOptions = parse_options("Recommender.fromData", LOAD_FIELDS, options)?;
        let (catalog, report) = load_records(&input, &options).map_err(to_js)?;
        Ok(WasmRecommender::wrap(Recommender::from_loaded(
            catalog, report,
        )))
    }

    /// Serializes the catalog, settings and trained models into a versioned binary
    /// format with a checksum (see `src/persistence.rs`).
    pub fn save(&self) -> Vec<u8> {
        self.inner.save()
    }

    /// Restores a recommender from `save()`'s bytes (a `Uint8Array` or an `ArrayBuffer`).
    pub fn load(bytes: JsValue) -> Result<WasmRecommender, JsError> {
        let bytes = parse_bytes("Recommender.load", &bytes)?;
        Recommender::load(&bytes)
            .map(WasmRecommender::wrap)
            .map_err(to_js)
    }

    /// Returns the counts of the last load: `{products, users, interactions, skipped:
    /// {unknownProducts, cancellations, excludedProducts, skippedEventTypes}}`, or
    /// `null` for a synthetic catalog.
    #[wasm_bindgen(js_name = loadReport)]
    pub fn load_report(&self) -> Result<JsValue, JsError> {
        match self.inner.load_report() {
            Some(report) => to_js_value(report),
            None => Ok(JsValue::NULL),
        }
    }

    /// Trains every model. Returns `{stageMillis, totalMillis, loss, users, products,
    /// interactions}`; `onProgress` receives `{stage, fraction, iteration?, loss?}`.
    pub fn train(
        &mut self,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        let options: TrainOptions = parse_options("train", TRAIN_FIELDS, options)?;
        with_progress(on_progress, |hooks| {
            self.inner.train(options.into_config(), hooks)
        })
    }

    /// Recommends products: `{userId, k, context, productId, cartProductIds, weights,
    /// excludePurchased, mmrLambda, minCategories, preferredCategories}` to
    /// `[{productId, name, category, brand, price, score, reason, components}]`.
    pub fn recommend(&mut self, request: JsValue) -> Result<JsValue, JsError> {
        check_nested("recommend", &request, "weights", WEIGHT_FIELDS)?;
        let request: RecommendRequest = parse_options("recommend", RECOMMEND_FIELDS, request)?;
        let list = self.inner.recommend(&request).map_err(to_js)?;
        to_js_value(&list)
    }

    /// Returns the `k` products most similar in content to `productId`.
    #[wasm_bindgen(js_name = similarItems)]
    pub fn similar_items(&self, product_id: JsValue, k: JsValue) -> Result<JsValue, JsError> {
        let product_id = parse_string("productId", &product_id)?;
        let k = if k.is_undefined() {
            10
        } else {
            parse_count("k", &k)?
        };
        let list = self.inner.similar_items(&product_id, k).map_err(to_js)?;
        to_js_value(&list)
    }

    /// Evaluates every strategy on a time split: `{k = 10, ks = [5, 10, 20], testDays =
    /// 14, validationDays = 14, maxUsers = 2000, bootstrap = 1000, seed = 42}` to
    /// `{popularity, collaborative, content, hybrid, hybrid_mmr, segments, skippedUsers,
    /// k, trainInteractions, testInteractions}`.
    pub fn evaluate(
        &self,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        let config: EvaluationConfig = parse_options("evaluate", EVALUATE_FIELDS, options)?;
        with_progress(on_progress, |hooks| self.inner.evaluate(&config, hooks))
    }

    /// Installs ALS factors trained elsewhere as the collaborative model and builds the
    /// other models. `data` is the factor object `{version, factors, userIds,
    /// userFactors, itemIds, itemFactors}`, its JSON text, or the binary format as a
    /// `Uint8Array` or `ArrayBuffer` (docs/scale.md). `options` takes the fields of
    /// `train()`, of which `regularization` and `alpha` serve fold-in. Returns
    /// `{factors, importedUsers, unknownUsers, importedItems, unknownItems,
    /// unknownItemIds, productsWithoutFactors, foldedInUsers, totalMillis}`.
    ///
    /// NOTE: `evaluate()` afterwards fits our own ALS on its time split with the
    /// imported factor count. The CLI's `evaluate --import-factors` measures imported
    /// factors.
    #[wasm_bindgen(js_name = importFactors)]
    pub fn import_factors(
        &mut self,
        data: JsValue,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        let imported = parse_factors(&data)?;
        let options: TrainOptions = parse_options("importFactors", TRAIN_FIELDS, options)?;
        with_progress(on_progress, |hooks| {
            self.inner
                .import_factors(&imported, options.into_config(), hooks)
                .map(|(_, report)| report)
        })
    }

    /// Returns all products: `[{productId, name, category, brand, price, description}]`.
    pub fn products(&self) -> Result<JsValue, JsError> {
        let list: Vec<ProductView> = self
            .inner
            .catalog()
            .products()
            .iter()
            .map(|p| ProductView {
                product_id: &p.id,
                name: &p.name,
                category: &p.category,
                brand: &p.brand,
                price: p.price,
                description: &p.description,
            })
            .collect();
        to_js_value(&list)
    }

    /// Returns all users with their interaction counts: `[{userId, interactions, ageBand, region}]`.
    pub fn users(&self) -> Result<JsValue, JsError> {
        let counts = self.inner.catalog().interaction_counts();
        let list: Vec<UserView> = self
            .inner
            .catalog()
            .users()
            .iter()
            .zip(counts)
            .map(|(u, interactions)| UserView {
                user_id: &u.id,
                interactions,
                age_band: u.age_band.as_deref(),
                region: u.region.as_deref(),
            })
            .collect();
        to_js_value(&list)
    }

    /// Returns a user's interactions, oldest first: `[{productId, name, type, timestamp, value}]`
    /// with the timestamp in Unix milliseconds. Empty for an unknown user.
    #[wasm_bindgen(js_name = userHistory)]
    pub fn user_history(&self, user_id: JsValue) -> Result<JsValue, JsError> {
        let user_id = parse_string("userId", &user_id)?;
        let list: Vec<HistoryView> = self
            .inner
            .user_history(&user_id)
            .into_iter()
            .map(|entry| HistoryView {
                product_id: entry.product_id,
                name: entry.name,
                kind: entry.kind,
                timestamp: entry.timestamp as f64 * 1000.0,
                value: entry.value,
            })
            .collect();
        to_js_value(&list)
    }

    /// Exports the catalog as CSV texts: `{products, users, interactions}`.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> Result<JsValue, JsError> {
        let catalog = self.inner.catalog();
        to_js_value(&CsvExport {
            products: products_csv(catalog),
            users: users_csv(catalog),
            interactions: interactions_csv(catalog),
        })
    }

    /// Exports the catalog as one JSON text: `{products, users, interactions}`.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> String {
        catalog_json(self.inner.catalog())
    }

    /// Records what a shopper did: `{userId, productId, type, timestamp?, value?}` with
    /// `type` one of view, cart, purchase, rating (with `value` 1-5), not_interested, and
    /// `timestamp` in Unix milliseconds (default now). The next `recommend` for the user
    /// reflects it; an unknown user id creates the user.
    #[wasm_bindgen(js_name = recordInteraction)]
    pub fn record_interaction(&mut self, interaction: JsValue) -> Result<(), JsError> {
        let input: InteractionInput = parse_object(
            "recordInteraction",
            "interaction",
            RECORD_FIELDS,
            interaction,
        )?;
        let now = js_sys::Date::now();
        let millis = input.timestamp.unwrap_or(now);
        // A timestamp far in the future would become the "now" of every decay and time
        // window at the next training; one below 1e11 ms is 1973 and almost surely
        // seconds passed where milliseconds were meant.
        if millis > now + FUTURE_TOLERANCE_MS {
            return Err(JsError::new(&format!(
                "invalid timestamp: {}, expected Unix milliseconds no later than one day from now ({now})",
                format_number(millis)
            )));
        }
        if (0.0..1e11).contains(&millis) {
            return Err(JsError::new(&format!(
                "invalid timestamp: {}, expected Unix milliseconds; this looks like seconds (multiply by 1000)",
                format_number(millis)
            )));
        }
        let record = RecordedInteraction {
            user_id: input.user_id,
            product_id: input.product_id,
            kind: input.kind,
            timestamp: timestamp_seconds("timestamp", millis)?,
            value: input.value,
        };
        self.inner.record_interaction(&record).map_err(to_js)
    }

    /// Adds a product at run time: `{productId, name, category?, brand?, price?,
    /// description?}`. It is recommendable at once through content similarity.
    #[wasm_bindgen(js_name = addProduct)]
    pub fn add_product(&mut self, product: JsValue) -> Result<(), JsError> {
        let input: ProductInput = parse_object("addProduct", "product", PRODUCT_FIELDS, product)?;
        let product = Product {
            id: input.product_id,
            name: input.name,
            category: input.category,
            brand: input.brand,
            price: input.price,
            description: input.description,
        };
        self.inner.add_product(product).map_err(to_js)
    }

    /// Removes a user's interactions and factors; returns how many interactions were
    /// removed (0 for an unknown user).
    #[wasm_bindgen(js_name = forgetUser)]
    pub fn forget_user(&mut self, user_id: JsValue) -> Result<u32, JsError> {
        let user_id = parse_string("userId", &user_id)?;
        let removed = self.inner.forget_user(&user_id).map_err(to_js)?;
        Ok(removed as u32)
    }

    /// Recommendations for every user in one batch: `{k = 10, context = "homepage"}` to
    /// `{userId: [productId, ...]}`.
    #[wasm_bindgen(js_name = precomputeAll)]
    pub fn precompute_all(&self, options: JsValue) -> Result<JsValue, JsError> {
        let options: PrecomputeOptions =
            parse_options("precomputeAll", PRECOMPUTE_FIELDS, options)?;
        let lists = self
            .inner
            .precompute_all(
                options.k.unwrap_or(10),
                options.context.unwrap_or(Context::Homepage),
            )
            .map_err(to_js)?;
        to_js_value(&lists)
    }

    /// Serving statistics: `{requests, cacheHitRate, latencyMs: {p50, p95, p99},
    /// interactionsSinceTraining, cacheEntries}`, latencies measured inside wasm.
    pub fn stats(&self) -> Result<JsValue, JsError> {
        to_js_value(&self.inner.stats())
    }

    /// Sets the response cache: `{capacity = 1000, ttlMs = 60000}`; empties it.
    #[wasm_bindgen(js_name = setCacheOptions)]
    pub fn set_cache_options(&mut self, options: JsValue) -> Result<(), JsError> {
        let options: CacheOptions = parse_options("setCacheOptions", CACHE_FIELDS, options)?;
        let defaults = CacheConfig::default();
        let ttl_ms = options.ttl_ms.unwrap_or(defaults.ttl_ms);
        if !ttl_ms.is_finite() || ttl_ms < 0.0 {
            return Err(JsError::new(&format!(
                "invalid ttlMs: {ttl_ms}, expected a finite number of at least 0"
            )));
        }
        self.inner.set_cache_config(CacheConfig {
            capacity: options.capacity.unwrap_or(defaults.capacity),
            ttl_ms,
        });
        Ok(())
    }

    /// Computes the intra-list diversity of a list of product ids: the mean `1 - cosine` of their
    /// content vectors over all pairs (0 for fewer than two products).
    #[wasm_bindgen(js_name = intraListDiversity)]
    pub fn intra_list_diversity(&self, product_ids: JsValue) -> Result<f64, JsError> {
        let ids: Vec<String> = serde_wasm_bindgen::from_value(product_ids).map_err(|_| {
            JsError::new(
                "invalid productIds for intraListDiversity(): expected an array of strings",
            )
        })?;
        let models = self
            .inner
            .models()
            .ok_or_else(|| to_js(crate::Error::NotTrained))?;
        let catalog = self.inner.catalog();
        let items = ids
            .iter()
            .map(|id| catalog.product_index(id))
            .collect::<crate::Result<Vec<u32>>>()
            .map_err(to_js)?;
        Ok(intra_list_diversity(&items, |a, b| {
            models.content.similarity(a as usize, b as usize)
        }))
    }

    /// Returns `{first, last}`, the times of the oldest and the newest interaction in Unix
    /// milliseconds, or `null` without interactions. A demo whose data lies in the past
    /// can date new events just after `last`, so that time windows stay meaningful.
    #[wasm_bindgen(js_name = timeRange)]
    pub fn time_range(&self) -> Result<JsValue, JsError> {
        match self.inner.catalog().time_range() {
            Some((first, last)) => to_js_value(&serde_json::json!({
                "first": first as f64 * 1000.0,
                "last": last as f64 * 1000.0,
            })),
            None => Ok(JsValue::NULL),
        }
    }

    /// Returns the catalog's category names, for onboarding pickers.
    pub fn categories(&self) -> Vec<String> {
        self.inner.catalog().categories().to_vec()
    }

    /// Searches ALS settings and hybrid weights on the validation window: `{grid:
    /// {factors, regularization, alpha, iterations, weights}, k, testDays,
    /// validationDays, maxUsers, seed, onProgress}` to `{best, runs}`, each run with its
    /// settings and validation `ndcg`, `precision`, `recall`. The progress callback may
    /// be given in the options or as the second argument.
    pub fn tune(
        &self,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        check_nested("tune", &options, "grid", GRID_FIELDS)?;
        // `onProgress` may also come inside the options, as `tune({grid, onProgress})`.
        let (options, on_progress) = take_callback(options, "onProgress", on_progress)?;
        let options: TuneOptions = parse_options("tune", TUNE_FIELDS, options)?;
        let defaults = EvaluationConfig::default();
        let config = EvaluationConfig {
            k: options.k.unwrap_or(defaults.k),
            test_days: options.test_days.unwrap_or(defaults.test_days),
            validation_days: options.validation_days.unwrap_or(defaults.validation_days),
            max_users: options.max_users.unwrap_or(defaults.max_users),
            seed: options.seed.unwrap_or(defaults.seed),
            ..defaults
        };
        let grid = options.grid.unwrap_or_default();
        with_progress(on_progress, |hooks| {
            tune(
                self.inner.catalog(),
                self.inner.config(),
                &grid,
                &config,
                hooks,
            )
        })
    }

    /// Simulates an A/B test against the synthetic users' true tastes: `{control,
    /// treatment, split = 0.5, seed = 42, k = 10, users = 4000}`, an arm being `{weights,
    /// mmrLambda, minCategories}`, to `{control: {users, ctr, conversion, aov, revenue},
    /// treatment, difference, z, pValue}`.
    #[wasm_bindgen(js_name = simulateAbTest)]
    pub fn simulate_ab_test(&self, options: JsValue) -> Result<JsValue, JsError> {
        for arm in ["control", "treatment"] {
            check_nested("simulateAbTest", &options, arm, ARM_FIELDS)?;
        }
        let config: AbTestConfig = parse_options("simulateAbTest", AB_FIELDS, options)?;
        let truth = self.inner.truth().ok_or_else(|| {
            JsError::new("simulateAbTest needs the hidden tastes of a synthetic catalog (Recommender.synthetic)")
        })?;
        let report = simulate_ab_test(&self.inner, truth, &config).map_err(to_js)?;
        to_js_value(&report)
    }
}
