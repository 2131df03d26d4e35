//! The ranking metrics against values computed by ranx (and checked against trec_eval
//! by `scripts/reference_metrics.py`, which wrote `tests/data/reference_metrics.json`).

use hybrid_recommender::metrics::{
    average_precision_at_k, hit_at_k, ndcg_at_k, precision_at_k, recall_at_k, reciprocal_rank_at_k,
};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

type Metric = fn(&[u32], &[u32], usize) -> f64;

#[test]
fn metrics_match_ranx() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference_metrics.json"
    ))
    .expect("reference file exists");
    let document: Value = serde_json::from_str(&text).expect("reference file is JSON");
    let cases: Vec<(Vec<u32>, Vec<u32>)> = document["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let ids = |key: &str| {
                case[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as u32)
                    .collect()
            };
            (ids("list"), ids("relevant"))
        })
        .collect();
    assert!(cases.len() >= 60);

    let metrics: [(&str, Metric); 6] = [
        ("precision", precision_at_k),
        ("recall", recall_at_k),
        ("ndcg", ndcg_at_k),
        ("map", average_precision_at_k),
        ("mrr", reciprocal_rank_at_k),
        ("hit_rate", hit_at_k),
    ];
    let mut checked = 0;
    for k in document["cutoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap() as usize)
    {
        for (name, metric) in metrics {
            let expected = document["values"][format!("{name}@{k}")]
                .as_array()
                .unwrap();
            assert_eq!(expected.len(), cases.len(), "{name}@{k}");
            for (i, ((list, relevant), expected)) in cases.iter().zip(expected).enumerate() {
                let expected = expected.as_f64().unwrap();
                let actual = metric(list, relevant, k);
                assert!(
                    (actual - expected).abs() <= TOLERANCE,
                    "{name}@{k}, case {i} (list {list:?}, relevant {relevant:?}): {actual} vs ranx {expected}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, cases.len() * 6 * 4);
}
