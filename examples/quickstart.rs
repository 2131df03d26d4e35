//! Generates the default synthetic shop, trains every model, prints recommendations
//! for one user and the evaluation table.
//!
//! Run with `cargo run --release --example quickstart`.

use std::time::Instant;

use hybrid_recommender::{
    generate, EvaluationConfig, Hooks, RecommendRequest, Recommender, SyntheticConfig, TrainConfig,
};

fn main() -> Result<(), hybrid_recommender::Error> {
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;

    let shop = generate(&SyntheticConfig::default())?;
    println!(
        "generated {} users, {} products, {} interactions in {:.0} ms",
        shop.catalog.users().len(),
        shop.catalog.products().len(),
        shop.catalog.interactions().len(),
        clock()
    );

    let mut recommender = Recommender::new(shop.catalog);
    let report = recommender.train(
        TrainConfig::default(),
        &mut Hooks {
            clock: &clock,
            progress: &mut |_| {},
        },
    )?;
    println!(
        "trained in {:.0} ms ({})",
        report.total_millis, report.stage_millis
    );
    let losses: Vec<String> = report.loss.iter().map(|l| format!("{l:.4}")).collect();
    println!("ALS loss per iteration: {}", losses.join(" "));

    let request = RecommendRequest {
        user_id: Some("u00001".into()),
        ..Default::default()
    };
    for item in recommender.recommend(&request)? {
        println!(
            "{:.3}  {:<45} {:<15} {}",
            item.score, item.name, item.category, item.reason
        );
    }

    let config = EvaluationConfig::default();
    let before = clock();
    let table = recommender.evaluate(
        &config,
        &mut Hooks {
            clock: &clock,
            progress: &mut |_| {},
        },
    )?;
    println!("evaluated in {:.0} ms, k = {}", clock() - before, config.k);
    println!(
        "{:<14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6}",
        "strategy", "precision", "recall", "ndcg", "coverage", "diversity", "users"
    );
    for (name, m) in [
        ("popularity", table.popularity),
        ("collaborative", table.collaborative),
        ("content", table.content),
        ("hybrid", table.hybrid),
    ] {
        println!(
            "{name:<14} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>6}",
            m.precision, m.recall, m.ndcg, m.coverage, m.diversity, m.users
        );
    }
    Ok(())
}
