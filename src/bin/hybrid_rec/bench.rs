//! `hybrid-rec bench`: speed and memory of every stage at several catalog sizes.
//!
//! Each size runs in a child process (`bench-one`) so that its peak resident memory
//! (`VmHWM` in /proc/self/status, Linux only) belongs to that size alone.

use std::process::Command;
use std::time::Instant;

use hybrid_recommender::tfidf::TfIdf;
use hybrid_recommender::{
    generate, Context, Hooks, RecommendRequest, Recommender, Stage, SyntheticConfig, TrainConfig,
};
use serde::{Deserialize, Serialize};

/// Figures of one catalog size.
#[derive(Debug, Serialize, Deserialize)]
pub struct BenchResult {
    scale: usize,
    users: usize,
    products: usize,
    interactions: usize,
    generate_ms: f64,
    confidence_ms: f64,
    als_iterations: usize,
    als_ms_per_iteration: f64,
    tfidf_ms: f64,
    content_ms: f64,
    popularity_ms: f64,
    recommend_p50_ms: f64,
    recommend_p99_ms: f64,
    precompute_users: usize,
    precompute_users_per_second: f64,
    peak_rss_mb: f64,
}

/// Runs every scale in a child process on `threads` training threads and prints a
/// table (or JSON).
pub fn run(scales: &[usize], requests: usize, threads: usize, json: bool) -> Result<(), String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("failed to find the running binary: {e}"))?;
    let mut results = Vec::new();
    for &scale in scales {
        eprintln!("benchmarking {scale}x the default catalog ...");
        let output = Command::new(&exe)
            .args([
                "--threads",
                &threads.to_string(),
                "bench-one",
                "--scale",
                &scale.to_string(),
                "--requests",
                &requests.to_string(),
            ])
            .output()
            .map_err(|e| format!("failed to run bench-one: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "bench-one --scale {scale} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let result: BenchResult = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("bench-one printed no result: {e}"))?;
        results.push(result);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!(
        "{:>5} {:>7} {:>7} {:>9} {:>8} {:>8} {:>10} {:>8} {:>9} {:>8} {:>8} {:>12} {:>8}",
        "scale",
        "users",
        "items",
        "events",
        "gen ms",
        "conf ms",
        "ALS ms/it",
        "tfidf ms",
        "content ms",
        "rec p50",
        "rec p99",
        "batch user/s",
        "peak MB"
    );
    for r in &results {
        println!(
            "{:>5} {:>7} {:>7} {:>9} {:>8.0} {:>8.0} {:>10.1} {:>8.0} {:>9.0} {:>8.3} {:>8.3} {:>12.0} {:>8.0}",
            format!("{}x", r.scale),
            r.users,
            r.products,
            r.interactions,
            r.generate_ms,
            r.confidence_ms,
            r.als_ms_per_iteration,
            r.tfidf_ms,
            r.content_ms,
            r.recommend_p50_ms,
            r.recommend_p99_ms,
            r.precompute_users_per_second,
            r.peak_rss_mb
        );
    }
    Ok(())
}

/// Measures one scale in this process and prints the result as JSON.
pub fn one(scale: usize, requests: usize) -> Result<(), String> {
    let defaults = SyntheticConfig::default();
    let config = SyntheticConfig {
        users: defaults.users * scale,
        products: defaults.products * scale,
        ..defaults
    };
    let start = Instant::now();
    let ms = |since: Instant| since.elapsed().as_secs_f64() * 1000.0;
    let catalog = generate(&config).map_err(|e| e.to_string())?.catalog;
    let generate_ms = ms(start);

    let texts: Vec<String> = catalog
        .products()
        .iter()
        .map(|p| format!("{} {}", p.name, p.description))
        .collect();
    let tfidf_start = Instant::now();
    let tfidf = TfIdf::fit(&texts, 1000, 0.5);
    for text in &texts {
        std::hint::black_box(tfidf.transform(text));
    }
    let tfidf_ms = ms(tfidf_start);

    let (users, products, interactions) = (
        catalog.users().len(),
        catalog.products().len(),
        catalog.interactions().len(),
    );
    let mut recommender = Recommender::new(catalog);
    let clock_start = Instant::now();
    let clock = move || clock_start.elapsed().as_secs_f64() * 1000.0;
    let mut iteration_marks: Vec<f64> = Vec::new();
    let mut progress = |p: hybrid_recommender::Progress| {
        if p.stage == Stage::Collaborative {
            iteration_marks.push(clock());
        }
    };
    let report = recommender
        .train(
            TrainConfig::default(),
            &mut Hooks {
                clock: &clock,
                progress: &mut progress,
            },
        )
        .map_err(|e| e.to_string())?;
    // The first mark is the stage start; each further one ends an iteration.
    let iterations = iteration_marks.len().saturating_sub(1);
    let als_ms_per_iteration = if iterations > 0 {
        (iteration_marks[iterations] - iteration_marks[0]) / iterations as f64
    } else {
        0.0
    };

    let mut latencies = Vec::with_capacity(requests);
    for i in 0..requests {
        let user = &recommender.catalog().users()[(i * 7919) % users].id;
        let request = RecommendRequest {
            user_id: Some(user.clone()),
            k: 10,
            ..Default::default()
        };
        let begin = Instant::now();
        std::hint::black_box(
            recommender
                .recommend_uncached(&request)
                .map_err(|e| e.to_string())?,
        );
        latencies.push(ms(begin));
    }
    latencies.sort_by(f64::total_cmp);
    let percentile = |q: f64| {
        latencies[((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len()) - 1]
    };

    let batch = users.min(5000);
    let batch_start = Instant::now();
    std::hint::black_box(
        recommender
            .precompute_users(10, Context::Homepage, 0..batch)
            .map_err(|e| e.to_string())?,
    );
    let batch_seconds = batch_start.elapsed().as_secs_f64();

    let result = BenchResult {
        scale,
        users,
        products,
        interactions,
        generate_ms,
        confidence_ms: report.stage_millis.confidence,
        als_iterations: iterations,
        als_ms_per_iteration,
        tfidf_ms,
        content_ms: report.stage_millis.content,
        popularity_ms: report.stage_millis.popularity,
        recommend_p50_ms: percentile(0.50),
        recommend_p99_ms: percentile(0.99),
        precompute_users: batch,
        precompute_users_per_second: batch as f64 / batch_seconds,
        peak_rss_mb: peak_rss_mb(),
    };
    println!(
        "{}",
        serde_json::to_string(&result).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Peak resident memory of this process in MB from /proc/self/status, 0 where that
/// file does not exist.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
