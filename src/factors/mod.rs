//! Imported factor matrices: ALS user and item factors trained elsewhere, for example by
//! Apache Spark MLlib on a catalog too large for one browser. They are read from JSON or
//! from a binary file, checked, and installed as the collaborative model of a
//! [`Recommender`].
//!
//! JSON format, version 1 (rows are arrays of `factors` numbers):
//!
//! ```text
//! {"version": 1, "factors": 2,
//!  "userIds": ["u1", "u2"], "userFactors": [[0.1, 0.2], [0.3, 0.4]],
//!  "itemIds": ["p1"],       "itemFactors": [[1.0, 0.0]]}
//! ```
//!
//! The binary format is described in [`binary`]. Both carry the same content: a factor
//! count from 1 to 1024, at least one item, any number of users (zero is allowed), unique
//! non-empty ids and finite values.
//!
//! Installing maps ids onto the catalog. Imported items unknown to the catalog are
//! skipped and counted. Catalog products without an imported vector get zero factors, so
//! they carry no collaborative signal and the blend ranks them by content and popularity,
//! as it does for products without training data. Catalog users without an imported
//! vector are folded in from their history with [`AlsModel::solve_user`].

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

pub mod binary;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::als::AlsModel;
use crate::catalog::Catalog;
use crate::confidence::InteractionMatrix;
use crate::error::{Error, Result};
use crate::evaluation::{EvaluationConfig, EvaluationReport};
use crate::recommender::Recommender;
use crate::training::{Hooks, Models, TrainConfig, TrainReport};

/// The JSON format version this build writes and reads.
pub const JSON_VERSION: u32 = 1;

/// The largest factor count accepted, the same bound as `AlsConfig::factors`.
pub const MAX_FACTORS: usize = 1024;

/// How many unknown item ids a [`FactorImportReport`] lists by name.
const EXAMPLE_IDS: usize = 10;

/// Checked user and item factor matrices with their ids, row-major `f32`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFactors {
    factors: usize,
    user_ids: Vec<String>,
    user_factors: Vec<f32>,
    item_ids: Vec<String>,
    item_factors: Vec<f32>,
}

/// The JSON document, before its values are checked.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FactorDocument {
    version: u32,
    factors: usize,
    user_ids: Vec<String>,
    /// `None` is a JSON `null`, which `JSON.stringify` writes for NaN and infinity, so
    /// that the error message can name that cause.
    user_factors: Vec<Vec<Option<f64>>>,
    item_ids: Vec<String>,
    item_factors: Vec<Vec<Option<f64>>>,
}

/// The matrix a value belongs to, named in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    User,
    Item,
}

impl Side {
    fn noun(self) -> &'static str {
        match self {
            Side::User => "user",
            Side::Item => "item",
        }
    }
}

impl ImportedFactors {
    /// Checks and wraps factor matrices: `user_factors` is `user_ids.len() x factors` and
    /// `item_factors` is `item_ids.len() x factors`, both row-major.
    ///
    /// Fails with [`Error::InvalidFactors`] on a factor count outside 1 to 1024, no items,
    /// a matrix whose length does not match its ids, an empty or repeated id, or a value
    /// that is not finite.
    pub fn new(
        factors: usize,
        user_ids: Vec<String>,
        user_factors: Vec<f32>,
        item_ids: Vec<String>,
        item_factors: Vec<f32>,
    ) -> Result<Self> {
        check_factor_count(factors)?;
        if item_ids.is_empty() {
            return Err(invalid(
                "there are no item factors, expected at least one item".to_string(),
            ));
        }
        for (side, ids, values) in [
            (Side::User, &user_ids, &user_factors),
            (Side::Item, &item_ids, &item_factors),
        ] {
            let expected = ids.len().saturating_mul(factors);
            if values.len() != expected {
                return Err(invalid(format!(
                    "{} {side_noun} factor values for {} ids of {factors} factors, expected {expected}",
                    values.len(),
                    ids.len(),
                    side_noun = side.noun()
                )));
            }
            check_ids(side, ids)?;
            for (row, vector) in values.chunks_exact(factors).enumerate() {
                if let Some(column) = vector.iter().position(|v| !v.is_finite()) {
                    let value = vector.get(column).copied().unwrap_or(f32::NAN);
                    return Err(non_finite(side, ids, row, column, value));
                }
            }
        }
        Ok(ImportedFactors {
            factors,
            user_ids,
            user_factors,
            item_ids,
            item_factors,
        })
    }

