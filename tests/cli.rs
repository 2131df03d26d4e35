//! The command-line tool, run as a user would (`cargo test --features cli`).

#![cfg(feature = "cli")]

use std::process::Command;

const SMALL: [&str; 8] = [
    "--users",
    "300",
    "--products",
    "120",
    "--days",
    "40",
    "--seed",
    "5",
];

fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hybrid-rec"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn generate_writes_csv_files() {
    let dir = std::env::temp_dir().join(format!("hybrid-rec-cli-{}", std::process::id()));
    let out = dir.to_string_lossy().into_owned();
    let (ok, _, stderr) = run(&[&["generate", "--out", &out], &SMALL[..]].concat());
    assert!(ok, "{stderr}");
    let products = std::fs::read_to_string(dir.join("products.csv")).unwrap();
    assert!(products.starts_with("product_id,name,category,brand,price,description\r\n"));
    assert_eq!(products.lines().count(), 121);
    let users = std::fs::read_to_string(dir.join("users.csv")).unwrap();
    assert_eq!(users.lines().count(), 301);
    assert!(stderr.contains("wrote 120 products, 300 users"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn evaluate_prints_json_report() {
    let args = [
        &[
            "evaluate",
            "--json",
            "--factors",
            "8",
            "--iterations",
            "3",
            "--bootstrap",
            "50",
            "--test-days",
            "7",
        ],
        &SMALL[..],
    ]
    .concat();
    let (ok, stdout, stderr) = run(&args);
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on standard output");
    for strategy in [
        "popularity",
        "collaborative",
        "content",
        "hybrid",
        "hybrid_mmr",
    ] {
        assert!(report[strategy]["ndcg"].is_number(), "{strategy}");
    }
    assert!(report["segments"]["active"]["hybrid"]["users"].is_number());
    assert!(stderr.contains("ALS loss per iteration"), "{stderr}");
}

#[test]
fn precompute_covers_every_user() {
    let (ok, stdout, stderr) = run(&[
        &[
            "precompute",
            "--k",
            "3",
            "--factors",
            "8",
            "--iterations",
            "3",
        ],
        &SMALL[..],
    ]
    .concat());
    assert!(ok, "{stderr}");
    let lists: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(lists.as_object().unwrap().len(), 300);
    assert_eq!(lists["u00001"].as_array().unwrap().len(), 3);
}

#[test]
fn invalid_setting_fails_with_message() {
    let (ok, _, stderr) = run(&[&["train", "--factors", "0"], &SMALL[..]].concat());
    assert!(!ok);
    assert!(
        stderr.contains("error: invalid factors: 0, expected an integer from 1 to 1024"),
        "{stderr}"
    );
}

/// Reads a little-endian `f32` file as rows of `factors` values.
fn f32_rows(path: &std::path::Path, factors: usize) -> Vec<Vec<f32>> {
    let bytes = std::fs::read(path).unwrap();
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|chunk| f32::from_le_bytes(chunk.try_into().unwrap()))
        .collect();
    values.chunks(factors).map(<[f32]>::to_vec).collect()
}

#[test]
fn imported_own_factors_evaluate_like_training() {
    // export-als fits our ALS on the training window. Imported back through
    // --import-factors, those factors must give the metrics of plain evaluate exactly.
    let dir = std::env::temp_dir().join(format!("hybrid-rec-import-{}", std::process::id()));
    let out = dir.to_string_lossy().into_owned();
    let settings = ["--factors", "8", "--iterations", "3"];
    let export = [
        &["export-als", "--test-days", "7", "--out", &out],
        &settings[..],
        &SMALL[..],
    ]
    .concat();
    let (ok, _, stderr) = run(&export);
    assert!(ok, "{stderr}");

    let strengths = std::fs::read_to_string(dir.join("strengths.csv")).unwrap();
    assert!(strengths.starts_with("user,item,strength\n"));
    let ids: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ids.json")).unwrap()).unwrap();
    assert_eq!(ids["users"].as_array().unwrap().len(), 300);
    assert_eq!(ids["items"].as_array().unwrap().len(), 120);
    assert_eq!(ids["users"][0], "u00001");
    let factors = serde_json::json!({
        "version": 1,
        "factors": 8,
        "userIds": ids["users"],
        "userFactors": f32_rows(&dir.join("user_factors.f32"), 8),
        "itemIds": ids["items"],
        "itemFactors": f32_rows(&dir.join("item_factors.f32"), 8),
    });
    let factor_file = dir.join("factors.json");
    std::fs::write(&factor_file, factors.to_string()).unwrap();

    let evaluate = ["evaluate", "--json", "--bootstrap", "0", "--test-days", "7"];
    let (ok, own, stderr) = run(&[&evaluate[..], &settings[..], &SMALL[..]].concat());
    assert!(ok, "{stderr}");
    let file = factor_file.to_string_lossy().into_owned();
    let import = [
        &evaluate[..],
        &["--import-factors", &file],
        &settings[..],
        &SMALL[..],
    ]
    .concat();
    let (ok, imported, stderr) = run(&import);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("read 300 user and 120 item vectors of 8 factors"),
        "{stderr}"
    );
    let own: serde_json::Value = serde_json::from_str(&own).unwrap();
    let imported: serde_json::Value = serde_json::from_str(&imported).unwrap();
    assert!(own["collaborative"]["users"].as_u64().unwrap() > 0);
    assert_eq!(imported["collaborative"], own["collaborative"]);
    assert_eq!(imported["hybrid"], own["hybrid"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn invalid_factor_file_fails_with_message() {
    let path = std::env::temp_dir().join(format!("hybrid-rec-bad-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"version": 3}"#).unwrap();
    let file = path.to_string_lossy().into_owned();
    let (ok, _, stderr) = run(&[&["evaluate", "--import-factors", &file], &SMALL[..]].concat());
    std::fs::remove_file(&path).unwrap();
    assert!(!ok);
    assert!(
        stderr.contains(
            "invalid imported factors: the JSON does not match the format: missing field `factors`"
        ),
        "{stderr}"
    );
}
