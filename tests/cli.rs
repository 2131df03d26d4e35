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
