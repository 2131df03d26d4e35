//! `hybrid-rec export-als`: the training confidence matrix, our ALS factors and the test
//! relevance of a time split, as files that `scripts/compare_implicit.py` reads to fit
//! the `implicit` library on the same problem and score both factor sets with one piece
//! of evaluation code, and that `scripts/spark_als.py` reads to fit Spark MLlib's ALS.
//!
//! Files written to the output folder:
//!
//! - `confidence.csv`: `user,item,confidence` of the training window, with the
//!   confidence `c = 1 + alpha * r` (so `implicit` runs with alpha = 1);
//! - `strengths.csv`: `user,item,strength` of the training window, every stored `r`
//!   including negative ones, for engines that compute `c = 1 + alpha * |r|` and
//!   `p = [r > 0]` themselves, as Spark MLlib's implicit ALS does;
//! - `ids.json`: `{"users": [...], "items": [...]}`, the catalog ids of the row and
//!   column indices used in the CSV files;
//! - `exclude.csv`: `user,item` bought in training (left out of every list);
//! - `relevant.csv`: `user,item` relevant in the test window, for users with training
//!   history (carts, purchases and ratings of 4+ that were not bought before);
//! - `user_factors.f32`, `item_factors.f32`: our factors, little-endian `f32`, row-major;
//! - `meta.json`: sizes, settings and our ALS seconds per iteration.

use std::fs;
use std::path::Path;
use std::time::Instant;

use hybrid_recommender::als::AlsModel;
use hybrid_recommender::confidence::InteractionMatrix;
use hybrid_recommender::{Catalog, InteractionKind, TrainConfig};
use serde_json::json;

/// Writes the files for a split whose test window is the last `test_days` days.
pub fn export(
    catalog: &Catalog,
    config: &TrainConfig,
    test_days: f64,
    out: &Path,
) -> Result<(), String> {
    let last = catalog
        .last_timestamp()
        .ok_or("the catalog has no interactions")?;
    let cutoff = last - (test_days * 86_400.0) as i64;
    let events = catalog.interactions();
    let split = events.partition_point(|e| e.timestamp <= cutoff);
    let train = &events[..split];
    let reference = train.last().map_or(0, |e| e.timestamp);
    let (users, items) = (catalog.users().len(), catalog.products().len());
    let matrix = InteractionMatrix::build(users, items, train, &config.confidence, reference);

    let mut marks = Vec::new();
    let start = Instant::now();
    let model = AlsModel::fit(
        &matrix.user_items,
        &matrix.item_users,
        &config.als,
        &mut |_| marks.push(start.elapsed().as_secs_f64()),
    )
    .map_err(|e| e.to_string())?;
    let seconds_per_iteration = marks.last().copied().unwrap_or(0.0) / marks.len().max(1) as f64;

    fs::create_dir_all(out).map_err(|e| format!("failed to create {}: {e}", out.display()))?;
    let alpha = config.als.alpha;
    let mut confidence = String::from("user,item,confidence\n");
    let mut strength_rows = String::from("user,item,strength\n");
    let mut exclude = String::from("user,item\n");
    for user in 0..users {
        let (row_items, strengths, kinds) = matrix.user_row(user);
        for ((&item, &r), &kind) in row_items.iter().zip(strengths).zip(kinds) {
            strength_rows.push_str(&format!("{user},{item},{r}\n"));
            if r > 0.0 {
                confidence.push_str(&format!("{user},{item},{}\n", 1.0 + alpha * r));
            }
            if kind & InteractionKind::Purchase.bit() != 0 {
                exclude.push_str(&format!("{user},{item}\n"));
            }
        }
    }
    let mut relevant_pairs: Vec<(u32, u32)> = events[split..]
        .iter()
        .filter(|e| match e.kind {
            InteractionKind::Cart | InteractionKind::Purchase => true,
            InteractionKind::Rating => e.value.unwrap_or(0.0) >= 4.0,
            InteractionKind::View | InteractionKind::NotInterested => false,
        })
        .filter(|e| {
            !matrix.user_row(e.user as usize).0.is_empty()
                && !matrix.purchased(e.user as usize, e.product)
        })
        .map(|e| (e.user, e.product))
        .collect();
    relevant_pairs.sort_unstable();
    relevant_pairs.dedup();
    let mut relevant = String::from("user,item\n");
    for (user, item) in &relevant_pairs {
        relevant.push_str(&format!("{user},{item}\n"));
    }

    let factors = config.als.factors;
    let mut user_bytes = Vec::with_capacity(users * factors * 4);
    for user in 0..users {
        for value in model.user_vector(user) {
            user_bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    let item_bytes: Vec<u8> = model
        .item_factors()
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let meta = json!({
        "users": users,
        "items": items,
        "factors": factors,
        "regularization": config.als.regularization,
        "alpha": alpha,
        "iterations": config.als.iterations,
        "cg_steps": config.als.cg_steps,
        "seed": config.als.seed,
        "train_interactions": split,
        "test_interactions": events.len() - split,
        "nonzeros": matrix.user_items.nnz(),
        "seconds_per_iteration": seconds_per_iteration,
    });
    let write = |name: &str, bytes: &[u8]| {
        fs::write(out.join(name), bytes).map_err(|e| format!("failed to write {name}: {e}"))
    };
    write("confidence.csv", confidence.as_bytes())?;
    write("strengths.csv", strength_rows.as_bytes())?;
    let ids = json!({
        "users": catalog.users().iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        "items": catalog.products().iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
    });
    write("ids.json", ids.to_string().as_bytes())?;
    write("exclude.csv", exclude.as_bytes())?;
    write("relevant.csv", relevant.as_bytes())?;
    write("user_factors.f32", &user_bytes)?;
    write("item_factors.f32", &item_bytes)?;
    write(
        "meta.json",
        serde_json::to_string_pretty(&meta)
            .map_err(|e| e.to_string())?
            .as_bytes(),
    )?;
    eprintln!(
        "exported {} nonzeros, {} relevant pairs; our ALS: {:.1} ms per iteration",
        matrix.user_items.nnz(),
        relevant_pairs.len(),
        seconds_per_iteration * 1000.0
    );
    Ok(())
}
