//! Tests of the factor formats and of installing imported factors.
//!
//! The toy model has two factors. Items: p1 = [1, 0], p2 = [0, 1], p3 = [1, 1], and x9,
//! which the catalog does not have; p4 is in the catalog without a vector. Users: u1 =
//! [2, 1], and ghost, which the catalog does not have; u2 is in the catalog without a
//! vector and viewed p1, so it is folded in. All events share one timestamp, so every
//! strength is the undecayed view weight 1.

use super::*;
use crate::catalog::{Interaction, InteractionKind, Product, User};
use crate::request::{RecommendRequest, RecordedInteraction};
use crate::weights::Weights;
use crate::{generate, SyntheticConfig};

const TOY_JSON: &str = r#"{"version": 1, "factors": 2,
    "userIds": ["u1", "ghost"], "userFactors": [[2, 1], [5, 5]],
    "itemIds": ["p1", "p2", "p3", "x9"], "itemFactors": [[1, 0], [0, 1], [1, 1], [9, 9]]}"#;

const T: i64 = 1_700_000_000;

/// Settings whose fold-in is easy to compute by hand: lambda = 0.5, alpha = 2.
fn toy_config() -> TrainConfig {
    let mut config = TrainConfig::default();
    config.als.regularization = 0.5;
    config.als.alpha = 2.0;
    config
}

fn no_hooks<T>(work: impl FnOnce(&mut Hooks) -> T) -> T {
    work(&mut Hooks {
        clock: &|| 0.0,
        progress: &mut |_| {},
    })
}

fn toy_recommender() -> Recommender {
    let product = |id: &str, name: &str| Product {
        id: id.into(),
        name: name.into(),
        category: "Kitchen".into(),
        brand: String::new(),
        price: 10.0,
        description: format!("{name} for the kitchen"),
    };
    let user = |id: &str| User {
        id: id.into(),
        age_band: None,
        region: None,
    };
    let view = |user: u32, product: u32| Interaction {
        user,
        product,
        kind: InteractionKind::View,
        value: None,
        timestamp: T,
    };
    let catalog = Catalog::new(
        vec![
            product("p1", "Kettle"),
            product("p2", "Toaster"),
            product("p3", "Teapot"),
            product("p4", "Whisk"),
        ],
        vec![user("u1"), user("u2")],
        vec![view(0, 3), view(1, 0)],
    )
    .unwrap();
    Recommender::new(catalog)
}

fn imported_toy() -> (Recommender, FactorImportReport) {
    let mut recommender = toy_recommender();
    let factors = ImportedFactors::from_json(TOY_JSON).unwrap();
    let (_, report) =
        no_hooks(|hooks| recommender.import_factors(&factors, toy_config(), hooks)).unwrap();
    (recommender, report)
}

fn collaborative_request(user: &str) -> RecommendRequest {
    RecommendRequest {
        user_id: Some(user.into()),
        k: 4,
        weights: Some(Weights::new(1.0, 0.0, 0.0)),
        mmr_lambda: 1.0,
        ..Default::default()
    }
}

fn assert_close(actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 1e-5, "{actual:?} vs {expected:?}");
    }
}

fn error_of(json: &str) -> String {
    ImportedFactors::from_json(json).unwrap_err().to_string()
}

#[test]
fn json_parses_ids_and_rows() {
    let factors = ImportedFactors::from_json(TOY_JSON).unwrap();
    assert_eq!(factors.factors(), 2);
    assert_eq!(factors.user_ids(), ["u1", "ghost"]);
    assert_eq!(factors.item_ids(), ["p1", "p2", "p3", "x9"]);
    assert_eq!(factors.user_factors(), [2.0, 1.0, 5.0, 5.0]);
    assert_eq!(
        factors.item_factors(),
        [1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 9.0, 9.0]
    );
}

