//! The JS binding: one exported `Recommender` class.
//!
//! This layer only converts: it parses JS option objects into the core's types (unknown
//! fields are rejected so that a typo does not silently fall back to a default), calls
//! the core, and converts results to plain JS objects and every error to a JS `Error`
//! with the core's message. Timestamps cross the boundary as Unix milliseconds, the JS
//! convention; the core keeps Unix seconds. Nothing here panics on input from JS.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::export::{catalog_json, interactions_csv, products_csv, users_csv};
use crate::training::{Hooks, Progress, TrainConfig};
use crate::{
    generate, EvaluationConfig, InteractionKind, RecommendRequest, Recommender, SyntheticConfig,
};

/// Synthetic catalog options (`Recommender.synthetic`).
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SyntheticOptions {
    users: Option<usize>,
    products: Option<usize>,
    days: Option<usize>,
    seed: Option<u64>,
}

/// Training options (`rec.train`); unset fields keep their defaults.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
struct TrainOptions {
    factors: Option<usize>,
    iterations: Option<usize>,
    regularization: Option<f32>,
    alpha: Option<f32>,
    seed: Option<u64>,
    cg_steps: Option<usize>,
    half_life_days: Option<f64>,
    max_terms: Option<usize>,
    neighbours: Option<usize>,
    popularity_window_days: Option<f64>,
}

impl TrainOptions {
    fn into_config(self) -> TrainConfig {
        let mut config = TrainConfig::default();
        let als = &mut config.als;
        als.factors = self.factors.unwrap_or(als.factors);
        als.iterations = self.iterations.unwrap_or(als.iterations);
        als.regularization = self.regularization.unwrap_or(als.regularization);
        als.alpha = self.alpha.unwrap_or(als.alpha);
        als.seed = self.seed.unwrap_or(als.seed);
        als.cg_steps = self.cg_steps.unwrap_or(als.cg_steps);
        let confidence = &mut config.confidence;
        confidence.half_life_days = self.half_life_days.unwrap_or(confidence.half_life_days);
        let content = &mut config.content;
        content.max_terms = self.max_terms.unwrap_or(content.max_terms);
        content.neighbours = self.neighbours.unwrap_or(content.neighbours);
        let popularity = &mut config.popularity;
        popularity.window_days = self
            .popularity_window_days
            .unwrap_or(popularity.window_days);
        config
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductView<'a> {
    product_id: &'a str,
    name: &'a str,
    category: &'a str,
    brand: &'a str,
    price: f64,
    description: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserView<'a> {
    user_id: &'a str,
    interactions: u32,
    age_band: Option<&'a str>,
    region: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryView {
    product_id: String,
    name: String,
    #[serde(rename = "type")]
    kind: InteractionKind,
    timestamp: f64,
    value: Option<f32>,
}

#[derive(Serialize)]
struct CsvExport {
    products: String,
    users: String,
    interactions: String,
}

/// A catalog with its trained models, for use from JavaScript.
#[wasm_bindgen(js_name = Recommender)]
pub struct WasmRecommender {
    inner: Recommender,
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
        Ok(WasmRecommender {
            inner: Recommender::new(shop.catalog),
        })
    }

    /// Trains every model. Returns `{stageMillis, totalMillis, loss, users, products,
    /// interactions}`; `onProgress` receives `{stage, fraction, iteration?, loss?}`.
    pub fn train(
        &mut self,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        let options: TrainOptions = parse_options("train", TRAIN_FIELDS, options)?;
        let mut progress = progress_forwarder(on_progress);
        let report = self
            .inner
            .train(
                options.into_config(),
                &mut Hooks {
                    clock: &now_ms,
                    progress: &mut progress,
                },
            )
            .map_err(to_js)?;
        to_js_value(&report)
    }

    /// Recommends products: `{userId, k, context, productId, cartProductIds, weights,
    /// excludePurchased}` to `[{productId, name, category, brand, price, score, reason,
    /// components}]`.
    pub fn recommend(&self, request: JsValue) -> Result<JsValue, JsError> {
        if request.is_object() {
            let weights = js_sys::Reflect::get(&request, &JsValue::from_str("weights"))
                .unwrap_or(JsValue::UNDEFINED);
            if !weights.is_undefined() && !weights.is_null() {
                check_keys("recommend", "weights", WEIGHT_FIELDS, &weights)?;
            }
        }
        let request: RecommendRequest = parse_options("recommend", RECOMMEND_FIELDS, request)?;
        let list = self.inner.recommend(&request).map_err(to_js)?;
        to_js_value(&list)
    }

    /// The `k` products most similar in content to `productId`.
    #[wasm_bindgen(js_name = similarItems)]
    pub fn similar_items(&self, product_id: JsValue, k: JsValue) -> Result<JsValue, JsError> {
        let product_id = product_id.as_string().ok_or_else(|| {
            JsError::new(&format!(
                "invalid productId: {}, expected a string",
                describe(&product_id)
            ))
        })?;
        let k = if k.is_undefined() {
            10
        } else {
            parse_count("k", &k)?
        };
        let list = self.inner.similar_items(&product_id, k).map_err(to_js)?;
        to_js_value(&list)
    }

    /// Evaluates every strategy on a time split: `{k = 10, testDays = 14, maxUsers =
    /// 2000, seed = 42}` to `{popularity, collaborative, content, hybrid}`.
    pub fn evaluate(
        &self,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsError> {
        let config: EvaluationConfig = parse_options("evaluate", EVALUATE_FIELDS, options)?;
        let mut progress = progress_forwarder(on_progress);
        let report = self
            .inner
            .evaluate(
                &config,
                &mut Hooks {
                    clock: &now_ms,
                    progress: &mut progress,
                },
            )
            .map_err(to_js)?;
        to_js_value(&report)
    }

    /// All products: `[{productId, name, category, brand, price, description}]`.
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

    /// All users with their interaction counts: `[{userId, interactions, ageBand, region}]`.
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

    /// A user's interactions, oldest first: `[{productId, name, type, timestamp, value}]`
    /// with the timestamp in Unix milliseconds. Empty for an unknown user.
    #[wasm_bindgen(js_name = userHistory)]
    pub fn user_history(&self, user_id: JsValue) -> Result<JsValue, JsError> {
        let user_id = user_id.as_string().ok_or_else(|| {
            JsError::new(&format!(
                "invalid userId: {}, expected a string",
                describe(&user_id)
            ))
        })?;
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

    /// The catalog as CSV texts: `{products, users, interactions}`.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> Result<JsValue, JsError> {
        let catalog = self.inner.catalog();
        to_js_value(&CsvExport {
            products: products_csv(catalog),
            users: users_csv(catalog),
            interactions: interactions_csv(catalog),
        })
    }

    /// The catalog as one JSON text: `{products, users, interactions}`.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> String {
        catalog_json(self.inner.catalog())
    }
}

/// The option names each method accepts. serde_wasm_bindgen reads only the fields a
/// struct declares, so unknown (misspelt) names are caught here instead.
const SYNTHETIC_FIELDS: &[&str] = &["users", "products", "days", "seed"];
const TRAIN_FIELDS: &[&str] = &[
    "factors",
    "iterations",
    "regularization",
    "alpha",
    "seed",
    "cgSteps",
    "halfLifeDays",
    "maxTerms",
    "neighbours",
    "popularityWindowDays",
];
const RECOMMEND_FIELDS: &[&str] = &[
    "userId",
    "k",
    "context",
    "productId",
    "cartProductIds",
    "weights",
    "excludePurchased",
];
const WEIGHT_FIELDS: &[&str] = &["collaborative", "content", "popularity"];
const EVALUATE_FIELDS: &[&str] = &["k", "testDays", "maxUsers", "seed"];

/// Parses an options object whose keys must be among `fields`; `undefined` or `null`
/// gives the defaults.
fn parse_options<T: DeserializeOwned + Default>(
    method: &str,
    fields: &[&str],
    value: JsValue,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    check_keys(method, "options", fields, &value)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        // The error renders as a JS Error's toString(), "Error: <message>".
        let text = e.to_string();
        let text = text.strip_prefix("Error: ").unwrap_or(&text);
        JsError::new(&format!("invalid options for {method}(): {text}"))
    })
}

