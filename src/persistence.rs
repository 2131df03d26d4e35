//! Saving and loading a recommender as bytes.
//!
//! Format, version 2 (all integers little-endian):
//!
//! ```text
//! offset  size  field
//! 0       8     magic "HYBRIDRC"
//! 8       4     format version (u32), 2
//! 12      8     payload length in bytes (u64)
//! 20      4     CRC-32 (IEEE 802.3, as in zlib and PNG) of the payload (u32)
//! 24      n     payload: postcard encoding of `SavedRecommender`
//! ```
//!
//! The payload contains the catalog (products, users, interactions), the training settings,
//! the trained models with every update since training, the interaction counter and a
//! synthetic shop's hidden tastes, so a loaded recommender gives identical
//! recommendations and simulations. Version 2 appends the load report of a catalog read
//! from files. The response cache and serving statistics are not saved. postcard's wire
//! format is specified and stable within its major version 1.
//!
//! Version 1 files still load: their payload is a version 2 payload without the final
//! `Option<LoadReport>`, so the reader appends the one byte that encodes `None`.

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

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Interaction, Product, User};
use crate::error::{Error, Result};
use crate::loader::LoadReport;
use crate::recommender::Recommender;
use crate::synthetic::GroundTruth;
use crate::training::{Models, TrainConfig};

/// The first bytes of every saved recommender.
pub const MAGIC: &[u8; 8] = b"HYBRIDRC";

/// The format version this build writes.
pub const FORMAT_VERSION: u32 = 2;

/// The oldest format version this build reads.
pub const OLDEST_READABLE_VERSION: u32 = 1;

/// postcard's encoding of `Option::None`.
const NONE_BYTE: u8 = 0;

const HEADER_LEN: usize = 24;

#[derive(Serialize, Deserialize)]
struct SavedRecommender {
    products: Vec<Product>,
    users: Vec<User>,
    interactions: Vec<Interaction>,
    config: TrainConfig,
    models: Option<Models>,
    interactions_since_training: u64,
    truth: Option<GroundTruth>,
    load_report: Option<LoadReport>,
}