#[test]
fn binary_layout_matches_documentation() {
    let factors = ImportedFactors::new(
        1,
        vec!["u".into()],
        vec![0.5],
        vec!["ab".into()],
        vec![-2.0],
    )
    .unwrap();
    let bytes = factors.to_bytes();
    // Payload: 3 counts (12 bytes), "u" (4 + 1), "ab" (4 + 2), two f32 values (8).
    let payload_len = 12 + 5 + 6 + 8;
    assert_eq!(bytes.len(), 24 + payload_len);
    assert_eq!(&bytes[0..8], b"HRFACTOR");
    assert_eq!(bytes[8..12], 1u32.to_le_bytes());
    assert_eq!(bytes[12..20], (payload_len as u64).to_le_bytes());
    assert_eq!(bytes[20..24], crc32fast::hash(&bytes[24..]).to_le_bytes());
    let payload = &bytes[24..];
    assert_eq!(payload[0..4], 1u32.to_le_bytes());
    assert_eq!(payload[4..8], 1u32.to_le_bytes());
    assert_eq!(payload[8..12], 1u32.to_le_bytes());
    assert_eq!(payload[12..16], 1u32.to_le_bytes());
    assert_eq!(&payload[16..17], b"u");
    assert_eq!(payload[17..21], 2u32.to_le_bytes());
    assert_eq!(&payload[21..23], b"ab");
    assert_eq!(payload[23..27], 0.5f32.to_le_bytes());
    assert_eq!(payload[27..31], (-2.0f32).to_le_bytes());
}

#[test]
fn binary_and_json_round_trip() {
    let original = ImportedFactors::from_json(TOY_JSON).unwrap();
    let from_bytes = ImportedFactors::from_bytes(&original.to_bytes()).unwrap();
    assert_eq!(from_bytes, original);
    let from_json = ImportedFactors::from_json(&from_bytes.to_json()).unwrap();
    assert_eq!(from_json, original);
    assert_eq!(from_json.to_bytes(), original.to_bytes());
}

#[test]
fn json_errors_name_value_and_expectation() {
    let cases = [
        (
            r#"{"version": 2, "factors": 2, "userIds": [], "userFactors": [], "itemIds": ["p1"], "itemFactors": [[1, 0]]}"#,
            "invalid imported factors: version 2 is not supported, expected 1",
        ),
        (
            r#"{"version": 1, "factors": 0, "userIds": [], "userFactors": [], "itemIds": ["p1"], "itemFactors": [[]]}"#,
            "invalid imported factors: factors is 0, expected an integer from 1 to 1024",
        ),
        (
            r#"{"version": 1, "factors": 2, "userIds": [], "userFactors": [], "itemIds": [], "itemFactors": []}"#,
            "invalid imported factors: there are no item factors, expected at least one item",
        ),
        (
            r#"{"version": 1, "factors": 2, "userIds": [], "userFactors": [], "itemIds": ["p1", "p2"], "itemFactors": [[1, 0]]}"#,
            "invalid imported factors: itemFactors has 1 rows for 2 itemIds, expected one row per id",
        ),
        (
            r#"{"version": 1, "factors": 2, "userIds": ["u1"], "userFactors": [[1, 2, 3]], "itemIds": ["p1"], "itemFactors": [[1, 0]]}"#,
            "invalid imported factors: userFactors row 0 (user \"u1\") has 3 values, expected 2 (the factor count)",
        ),
        (
            r#"{"version": 1, "factors": 2, "userIds": [], "userFactors": [], "itemIds": ["p1", "p2"], "itemFactors": [[1, 0], [1e39, 0]]}"#,
            "invalid imported factors: item factor row 1 (item \"p2\") value 0 is inf, expected a finite number within the f32 range",
        ),
        (
            r#"{"version": 1, "factors": 2, "userIds": [], "userFactors": [], "itemIds": ["p1"], "itemFactors": [[1, null]]}"#,
            "invalid imported factors: itemFactors row 0 (item \"p1\") value 1 is null (JSON.stringify writes NaN and infinity as null), expected a finite number",
        ),
        (
            r#"{"version": 1, "factors": 1, "userIds": [], "userFactors": [], "itemIds": ["p1", "p2", "p1"], "itemFactors": [[1], [2], [3]]}"#,
            "invalid imported factors: duplicate item id \"p1\" at rows 0 and 2, expected each id once",
        ),
        (
            r#"{"version": 1, "factors": 1, "userIds": [""], "userFactors": [[1]], "itemIds": ["p1"], "itemFactors": [[1]]}"#,
            "invalid imported factors: user id at row 0 is empty, expected a non-empty id",
        ),
    ];
    for (json, expected) in cases {
        assert_eq!(error_of(json), expected, "input {json}");
    }
}

