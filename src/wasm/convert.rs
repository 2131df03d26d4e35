//! Conversions at the JS boundary: option objects in, plain objects out, errors as JS
//! `Error`s, and the browser clock.

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

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::catalog::InteractionKind;
use crate::factors::ImportedFactors;
use crate::training::{Hooks, Progress, TrainConfig};
use crate::weights::Context;

/// Synthetic catalog options (`Recommender.synthetic`).
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub(super) struct SyntheticOptions {
    pub(super) users: Option<usize>,
    pub(super) products: Option<usize>,
    pub(super) days: Option<usize>,
    pub(super) seed: Option<u64>,
}

/// Training options (`rec.train`); unset fields keep their defaults.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct TrainOptions {
    pub(super) factors: Option<usize>,
    pub(super) iterations: Option<usize>,
    pub(super) regularization: Option<f32>,
    pub(super) alpha: Option<f32>,
    pub(super) seed: Option<u64>,
    pub(super) cg_steps: Option<usize>,
    pub(super) half_life_days: Option<f64>,
    pub(super) max_terms: Option<usize>,
    pub(super) neighbours: Option<usize>,
    pub(super) popularity_window_days: Option<f64>,
}

impl TrainOptions {
    pub(super) fn into_config(self) -> TrainConfig {
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
pub(super) struct ProductView<'a> {
    pub(super) product_id: &'a str,
    pub(super) name: &'a str,
    pub(super) category: &'a str,
    pub(super) brand: &'a str,
    pub(super) price: f64,
    pub(super) description: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserView<'a> {
    pub(super) user_id: &'a str,
    pub(super) interactions: u32,
    pub(super) age_band: Option<&'a str>,
    pub(super) region: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HistoryView {
    pub(super) product_id: String,
    pub(super) name: String,
    #[serde(rename = "type")]
    pub(super) kind: InteractionKind,
    pub(super) timestamp: f64,
    pub(super) value: Option<f32>,
}

#[derive(Serialize)]
pub(super) struct CsvExport {
    pub(super) products: String,
    pub(super) users: String,
    pub(super) interactions: String,
}

/// The option names each method accepts. serde_wasm_bindgen reads only the fields a
/// struct declares, so unknown (misspelt) names are caught here instead.
pub(super) const SYNTHETIC_FIELDS: &[&str] = &["users", "products", "days", "seed"];
pub(super) const TRAIN_FIELDS: &[&str] = &[
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
pub(super) const RECOMMEND_FIELDS: &[&str] = &[
    "userId",
    "k",
    "context",
    "productId",
    "cartProductIds",
    "weights",
    "excludePurchased",
    "mmrLambda",
    "minCategories",
    "preferredCategories",
    "excludeProductIds",
];
pub(super) const RECORD_FIELDS: &[&str] = &["userId", "productId", "type", "timestamp", "value"];
pub(super) const PRODUCT_FIELDS: &[&str] = &[
    "productId",
    "name",
    "category",
    "brand",
    "price",
    "description",
];
pub(super) const PRECOMPUTE_FIELDS: &[&str] = &["k", "context"];
pub(super) const CACHE_FIELDS: &[&str] = &["capacity", "ttlMs"];
pub(super) const FILE_FIELDS: &[&str] = &["products", "interactions", "users"];
pub(super) const LOAD_FIELDS: &[&str] = &[
    "columns",
    "productColumns",
    "userColumns",
    "eventTypes",
    "defaultType",
    "delimiter",
    "productDelimiter",
    "userDelimiter",
    "hasHeader",
    "dropCancellations",
    "excludeProductIds",
    "unknownProducts",
];

/// The texts given to `Recommender.fromCsv`.
#[derive(Deserialize)]
pub(super) struct CsvFiles {
    pub(super) products: Option<String>,
    pub(super) interactions: String,
    pub(super) users: Option<String>,
}
pub(super) const WEIGHT_FIELDS: &[&str] = &["collaborative", "content", "popularity"];
pub(super) const EVALUATE_FIELDS: &[&str] = &[
    "k",
    "ks",
    "testDays",
    "validationDays",
    "maxUsers",
    "bootstrap",
    "seed",
];
pub(super) const TUNE_FIELDS: &[&str] = &[
    "grid",
    "k",
    "testDays",
    "validationDays",
    "maxUsers",
    "seed",
];
pub(super) const GRID_FIELDS: &[&str] = &[
    "factors",
    "regularization",
    "alpha",
    "iterations",
    "weights",
];
pub(super) const AB_FIELDS: &[&str] = &["control", "treatment", "split", "seed", "k", "users"];
pub(super) const ARM_FIELDS: &[&str] = &["weights", "mmrLambda", "minCategories"];

/// An interaction from `recordInteraction`; the timestamp is in Unix milliseconds.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InteractionInput {
    pub(super) user_id: String,
    pub(super) product_id: String,
    #[serde(rename = "type")]
    pub(super) kind: InteractionKind,
    pub(super) timestamp: Option<f64>,
    pub(super) value: Option<f32>,
}

/// A product from `addProduct`; only the id and name are required.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProductInput {
    pub(super) product_id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) brand: String,
    #[serde(default)]
    pub(super) price: f64,
    #[serde(default)]
    pub(super) description: String,
}