    /// Parses the JSON format of the module documentation.
    ///
    /// Fails with [`Error::InvalidFactors`] on malformed JSON, a missing or unknown field,
    /// a version other than 1, a row whose length is not `factors`, and everything that
    /// [`ImportedFactors::new`] rejects.
    pub fn from_json(text: &str) -> Result<Self> {
        let document: FactorDocument = serde_json::from_str(text)
            .map_err(|e| invalid(format!("the JSON does not match the format: {e}")))?;
        if document.version != JSON_VERSION {
            return Err(invalid(format!(
                "version {} is not supported, expected {JSON_VERSION}",
                document.version
            )));
        }
        let factors = document.factors;
        check_factor_count(factors)?;
        let user_factors = flatten(
            Side::User,
            &document.user_ids,
            &document.user_factors,
            factors,
        )?;
        let item_factors = flatten(
            Side::Item,
            &document.item_ids,
            &document.item_factors,
            factors,
        )?;
        ImportedFactors::new(
            factors,
            document.user_ids,
            user_factors,
            document.item_ids,
            item_factors,
        )
    }

    /// Writes the JSON format of the module documentation.
    pub fn to_json(&self) -> String {
        let rows = |values: &[f32]| -> Vec<Vec<Option<f64>>> {
            values
                .chunks_exact(self.factors)
                .map(|row| row.iter().map(|&v| Some(v as f64)).collect())
                .collect()
        };
        let document = FactorDocument {
            version: JSON_VERSION,
            factors: self.factors,
            user_ids: self.user_ids.clone(),
            user_factors: rows(&self.user_factors),
            item_ids: self.item_ids.clone(),
            item_factors: rows(&self.item_factors),
        };
        // Strings, integers and finite numbers always serialize.
        serde_json::to_string(&document).unwrap_or_default()
    }

    /// Parses the binary format of [`binary`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        binary::decode(bytes)
    }

    /// Writes the binary format of [`binary`].
    pub fn to_bytes(&self) -> Vec<u8> {
        binary::encode(self)
    }

    /// Returns the number of latent factors per vector.
    pub fn factors(&self) -> usize {
        self.factors
    }

    /// Returns the user ids, in row order.
    pub fn user_ids(&self) -> &[String] {
        &self.user_ids
    }

    /// Returns the item ids, in row order.
    pub fn item_ids(&self) -> &[String] {
        &self.item_ids
    }

    /// Returns the user factors, row-major (`users x factors`).
    pub fn user_factors(&self) -> &[f32] {
        &self.user_factors
    }

    /// Returns the item factors, row-major (`items x factors`).
    pub fn item_factors(&self) -> &[f32] {
        &self.item_factors
    }

    /// Builds the collaborative model of `catalog` from these factors: imported rows go
    /// to their catalog index, catalog products without a row get zero factors, and
    /// catalog users without a row but with history in `interactions` are folded in.
    /// `regularization` and `alpha` serve the fold-in and the score explanations.
    pub(crate) fn to_model(
        &self,
        catalog: &Catalog,
        interactions: &InteractionMatrix,
        regularization: f32,
        alpha: f32,
    ) -> (AlsModel, FactorImportReport) {
        let f = self.factors;
        let products = catalog.products().len();
        let users = catalog.users().len();
        let mut report = FactorImportReport {
            factors: f,
            ..Default::default()
        };

        let mut item_factors = vec![0f32; products * f];
        for (id, vector) in self.item_ids.iter().zip(self.item_factors.chunks_exact(f)) {
            let target = catalog
                .product_index(id)
                .ok()
                .and_then(|i| item_factors.get_mut(i as usize * f..(i as usize + 1) * f));
            match target {
                Some(target) => {
                    target.copy_from_slice(vector);
                    report.imported_items += 1;
                }
                None => {
                    report.unknown_items += 1;
                    if report.unknown_item_ids.len() < EXAMPLE_IDS {
                        report.unknown_item_ids.push(id.clone());
                    }
                }
            }
        }
        report.products_without_factors = products - report.imported_items;

        let mut user_factors = vec![0f32; users * f];
        let mut imported = vec![false; users];
        for (id, vector) in self.user_ids.iter().zip(self.user_factors.chunks_exact(f)) {
            let index = catalog.user_index(id).map(|u| u as usize);
            let target = index.and_then(|u| user_factors.get_mut(u * f..(u + 1) * f));
            match (index, target) {
                (Some(u), Some(target)) => {
                    target.copy_from_slice(vector);
                    if let Some(flag) = imported.get_mut(u) {
                        *flag = true;
                    }
                    report.imported_users += 1;
                }
                _ => report.unknown_users += 1,
            }
        }

        // NOTE: fold-in adds the constant `regularization` to every user's system, while
        // engines with ALS-WR weighting (Spark MLlib) scale it by the user's entry count.
        let mut model =
            AlsModel::from_factors(f, regularization, alpha, user_factors, item_factors);
        let rows = interactions.user_items.rows().min(users);
        for (user, _) in imported
            .iter()
            .enumerate()
            .take(rows)
            .filter(|(_, &done)| !done)
        {
            let (items, strengths, _) = interactions.user_row(user);
            if items.is_empty() {
                continue;
            }
            let vector = model.solve_user(items, strengths);
            model.set_user_vector(user, &vector);
            report.folded_in_users += 1;
        }
        (model, report)
    }
}