#[test]
fn json_rejects_unknown_and_missing_fields() {
    let unknown = error_of(
        r#"{"version": 1, "factors": 1, "userIds": [], "userFactors": [], "itemIds": ["p1"], "itemFactors": [[1]], "rank": 1}"#,
    );
    assert!(
        unknown.starts_with(
            "invalid imported factors: the JSON does not match the format: unknown field `rank`"
        ),
        "{unknown}"
    );
    let missing =
        error_of(r#"{"version": 1, "factors": 1, "itemIds": ["p1"], "itemFactors": [[1]]}"#);
    assert!(
        missing.starts_with(
            "invalid imported factors: the JSON does not match the format: missing field `userIds`"
        ),
        "{missing}"
    );
}

#[test]
fn new_rejects_matrix_of_wrong_length_and_nan() {
    let short = ImportedFactors::new(2, vec![], vec![], vec!["p1".into()], vec![1.0]);
    assert_eq!(
        short.unwrap_err().to_string(),
        "invalid imported factors: 1 item factor values for 1 ids of 2 factors, expected 2"
    );
    let nan = ImportedFactors::new(
        1,
        vec!["u1".into()],
        vec![f32::NAN],
        vec!["p1".into()],
        vec![1.0],
    );
    assert_eq!(
        nan.unwrap_err().to_string(),
        "invalid imported factors: user factor row 0 (user \"u1\") value 0 is NaN, expected a finite number within the f32 range"
    );
}

#[test]
fn binary_errors_name_the_problem() {
    let good = ImportedFactors::from_json(TOY_JSON).unwrap().to_bytes();
    let binary_error = |bytes: &[u8]| ImportedFactors::from_bytes(bytes).unwrap_err().to_string();

    assert_eq!(
        binary_error(&good[..10]),
        "invalid imported factors: the binary file is truncated: 10 bytes, expected a header of 24"
    );
    let mut wrong_magic = good.clone();
    wrong_magic[0] = b'X';
    assert_eq!(
        binary_error(&wrong_magic),
        "invalid imported factors: not a binary factor file: it does not start with \"HRFACTOR\""
    );
    let mut wrong_version = good.clone();
    wrong_version[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert_eq!(
        binary_error(&wrong_version),
        "invalid imported factors: binary format version 2 is not supported, expected 1"
    );
    let announced = good.len() - 24;
    assert_eq!(
        binary_error(&good[..good.len() - 3]),
        format!(
            "invalid imported factors: the binary file is truncated or padded: the header \
             announces {announced} payload bytes, found {}",
            announced - 3
        )
    );
    let mut corrupted = good.clone();
    let last = corrupted.len() - 1;
    corrupted[last] ^= 0x40;
    assert_eq!(
        binary_error(&corrupted),
        "invalid imported factors: the binary file is corrupted: the payload checksum does not match"
    );
}

/// Wraps a payload in a valid header, so that the content checks run.
fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut bytes = b"HRFACTOR".to_vec();
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

fn counts(factors: u32, users: u32, items: u32) -> Vec<u8> {
    [factors, users, items]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

#[test]
fn binary_payload_errors_name_the_field() {
    let binary_error = |payload: &[u8]| {
        ImportedFactors::from_bytes(&with_header(payload))
            .unwrap_err()
            .to_string()
    };

    assert_eq!(
        binary_error(&counts(0, 0, 1)),
        "invalid imported factors: factors is 0, expected an integer from 1 to 1024"
    );
    // A count that the payload cannot hold is rejected before anything is allocated.
    assert_eq!(
        binary_error(&counts(1, u32::MAX, 0)),
        "invalid imported factors: the binary file is truncated: 4294967295 user ids cannot \
         fit in the 0 bytes left"
    );
    let mut long_id = counts(1, 0, 1);
    long_id.extend_from_slice(&10u32.to_le_bytes());
    long_id.extend_from_slice(b"abc");
    assert_eq!(
        binary_error(&long_id),
        "invalid imported factors: the binary file is truncated: item id 0 needs 10 bytes at \
         payload offset 16, only 3 remain"
    );
    let mut bad_utf8 = counts(1, 0, 1);
    bad_utf8.extend_from_slice(&1u32.to_le_bytes());
    bad_utf8.push(0xff);
    bad_utf8.extend_from_slice(&1f32.to_le_bytes());
    assert_eq!(
        binary_error(&bad_utf8),
        "invalid imported factors: item id 0 is not valid UTF-8 (invalid utf-8 sequence of 1 \
         bytes from index 0), expected UTF-8 text"
    );
    let mut short_matrix = counts(2, 0, 1);
    short_matrix.extend_from_slice(&2u32.to_le_bytes());
    short_matrix.extend_from_slice(b"p1");
    short_matrix.extend_from_slice(&1f32.to_le_bytes());
    assert_eq!(
        binary_error(&short_matrix),
        "invalid imported factors: the binary file is truncated: item factors needs 8 bytes \
         at payload offset 18, only 4 remain"
    );
    let mut trailing = counts(1, 0, 1);
    trailing.extend_from_slice(&2u32.to_le_bytes());
    trailing.extend_from_slice(b"p1");
    trailing.extend_from_slice(&1f32.to_le_bytes());
    trailing.push(0);
    assert_eq!(
        binary_error(&trailing),
        "invalid imported factors: 1 bytes follow the item factors, expected none"
    );
    let mut nan = counts(1, 0, 1);
    nan.extend_from_slice(&2u32.to_le_bytes());
    nan.extend_from_slice(b"p1");
    nan.extend_from_slice(&f32::INFINITY.to_le_bytes());
    assert_eq!(
        binary_error(&nan),
        "invalid imported factors: item factor row 0 (item \"p1\") value 0 is inf, expected a \
         finite number within the f32 range"
    );
}

#[test]
fn import_maps_ids_and_counts_skips() {
    let (_, report) = imported_toy();
    assert_eq!(report.factors, 2);
    assert_eq!(report.imported_items, 3);
    assert_eq!(report.unknown_items, 1);
    assert_eq!(report.unknown_item_ids, ["x9"]);
    assert_eq!(report.products_without_factors, 1);
    assert_eq!(report.imported_users, 1);
    assert_eq!(report.unknown_users, 1);
    assert_eq!(report.folded_in_users, 1);
}

#[test]
fn imported_vectors_land_at_catalog_indices() {
    let (recommender, _) = imported_toy();
    let models = recommender.models().unwrap();
    assert_eq!(models.als.item_vector(0), [1.0, 0.0]);
    assert_eq!(models.als.item_vector(1), [0.0, 1.0]);
    assert_eq!(models.als.item_vector(2), [1.0, 1.0]);
    assert_eq!(models.als.item_vector(3), [0.0, 0.0]);
    assert!(!models.als.has_item_signal(3));
    assert_eq!(models.als.user_vector(0), [2.0, 1.0]);
    assert_eq!(recommender.config().als.factors, 2);
}

#[test]
fn user_without_vector_is_folded_in() {
    // u2 viewed p1 (r = 1, so c = 1 + 2 * 1 = 3). Y^T Y over p1..p4 is [[2, 1], [1, 2]],
    // so A = Y^T Y + (c - 1) y1 y1^T + 0.5 I = [[4.5, 1], [1, 2.5]] and b = c y1 = [3, 0].
    // With det A = 10.25: x = [2.5 * 3, -1 * 3] / 10.25.
    let (recommender, _) = imported_toy();
    let models = recommender.models().unwrap();
    assert_close(models.als.user_vector(1), &[7.5 / 10.25, -3.0 / 10.25]);
}

#[test]
fn recommend_ranks_by_imported_scores() {
    // u1 = [2, 1] scores p1 2, p2 1, p3 3 and p4 (no vector) 0.
    let (mut recommender, _) = imported_toy();
    let list = recommender.recommend(&collaborative_request("u1")).unwrap();
    let ids: Vec<&str> = list.iter().map(|r| r.product_id.as_str()).collect();
    assert_eq!(ids, ["p3", "p1", "p2", "p4"]);
}

#[test]
fn reasons_explain_folded_in_user() {
    // For u2, the only history item p1 contributes c * y3^T A^-1 y1 = 3 * 1.5 / 10.25 > 0
    // to p3's score, so the reason names the Kettle (p1).
    let (mut recommender, _) = imported_toy();
    let list = recommender.recommend(&collaborative_request("u2")).unwrap();
    let p3 = list.iter().find(|r| r.product_id == "p3").unwrap();
    assert_eq!(p3.reason, "Because you viewed Kettle");
    let p1 = list.iter().find(|r| r.product_id == "p1").unwrap();
    assert_eq!(p1.reason, "You viewed this before");
}

#[test]
fn recorded_interaction_folds_user_in() {
    // u1 views p2: the row is p2 and p4 (zero vector), each r = 1, c = 3.
    // A = [[2, 1], [1, 2]] + 2 y2 y2^T + 0.5 I = [[2.5, 1], [1, 4.5]], b = 3 y2 = [0, 3],
    // so x = [-1 * 3, 2.5 * 3] / 10.25.
    let (mut recommender, _) = imported_toy();
    recommender
        .record_interaction(&RecordedInteraction {
            user_id: "u1".into(),
            product_id: "p2".into(),
            kind: InteractionKind::View,
            timestamp: T,
            value: None,
        })
        .unwrap();
    let models = recommender.models().unwrap();
    assert_close(
        models.user_factors(0).unwrap(),
        &[-3.0 / 10.25, 7.5 / 10.25],
    );
}

#[test]
fn imported_model_survives_save_and_load() {
    let (mut recommender, _) = imported_toy();
    let loaded = Recommender::load(&recommender.save());
    let mut loaded = loaded.unwrap();
    let models = loaded.models().unwrap();
    assert_eq!(models.als.user_vector(0), [2.0, 1.0]);
    assert_close(models.als.user_vector(1), &[7.5 / 10.25, -3.0 / 10.25]);
    for user in ["u1", "u2"] {
        let request = collaborative_request(user);
        assert_eq!(
            loaded.recommend(&request).unwrap(),
            recommender.recommend(&request).unwrap()
        );
    }
}

#[test]
fn import_rejects_factors_without_known_items() {
    let mut recommender = toy_recommender();
    let factors = ImportedFactors::new(
        1,
        vec![],
        vec![],
        vec!["a".into(), "b".into()],
        vec![1.0, 2.0],
    )
    .unwrap();
    let error =
        no_hooks(|hooks| recommender.import_factors(&factors, toy_config(), hooks)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid imported factors: none of the 2 imported item ids is a catalog product id \
         (first ids: a, b), expected the ids of the catalog's products"
    );
    assert!(recommender.models().is_none());
}

#[test]
fn evaluation_with_exported_own_factors_matches_training() {
    // Factors fitted on the training window and imported back must give exactly the
    // metrics of the evaluation that fits them itself.
    let shop = generate(&SyntheticConfig {
        users: 300,
        products: 150,
        days: 30,
        seed: 3,
    })
    .unwrap();
    let mut config = TrainConfig::default();
    config.als.factors = 8;
    config.als.iterations = 4;
    let evaluation = EvaluationConfig {
        bootstrap: 0,
        test_days: 7.0,
        ..Default::default()
    };
    let catalog = shop.catalog;
    let split = crate::evaluation::Split::new(&catalog, evaluation.test_days, 0.0).unwrap();
    let (models, _) = no_hooks(|hooks| {
        Models::train(
            &catalog,
            &catalog.interactions()[..split.train_end],
            &config,
            None,
            hooks,
        )
    })
    .unwrap();
    let user_ids: Vec<String> = catalog.users().iter().map(|u| u.id.clone()).collect();
    let item_ids: Vec<String> = catalog.products().iter().map(|p| p.id.clone()).collect();
    let user_factors: Vec<f32> = (0..user_ids.len())
        .flat_map(|u| models.als.user_vector(u).to_vec())
        .collect();
    let imported = ImportedFactors::new(
        8,
        user_ids,
        user_factors,
        item_ids,
        models.als.item_factors().to_vec(),
    )
    .unwrap();

    let mut recommender = Recommender::new(catalog);
    no_hooks(|hooks| recommender.train(config.clone(), hooks)).unwrap();
    let own = no_hooks(|hooks| recommender.evaluate(&evaluation, hooks)).unwrap();
    let imported =
        no_hooks(|hooks| recommender.evaluate_imported(&imported, &evaluation, hooks)).unwrap();
    assert!(own.collaborative.users > 0);
    assert_eq!(imported.collaborative, own.collaborative);
    assert_eq!(imported.hybrid, own.hybrid);
    assert_eq!(imported.train_interactions, own.train_interactions);
}