/// Options of `tune`: the grid and the evaluation windows.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct TuneOptions {
    pub(super) grid: Option<crate::evaluation::TuningGrid>,
    pub(super) k: Option<usize>,
    pub(super) test_days: Option<f64>,
    pub(super) validation_days: Option<f64>,
    pub(super) max_users: Option<usize>,
    pub(super) seed: Option<u64>,
}

/// Options of `precomputeAll`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PrecomputeOptions {
    pub(super) k: Option<usize>,
    pub(super) context: Option<Context>,
}

/// Options of `setCacheOptions`.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct CacheOptions {
    pub(super) capacity: Option<usize>,
    pub(super) ttl_ms: Option<f64>,
}

/// Parses a required object whose keys must be among `fields`.
pub(super) fn parse_object<T: DeserializeOwned>(
    method: &str,
    what: &str,
    fields: &[&str],
    value: JsValue,
) -> Result<T, JsError> {
    check_keys(method, what, fields, &value)?;
    deserialize(method, what, value)
}

fn deserialize<T: DeserializeOwned>(
    method: &str,
    what: &str,
    value: JsValue,
) -> Result<T, JsError> {
    let value = without_undefined(&value);
    let deserializer = serde_wasm_bindgen::Deserializer::from(value.clone());
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        // The inner error renders as a JS Error's toString(), "Error: <message>".
        let text = e.inner().to_string();
        let text = text.strip_prefix("Error: ").unwrap_or(&text);
        let text = match value_at(&value, e.path()) {
            Some(found) => type_mismatch(text, &found),
            None => plain_types(text),
        };
        let field = if path == "." {
            String::new()
        } else {
            format!("{path}: ")
        };
        JsError::new(&format!("invalid {what} for {method}(): {field}{text}"))
    })
}

/// Rewrites a serde "invalid type" or "invalid value" message to show the JS value that
/// was found, because serde_wasm_bindgen renders some of them in Rust terms (`-1.0`,
/// `JsValue([])`) and fails on a string where it expected an array with a bare
/// "Reflect.get called on non-object".
fn type_mismatch(text: &str, found: &JsValue) -> String {
    let expected = text
        .split_once(", expected ")
        .map(|(_, expected)| expected.to_string());
    match expected {
        Some(expected) if text.starts_with("invalid type") || text.starts_with("invalid value") => {
            plain_types(&format!("{}, expected {expected}", describe(found)))
        }
        _ if text.contains("Reflect.get called on non-object") => {
            format!("{}, expected an array or an object", describe(found))
        }
        _ => plain_types(text),
    }
}