/// Counts of the imported rows that [`Recommender::import_factors`] used, skipped or
/// filled in.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorImportReport {
    /// Latent factors per vector.
    pub factors: usize,
    /// Imported users found in the catalog.
    pub imported_users: usize,
    /// Imported users not in the catalog, skipped.
    pub unknown_users: usize,
    /// Imported items found in the catalog.
    pub imported_items: usize,
    /// Imported items not in the catalog, skipped.
    pub unknown_items: usize,
    /// The first ten skipped item ids, in file order.
    pub unknown_item_ids: Vec<String>,
    /// Catalog products without an imported vector, which get zero factors.
    pub products_without_factors: usize,
    /// Catalog users without an imported vector whose factors were solved from their
    /// history.
    pub folded_in_users: usize,
    /// Milliseconds spent building the models.
    pub total_millis: f64,
}

impl Recommender {
    /// Installs imported factors as the collaborative model and builds the other models
    /// (interaction matrix, content, popularity) from all interactions with `config`.
    /// The imported factor count replaces the one in `config.als`. Its `regularization`
    /// and `alpha` serve fold-in and explanations, so set them to the values the factors
    /// were trained with. On error the previous models stay.
    ///
    /// Fails on invalid settings and with [`Error::InvalidFactors`] when no imported item
    /// is in the catalog.
    pub fn import_factors(
        &mut self,
        imported: &ImportedFactors,
        mut config: TrainConfig,
        hooks: &mut Hooks,
    ) -> Result<(TrainReport, FactorImportReport)> {
        config.als.factors = imported.factors();
        let content = self
            .models
            .as_ref()
            .filter(|_| self.config.content == config.content)
            .map(|models| models.content.clone());
        let (models, train_report, import_report) = Models::import(
            &self.catalog,
            self.catalog.interactions(),
            &config,
            content,
            imported,
            hooks,
        )?;
        self.models = Some(models);
        self.config = config;
        self.cache.clear();
        self.interactions_since_training = 0;
        Ok((train_report, import_report))
    }

    /// Evaluates every strategy on the time split of [`Recommender::evaluate`] with
    /// imported factors in place of ALS training. The factors must come from the
    /// interactions before the test window (for example `hybrid-rec export-als` and
    /// `scripts/spark_als.py`), or the collaborative metrics see the test data.
    pub fn evaluate_imported(
        &self,
        imported: &ImportedFactors,
        config: &EvaluationConfig,
        hooks: &mut Hooks,
    ) -> Result<EvaluationReport> {
        let content = self.models.as_ref().map(|m| m.content.clone());
        crate::evaluation::evaluate_imported_with(
            &self.catalog,
            &self.config,
            config,
            content,
            imported,
            hooks,
        )
    }
}

/// Returns the error for a factor count outside 1 to [`MAX_FACTORS`].
fn check_factor_count(factors: usize) -> Result<()> {
    if !(1..=MAX_FACTORS).contains(&factors) {
        return Err(invalid(format!(
            "factors is {factors}, expected an integer from 1 to {MAX_FACTORS}"
        )));
    }
    Ok(())
}