/// Rejects a value that is not a plain object or has a key outside `fields`.
fn check_keys(method: &str, what: &str, fields: &[&str], value: &JsValue) -> Result<(), JsError> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(JsError::new(&format!(
            "invalid {what} for {method}(): {}, expected an object",
            describe(value)
        )));
    }
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !fields.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "invalid {what} for {method}(): unknown field {key:?}, expected one of {}",
                fields.join(", ")
            )));
        }
    }
    Ok(())
}

/// Parses a non-negative whole number.
fn parse_count(name: &str, value: &JsValue) -> Result<usize, JsError> {
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => {
            Ok(n as usize)
        }
        _ => Err(JsError::new(&format!(
            "invalid {name}: {}, expected a whole number",
            describe(value)
        ))),
    }
}

/// A short rendering of a JS value for error messages.
fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return format!("{s:?}");
    }
    if value.is_undefined() {
        return "undefined".into();
    }
    if value.is_null() {
        return "null".into();
    }
    value
        .as_f64()
        .map(|n| n.to_string())
        .unwrap_or_else(|| "an object".into())
}

fn to_js(error: crate::Error) -> JsError {
    JsError::new(&error.to_string())
}

fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("failed to convert the result to JS: {e}")))
}

/// Forwards progress events to an optional JS callback; a callback that throws is
/// ignored so that training continues.
fn progress_forwarder(callback: Option<js_sys::Function>) -> impl FnMut(Progress) {
    move |progress: Progress| {
        if let (Some(callback), Ok(value)) = (&callback, to_js_value(&progress)) {
            let _ = callback.call1(&JsValue::NULL, &value);
        }
    }
}

/// `performance.now()` in a window or a worker, or `Date.now()` where there is none.
fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
    match performance {
        Some(performance) => performance.now(),
        None => js_sys::Date::now(),
    }
}