/// Replaces Rust type names in serde messages with the JS words for them.
fn plain_types(text: &str) -> String {
    let mut text = text.to_string();
    for (rust, plain) in [
        (
            "expected usize",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number of at least 0"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("unit value", "null"),
        ("floating point", "number"),
        ("a sequence", "an array"),
        ("a map", "an object"),
    ] {
        text = text.replace(rust, plain);
    }
    text
}

/// Finds the value at a deserializer's error path, or `None` when a segment does not
/// name a property or the path is empty.
fn value_at(root: &JsValue, path: &serde_path_to_error::Path) -> Option<JsValue> {
    use serde_path_to_error::Segment;

    let mut current = root.clone();
    let mut steps = 0;
    for segment in path {
        if !current.is_object() {
            return None;
        }
        let key = match segment {
            Segment::Seq { index } => JsValue::from_f64(*index as f64),
            Segment::Map { key } => JsValue::from_str(key),
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
        current = js_sys::Reflect::get(&current, &key).ok()?;
        steps += 1;
    }
    (steps > 0).then_some(current)
}

/// Copies plain objects without their `undefined` properties, at every depth, so that
/// `{mmrLambda: undefined}` means the same as `{}` as it does in most JS APIs.
fn without_undefined(value: &JsValue) -> JsValue {
    if js_sys::Array::is_array(value) {
        let array: &js_sys::Array = value.unchecked_ref();
        return array
            .iter()
            .map(|item| without_undefined(&item))
            .collect::<js_sys::Array>()
            .into();
    }
    if !value.is_object() || value.is_function() || value.is_instance_of::<js_sys::Uint8Array>() {
        return value.clone();
    }
    let copy = js_sys::Object::new();
    for entry in js_sys::Object::entries(value.unchecked_ref::<js_sys::Object>()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let item = pair.get(1);
        if !item.is_undefined() {
            let _ = js_sys::Reflect::set(&copy, &pair.get(0), &without_undefined(&item));
        }
    }
    copy.into()
}

/// Converts Unix milliseconds to seconds, rejecting values that are not finite or lie
/// outside years 0 to 9999.
pub(super) fn timestamp_seconds(name: &str, millis: f64) -> Result<i64, JsError> {
    const MAX_MILLIS: f64 = 253_402_300_800_000.0; // 10000-01-01T00:00:00Z
    if !millis.is_finite() || millis.abs() > MAX_MILLIS {
        return Err(JsError::new(&format!(
            "invalid {name}: {}, expected Unix milliseconds such as Date.now()",
            format_number(millis)
        )));
    }
    Ok((millis / 1000.0).floor() as i64)
}

/// Formats a number as JavaScript prints it: `Infinity`, and exponent notation from
/// 1e21 on.
pub(super) fn format_number(value: f64) -> String {
    if value.is_infinite() {
        let sign = if value < 0.0 { "-" } else { "" };
        format!("{sign}Infinity")
    } else if value.abs() >= 1e21 {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// Parses a string argument.
pub(super) fn parse_string(name: &str, value: &JsValue) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| {
        JsError::new(&format!(
            "invalid {name}: {}, expected a string",
            describe(value)
        ))
    })
}

/// Rejects NaN and infinite numbers in the record arrays of `fromData`, which serde
/// would otherwise turn into `null` and so into a missing field (a NaN price into 0).
pub(super) fn check_finite_records(data: &JsValue) -> Result<(), JsError> {
    for file in FILE_FIELDS {
        let records = js_sys::Reflect::get(data, &JsValue::from_str(file)).unwrap_or_default();
        let Some(records) = records.dyn_ref::<js_sys::Array>() else {
            continue;
        };
        for (i, record) in records.iter().enumerate() {
            let Some(record) = record.dyn_ref::<js_sys::Object>() else {
                continue;
            };
            for entry in js_sys::Object::entries(record).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                let value = pair.get(1);
                match value.as_f64() {
                    Some(number) if !number.is_finite() => {
                        return Err(to_js(crate::Error::InvalidData {
                            file: file.to_string(),
                            line: i + 1,
                            column: pair.get(0).as_string(),
                            message: format!("{}, expected a finite number", format_number(number)),
                        }));
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

/// Copies a `Uint8Array` or `ArrayBuffer` argument into Rust memory.
pub(super) fn parse_bytes(method: &str, value: &JsValue) -> Result<Vec<u8>, JsError> {
    binary_bytes(value).ok_or_else(|| {
        JsError::new(&format!(
            "invalid bytes for {method}(): {}, expected a Uint8Array from save()",
            describe(value)
        ))
    })
}

/// Returns a copy of the bytes of a `Uint8Array` or `ArrayBuffer`, or `None` for any
/// other value.
fn binary_bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Some(array.to_vec());
    }
    value
        .dyn_ref::<js_sys::ArrayBuffer>()
        .map(|buffer| js_sys::Uint8Array::new(buffer).to_vec())
}

/// Splits a function-valued `key` off an options object, returning a copy of the options
/// without it and the function (or `fallback` when the key is absent).
pub(super) fn take_callback(
    options: JsValue,
    key: &str,
    fallback: Option<js_sys::Function>,
) -> Result<(JsValue, Option<js_sys::Function>), JsError> {
    if !options.is_object() {
        return Ok((options, fallback));
    }
    let value =
        js_sys::Reflect::get(&options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok((options, fallback));
    }
    let callback = value
        .dyn_into::<js_sys::Function>()
        .map_err(|_| JsError::new(&format!("invalid {key}: expected a function")))?;
    let copy = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
    let _ = js_sys::Reflect::delete_property(&copy, &JsValue::from_str(key));
    Ok((copy.into(), Some(callback)))
}

/// Checks the keys of the object at `key` inside `value`, when present.
pub(super) fn check_nested(
    method: &str,
    value: &JsValue,
    key: &str,
    fields: &[&str],
) -> Result<(), JsError> {
    if !value.is_object() {
        return Ok(());
    }
    let nested = js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if nested.is_undefined() || nested.is_null() {
        return Ok(());
    }
    check_keys(method, key, fields, &nested)
}

/// Parses an options object whose keys must be among `fields`; `undefined` or `null`
/// gives the defaults.
pub(super) fn parse_options<T: DeserializeOwned + Default>(
    method: &str,
    fields: &[&str],
    value: JsValue,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    check_keys(method, "options", fields, &value)?;
    deserialize(method, "options", value)
}

/// Rejects a value that is not a plain object or has a key outside `fields`.
pub(super) fn check_keys(
    method: &str,
    what: &str,
    fields: &[&str],
    value: &JsValue,
) -> Result<(), JsError> {
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
pub(super) fn parse_count(name: &str, value: &JsValue) -> Result<usize, JsError> {
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

/// Renders a JS value briefly for error messages, as JavaScript would print it.
pub(super) fn describe(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return format!("{s:?}");
    }
    if value.is_undefined() {
        return "undefined".into();
    }
    if value.is_null() {
        return "null".into();
    }
    if let Some(flag) = value.as_bool() {
        return flag.to_string();
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    if value.is_function() {
        return "a function".into();
    }
    value
        .as_f64()
        .map(format_number)
        .unwrap_or_else(|| "an object".into())
}

/// Reads factors for `importFactors()`: a `Uint8Array` or `ArrayBuffer` of the binary
/// format, JSON text, or a factor object, which is converted with `JSON.stringify`.
pub(super) fn parse_factors(data: &JsValue) -> Result<ImportedFactors, JsError> {
    if let Some(bytes) = binary_bytes(data) {
        return ImportedFactors::from_bytes(&bytes).map_err(to_js);
    }
    if let Some(text) = data.as_string() {
        return ImportedFactors::from_json(&text).map_err(to_js);
    }
    if data.is_object() && !js_sys::Array::is_array(data) {
        let text = js_sys::JSON::stringify(data)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| {
                JsError::new(
                    "invalid data for importFactors(): JSON.stringify failed on the object \
                     (a cycle or a BigInt), expected {version, factors, userIds, userFactors, \
                     itemIds, itemFactors}",
                )
            })?;
        return ImportedFactors::from_json(&text).map_err(to_js);
    }
    Err(JsError::new(&format!(
        "invalid data for importFactors(): {}, expected a factor object, its JSON text, or \
         a Uint8Array of the binary format",
        describe(data)
    )))
}

pub(super) fn to_js(error: crate::Error) -> JsError {
    JsError::new(&error.to_string())
}

pub(super) fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("failed to convert the result to JS: {e}")))
}

/// Runs long core work with the browser clock and its progress forwarded to an optional
/// JS callback, and converts its result and error for JS. A callback that throws is
/// ignored so that the work continues.
pub(super) fn with_progress<T: Serialize>(
    callback: Option<js_sys::Function>,
    work: impl FnOnce(&mut Hooks) -> crate::Result<T>,
) -> Result<JsValue, JsError> {
    let mut progress = move |progress: Progress| {
        if let (Some(callback), Ok(value)) = (&callback, to_js_value(&progress)) {
            let _ = callback.call1(&JsValue::NULL, &value);
        }
    };
    let result = work(&mut Hooks {
        clock: &now_ms,
        progress: &mut progress,
    })
    .map_err(to_js)?;
    to_js_value(&result)
}

/// `performance.now()` in a window or a worker, or `Date.now()` where there is none.
pub(super) fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
    match performance {
        Some(performance) => performance.now(),
        None => js_sys::Date::now(),
    }
}