/// Rejects empty and repeated ids, naming the rows.
fn check_ids(side: Side, ids: &[String]) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (row, id) in ids.iter().enumerate() {
        if id.is_empty() {
            return Err(invalid(format!(
                "{} id at row {row} is empty, expected a non-empty id",
                side.noun()
            )));
        }
        if let Some(first) = seen.insert(id, row) {
            return Err(invalid(format!(
                "duplicate {} id {id:?} at rows {first} and {row}, expected each id once",
                side.noun()
            )));
        }
    }
    Ok(())
}

/// Flattens JSON rows into a row-major matrix, checking the row count and each row's length.
fn flatten(
    side: Side,
    ids: &[String],
    rows: &[Vec<Option<f64>>],
    factors: usize,
) -> Result<Vec<f32>> {
    let noun = side.noun();
    if rows.len() != ids.len() {
        return Err(invalid(format!(
            "{noun}Factors has {} rows for {} {noun}Ids, expected one row per id",
            rows.len(),
            ids.len()
        )));
    }
    let mut values = Vec::with_capacity(rows.len() * factors);
    for (row, vector) in rows.iter().enumerate() {
        if vector.len() != factors {
            return Err(invalid(format!(
                "{noun}Factors row {row} ({noun} {}) has {} values, expected {factors} (the factor count)",
                id_label(ids, row),
                vector.len()
            )));
        }
        for (column, value) in vector.iter().enumerate() {
            let value = match value {
                Some(v) => *v as f32,
                None => {
                    return Err(invalid(format!(
                        "{noun}Factors row {row} ({noun} {}) value {column} is null \
                         (JSON.stringify writes NaN and infinity as null), expected a finite number",
                        id_label(ids, row)
                    )))
                }
            };
            if !value.is_finite() {
                return Err(non_finite(side, ids, row, column, value));
            }
            values.push(value);
        }
    }
    Ok(values)
}

fn non_finite(side: Side, ids: &[String], row: usize, column: usize, value: f32) -> Error {
    invalid(format!(
        "{noun} factor row {row} ({noun} {}) value {column} is {value}, expected a finite \
         number within the f32 range",
        id_label(ids, row),
        noun = side.noun()
    ))
}

fn id_label(ids: &[String], row: usize) -> String {
    ids.get(row)
        .map_or_else(|| "?".to_string(), |id| format!("{id:?}"))
}

fn invalid(message: String) -> Error {
    Error::InvalidFactors(message)
}

impl Models {
    /// [`Models::train`] with imported factors in place of fitting ALS: builds the
    /// interaction matrix, content and popularity from `events`, and the collaborative
    /// model from `imported` (see [`ImportedFactors`] for the mapping).
    ///
    /// Fails with [`Error::InvalidFactors`] when no imported item is in the catalog.
    pub fn import(
        catalog: &Catalog,
        events: &[crate::catalog::Interaction],
        config: &TrainConfig,
        content: Option<crate::content::ContentModel>,
        imported: &ImportedFactors,
        hooks: &mut Hooks,
    ) -> Result<(Models, TrainReport, FactorImportReport)> {
        let mut report = None;
        let start = (hooks.clock)();
        let (models, train_report) = Models::build(
            catalog,
            events,
            config,
            content,
            hooks,
            &mut |interactions, _| {
                let (model, import) = imported.to_model(
                    catalog,
                    interactions,
                    config.als.regularization,
                    config.als.alpha,
                );
                if import.imported_items == 0 {
                    return Err(no_known_items(imported));
                }
                report = Some(import);
                Ok(model)
            },
        )?;
        let mut report = report.unwrap_or_default();
        report.total_millis = (hooks.clock)() - start;
        Ok((models, train_report, report))
    }
}

fn no_known_items(imported: &ImportedFactors) -> Error {
    let examples: Vec<&str> = imported
        .item_ids
        .iter()
        .take(3)
        .map(String::as_str)
        .collect();
    invalid(format!(
        "none of the {} imported item ids is a catalog product id (first ids: {}), \
         expected the ids of the catalog's products",
        imported.item_ids.len(),
        examples.join(", ")
    ))
}