/// Serializes the recommender (see the module documentation for the format).
pub fn save(recommender: &Recommender) -> Vec<u8> {
    let saved = SavedRecommender {
        products: recommender.catalog.products().to_vec(),
        users: recommender.catalog.users().to_vec(),
        interactions: recommender.catalog.interactions().to_vec(),
        config: recommender.config.clone(),
        models: recommender.models.clone(),
        interactions_since_training: recommender.interactions_since_training,
        truth: recommender.truth.clone(),
        load_report: recommender.load_report,
    };
    // Encoding plain structs, vectors, strings and numbers into a Vec cannot fail.
    let payload = postcard::to_stdvec(&saved).unwrap_or_default();
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// Restores a recommender from [`save`]'s bytes, checking the magic, the version, the
/// length and the checksum, and validating the catalog.
pub fn load(bytes: &[u8]) -> Result<Recommender> {
    let invalid = |message: String| Error::InvalidData {
        file: "saved model".to_string(),
        line: 0,
        column: None,
        message,
    };
    let (Some(header), Some(payload)) = (bytes.get(..HEADER_LEN), bytes.get(HEADER_LEN..)) else {
        return Err(invalid(format!(
            "truncated: {} bytes, expected a header of {HEADER_LEN}",
            bytes.len()
        )));
    };
    let field = |range: std::ops::Range<usize>| header.get(range).unwrap_or_default();
    if field(0..8) != MAGIC {
        return Err(invalid(
            "not a saved recommender: the file does not start with \"HYBRIDRC\"".to_string(),
        ));
    }
    let version = u32::from_le_bytes(field(8..12).try_into().unwrap_or_default());
    if !(OLDEST_READABLE_VERSION..=FORMAT_VERSION).contains(&version) {
        return Err(invalid(format!(
            "format version {version} is not supported; this build reads versions \
             {OLDEST_READABLE_VERSION} to {FORMAT_VERSION}"
        )));
    }
    let length = u64::from_le_bytes(field(12..20).try_into().unwrap_or_default());
    if payload.len() as u64 != length {
        return Err(invalid(format!(
            "truncated or padded: the header announces {length} payload bytes, found {}",
            payload.len()
        )));
    }
    let checksum = u32::from_le_bytes(field(20..24).try_into().unwrap_or_default());
    if crc32fast::hash(payload) != checksum {
        return Err(invalid(
            "corrupted: the payload checksum does not match".to_string(),
        ));
    }
    if version == 1 {
        let mut upgraded = Vec::with_capacity(payload.len() + 1);
        upgraded.extend_from_slice(payload);
        upgraded.push(NONE_BYTE);
        return decode_payload(&upgraded);
    }
    decode_payload(payload)
}

/// Decodes a payload without the header checks, for fuzzing the decoder; [`load`] is
/// the entry point for saved bytes.
#[doc(hidden)]
pub fn decode_payload(payload: &[u8]) -> Result<Recommender> {
    let invalid = |message: String| Error::InvalidData {
        file: "saved model".to_string(),
        line: 0,
        column: None,
        message,
    };
    let saved: SavedRecommender =
        postcard::from_bytes(payload).map_err(|e| invalid(format!("corrupted payload: {e}")))?;
    let catalog = Catalog::new(saved.products, saved.users, saved.interactions)?;
    if let Some(models) = &saved.models {
        models
            .check(catalog.users().len(), catalog.products().len())
            .map_err(|problem| invalid(format!("inconsistent model: {problem}")))?;
    }
    if let Some(truth) = &saved.truth {
        if !truth.covers(catalog.users().len(), catalog.products().len()) {
            return Err(invalid(
                "inconsistent model: the hidden tastes do not match the catalog".to_string(),
            ));
        }
    }
    let mut recommender = Recommender::new(catalog);
    recommender.config = saved.config;
    recommender.models = saved.models;
    recommender.interactions_since_training = saved.interactions_since_training;
    recommender.truth = saved.truth;
    recommender.load_report = saved.load_report;
    Ok(recommender)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{RecommendRequest, RecordedInteraction};
    use crate::{generate, Hooks, InteractionKind, SyntheticConfig};

    fn trained() -> Recommender {
        let shop = generate(&SyntheticConfig {
            users: 300,
            products: 150,
            days: 30,
            seed: 12,
        })
        .unwrap();
        let mut recommender = Recommender::new(shop.catalog);
        let mut config = TrainConfig::default();
        config.als.factors = 8;
        config.als.iterations = 4;
        recommender
            .train(
                config,
                &mut Hooks {
                    clock: &|| 0.0,
                    progress: &mut |_| {},
                },
            )
            .unwrap();
        recommender
            .record_interaction(&RecordedInteraction {
                user_id: "walk-in".into(),
                product_id: "p00003".into(),
                kind: InteractionKind::Purchase,
                timestamp: 1_790_000_000,
                value: None,
            })
            .unwrap();
        recommender
    }

    #[test]
    fn round_trip_gives_identical_recommendations_and_bytes() {
        let original = trained();
        let bytes = save(&original);
        let loaded = load(&bytes).unwrap();
        for user in ["u00001", "u00042", "walk-in", "nobody"] {
            let request = RecommendRequest {
                user_id: Some(user.into()),
                k: 10,
                ..Default::default()
            };
            assert_eq!(
                original.recommend_uncached(&request).unwrap(),
                loaded.recommend_uncached(&request).unwrap(),
                "{user}"
            );
        }
        assert_eq!(
            save(&loaded),
            bytes,
            "saving a loaded model reproduces the bytes"
        );
        assert_eq!(loaded.stats().interactions_since_training, 1);
    }

    /// Rewrites the header of `payload` for another format version.
    fn with_header(version: u32, payload: &[u8]) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    #[test]
    fn version_1_bytes_still_load() {
        let original = trained();
        let current = save(&original);
        // A version 1 payload is the current one without the final `None` load report.
        let payload = &current[HEADER_LEN..];
        assert_eq!(payload.last(), Some(&NONE_BYTE));
        let old = with_header(1, &payload[..payload.len() - 1]);

        let loaded = load(&old).unwrap();
        assert_eq!(loaded.load_report(), None);
        assert_eq!(
            save(&loaded),
            current,
            "an upgraded file saves as version 2"
        );
    }

    #[test]
    fn load_report_is_saved() {
        let csv = "user_id,product_id,event_type,timestamp\nu1,p1,view,1\nu2,p1,zap,2\n";
        let options = crate::loader::LoadOptions {
            event_types: [("zap".to_string(), "skip".to_string())].into(),
            ..Default::default()
        };
        let (catalog, report) = crate::loader::load_csv(
            crate::loader::CsvInput {
                products: None,
                interactions: csv,
                users: None,
            },
            &options,
        )
        .unwrap();
        assert_eq!(report.skipped.skipped_event_types, 1);
        let loaded = load(&save(&Recommender::from_loaded(catalog, report))).unwrap();
        assert_eq!(loaded.load_report(), Some(&report));
    }

    #[test]
    fn bad_bytes_rejected_with_reason() {
        let bytes = save(&trained());
        let message = |b: &[u8]| load(b).unwrap_err().to_string();
        assert_eq!(
            message(&bytes[..10]),
            "saved model: truncated: 10 bytes, expected a header of 24"
        );
        assert!(message(&bytes[..bytes.len() - 5])
            .starts_with("saved model: truncated or padded: the header announces"));
        let mut wrong_magic = bytes.clone();
        wrong_magic[0] = b'X';
        assert_eq!(
            message(&wrong_magic),
            "saved model: not a saved recommender: the file does not start with \"HYBRIDRC\""
        );
        let mut wrong_version = bytes.clone();
        wrong_version[8] = 9;
        assert_eq!(
            message(&wrong_version),
            "saved model: format version 9 is not supported; this build reads versions 1 to 2"
        );
        let mut flipped = bytes.clone();
        let middle = HEADER_LEN + (bytes.len() - HEADER_LEN) / 2;
        flipped[middle] ^= 0x40;
        assert_eq!(
            message(&flipped),
            "saved model: corrupted: the payload checksum does not match"
        );
    }

    #[test]
    fn model_with_added_product_round_trips() {
        let mut original = trained();
        original
            .add_product(crate::Product {
                id: "new".into(),
                name: "New thing".into(),
                category: String::new(),
                brand: String::new(),
                price: 0.0,
                description: "new".into(),
            })
            .unwrap();
        let loaded = load(&save(&original)).unwrap();
        let request = RecommendRequest {
            user_id: Some("u00001".into()),
            ..Default::default()
        };
        assert_eq!(
            original.recommend_uncached(&request).unwrap(),
            loaded.recommend_uncached(&request).unwrap()
        );
        assert_eq!(loaded.catalog().products().len(), 151);
    }

    #[test]
    fn corrupted_payloads_with_valid_checksums_never_panic() {
        // Flip one payload byte, fix the checksum, and use whatever loads: every query
        // must return a result or an error, never panic.
        let original = trained();
        let bytes = save(&original);
        let mut rng = crate::rng::Rng::new(3);
        let mut loaded_count = 0;
        for _ in 0..400 {
            let mut damaged = bytes.clone();
            let at = HEADER_LEN + rng.below(bytes.len() - HEADER_LEN);
            damaged[at] ^= 1 << rng.below(8);
            let checksum = crc32fast::hash(&damaged[HEADER_LEN..]).to_le_bytes();
            damaged[20..24].copy_from_slice(&checksum);
            let Ok(mut model) = load(&damaged) else {
                continue;
            };
            loaded_count += 1;
            for user in ["u00001", "u00007", "walk-in"] {
                let request = RecommendRequest {
                    user_id: Some(user.into()),
                    min_categories: 3,
                    ..Default::default()
                };
                let _ = model.recommend(&request);
                let page = RecommendRequest {
                    context: crate::Context::ProductPage,
                    product_id: Some("p00001".into()),
                    ..request
                };
                let _ = model.recommend(&page);
            }
            let _ = model.precompute_all(3, crate::Context::Homepage);
            let _ = model.similar_items("p00002", 5);
        }
        assert!(
            loaded_count > 50,
            "only {loaded_count} damaged models loaded; the test exercises too little"
        );
    }

    #[test]
    fn untrained_recommender_round_trips() {
        let shop = generate(&SyntheticConfig {
            users: 20,
            products: 10,
            days: 5,
            seed: 1,
        })
        .unwrap();
        let original = Recommender::new(shop.catalog);
        let loaded = load(&save(&original)).unwrap();
        assert!(loaded.models().is_none());
        assert_eq!(
            loaded.catalog().interactions(),
            original.catalog().interactions()
        );
    }
}
