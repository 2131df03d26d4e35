//! `hybrid-rec`: the recommender's core as a command-line tool for batch work.
//!
//! Every command works on the seeded synthetic shop (`--users`, `--products`, `--days`,
//! `--seed`). Long work shows a progress bar on standard error; results go to standard
//! output or to the file given with `--out`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod bench;
mod export;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hybrid_recommender::export::{catalog_json, interactions_csv, products_csv, users_csv};
use hybrid_recommender::factors::binary::MAGIC as FACTOR_MAGIC;
use hybrid_recommender::loader::{decode, load_csv, CsvInput, LoadOptions};
use hybrid_recommender::{
    evaluate_imported, generate, tune, Catalog, Context, EvaluationConfig, EvaluationReport, Hooks,
    ImportedFactors, Progress, Recommender, SyntheticConfig, TrainConfig, TuningGrid, Weights,
};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "hybrid-rec",
    version,
    about = "Hybrid e-commerce recommender: generate, train, evaluate, tune, precompute"
)]
struct Cli {
    /// Threads for training (ALS half-steps, training loss, content neighbours); the
    /// results are the same for every count.
    #[arg(long, global = true, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: u16,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the synthetic catalog as CSV files or one JSON file.
    Generate {
        #[command(flatten)]
        shop: ShopArgs,
        /// Output folder (CSV: products.csv, users.csv, interactions.csv; JSON: catalog.json).
        #[arg(long, default_value = "catalog")]
        out: PathBuf,
        /// File format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Train every model and print the stage timings and the ALS loss.
    Train {
        #[command(flatten)]
        shop: ShopArgs,
        #[command(flatten)]
        train: TrainArgs,
    },
    /// Evaluate every strategy on a time split and print the table.
    Evaluate {
        #[command(flatten)]
        shop: ShopArgs,
        #[command(flatten)]
        train: TrainArgs,
        #[command(flatten)]
        evaluation: EvaluationArgs,
        /// Evaluate factors trained elsewhere on the training window (JSON or the binary
        /// format of docs/scale.md) instead of fitting ALS. --regularization and --alpha
        /// then apply only to the users folded in.
        #[arg(long, value_name = "FILE")]
        import_factors: Option<PathBuf>,
        /// Print the full report as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Search ALS settings and blend weights on the validation window.
    Tune {
        #[command(flatten)]
        shop: ShopArgs,
        #[command(flatten)]
        evaluation: EvaluationArgs,
        /// ALS factors to try, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "32,64")]
        factors: Vec<usize>,
        /// Regularization values to try.
        #[arg(long, value_delimiter = ',', default_values_t = vec![0.05])]
        regularization: Vec<f32>,
        /// Alpha values to try.
        #[arg(long, value_delimiter = ',', default_value = "1,2")]
        alpha: Vec<f32>,
        /// Iteration counts to try.
        #[arg(long, value_delimiter = ',', default_values_t = vec![10])]
        iterations: Vec<usize>,
        /// Print the runs as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Measure every stage at several catalog sizes (each in its own process).
    Bench {
        /// Catalog sizes as multiples of the default (10,000 users, 5,000 products).
        #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
        scales: Vec<usize>,
        /// Single recommend requests timed per size.
        #[arg(long, default_value_t = 2000)]
        requests: usize,
        /// Print the figures as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Measure one catalog size and print JSON (used by `bench`).
    #[command(hide = true)]
    BenchOne {
        #[arg(long)]
        scale: usize,
        #[arg(long)]
        requests: usize,
    },
    /// Write the training strengths and confidences, our ALS factors and the test relevance
    /// for `scripts/compare_implicit.py` and `scripts/spark_als.py`.
    ExportAls {
        #[command(flatten)]
        shop: ShopArgs,
        #[command(flatten)]
        train: TrainArgs,
        /// Test window at the end of the data, in days.
        #[arg(long, default_value_t = 14.0)]
        test_days: f64,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Compute the homepage recommendations of every user and write them as JSON.
    Precompute {
        #[command(flatten)]
        shop: ShopArgs,
        #[command(flatten)]
        train: TrainArgs,
        /// List length.
        #[arg(long, default_value_t = 10)]
        k: usize,
        /// Output file; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(Args)]
struct ShopArgs {
    /// Synthetic users.
    #[arg(long, default_value_t = 10_000, conflicts_with = "interactions")]
    users: usize,
    /// Synthetic products.
    #[arg(long, default_value_t = 5_000, conflicts_with = "interactions")]
    products: usize,
    /// Days of synthetic history.
    #[arg(long, default_value_t = 90, conflicts_with = "interactions")]
    days: usize,
    /// Seed of the synthetic shop.
    #[arg(long, default_value_t = 42, conflicts_with = "interactions")]
    seed: u64,
    /// Load this interactions CSV file instead of generating a shop.
    #[arg(long)]
    interactions: Option<PathBuf>,
    /// Products CSV file for --interactions.
    #[arg(long, requires = "interactions")]
    products_file: Option<PathBuf>,
    /// Loader options for --interactions as a JSON file (the fields of LoadOptions:
    /// columns, eventTypes, defaultType, delimiter, excludeProductIds, ...).
    #[arg(long, requires = "interactions")]
    load_options: Option<PathBuf>,
}

#[derive(Args)]
struct TrainArgs {
    /// ALS latent factors.
    #[arg(long, default_value_t = 64)]
    factors: usize,
    /// ALS iterations.
    #[arg(long, default_value_t = 15)]
    iterations: usize,
    /// ALS L2 regularization.
    #[arg(long, default_value_t = 0.05)]
    regularization: f32,
    /// ALS confidence slope (c = 1 + alpha * r).
    #[arg(long, default_value_t = 2.0)]
    alpha: f32,
    /// Seed of the random initial ALS factors.
    #[arg(long, default_value_t = 42)]
    als_seed: u64,
}

#[derive(Args)]
struct EvaluationArgs {
    /// Headline cutoff.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Test window at the end of the data, in days.
    #[arg(long, default_value_t = 14.0)]
    test_days: f64,
    /// Validation window before the test window, in days.
    #[arg(long, default_value_t = 14.0)]
    validation_days: f64,
    /// The maximum number of users evaluated.
    #[arg(long, default_value_t = 2000)]
    max_users: usize,
    /// Bootstrap resamples for the 95% intervals (0 = none).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
}

impl ShopArgs {
    /// Returns the catalog: loaded from --interactions when given, otherwise generated.
    fn catalog(&self) -> Result<Catalog, String> {
        let Some(path) = &self.interactions else {
            return generate(&self.config())
                .map(|shop| shop.catalog)
                .map_err(|e| e.to_string());
        };
        let read = |path: &Path| {
            fs::read(path)
                .map(|bytes| decode(&bytes))
                .map_err(|e| format!("failed to read {}: {e}", path.display()))
        };
        let interactions = read(path)?;
        let products = self.products_file.as_deref().map(read).transpose()?;
        let options: LoadOptions = match &self.load_options {
            Some(path) => serde_json::from_str(&read(path)?)
                .map_err(|e| format!("invalid {}: {e}", path.display()))?,
            None => LoadOptions::default(),
        };
        let (catalog, report) = load_csv(
            CsvInput {
                products: products.as_deref(),
                interactions: &interactions,
                users: None,
            },
            &options,
        )
        .map_err(|e| e.to_string())?;
        eprintln!("loaded {report}");
        Ok(catalog)
    }

    fn config(&self) -> SyntheticConfig {
        SyntheticConfig {
            users: self.users,
            products: self.products,
            days: self.days,
            seed: self.seed,
        }
    }
}

impl TrainArgs {
    fn config(&self) -> TrainConfig {
        let mut config = TrainConfig::default();
        config.als.factors = self.factors;
        config.als.iterations = self.iterations;
        config.als.regularization = self.regularization;
        config.als.alpha = self.alpha;
        config.als.seed = self.als_seed;
        config
    }
}

impl EvaluationArgs {
    fn config(&self) -> EvaluationConfig {
        EvaluationConfig {
            k: self.k,
            test_days: self.test_days,
            validation_days: self.validation_days,
            max_users: self.max_users,
            bootstrap: self.bootstrap,
            ..EvaluationConfig::default()
        }
    }
}

fn main() -> ExitCode {
    // Exit quietly when the reader of a pipe closes it (`| head`), as Unix tools do,
    // instead of panicking in println!. Rust starts programs with SIGPIPE ignored.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default, before any other thread
    // exists, has no memory-safety requirements.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let threads = usize::from(cli.threads);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| format!("failed to start {threads} training threads: {e}"))?;
    match cli.command {
        Command::Generate { shop, out, format } => {
            let catalog = shop.catalog()?;
            fs::create_dir_all(&out)
                .map_err(|e| format!("failed to create {}: {e}", out.display()))?;
            match format {
                Format::Csv => {
                    write(&out.join("products.csv"), &products_csv(&catalog))?;
                    write(&out.join("users.csv"), &users_csv(&catalog))?;
                    write(&out.join("interactions.csv"), &interactions_csv(&catalog))?;
                }
                Format::Json => write(&out.join("catalog.json"), &catalog_json(&catalog))?,
            }
            eprintln!(
                "wrote {} products, {} users, {} interactions to {}",
                catalog.products().len(),
                catalog.users().len(),
                catalog.interactions().len(),
                out.display()
            );
            Ok(())
        }
        Command::Train { shop, train } => trained(&shop, &train).map(|_| ()),
        Command::Evaluate {
            shop,
            train,
            evaluation,
            import_factors,
            json,
        } => {
            let report = match import_factors {
                Some(path) => evaluate_factors(&shop, &train, &evaluation, &path)?,
                None => {
                    let recommender = trained(&shop, &train)?;
                    with_progress("evaluate", |hooks| {
                        recommender.evaluate(&evaluation.config(), hooks)
                    })?
                }
            };
            if json {
                print_json(&report)?;
            } else {
                print_evaluation(&report);
            }
            Ok(())
        }
        Command::Tune {
            shop,
            evaluation,
            factors,
            regularization,
            alpha,
            iterations,
            json,
        } => {
            let catalog = shop.catalog()?;
            let grid = TuningGrid {
                factors,
                regularization,
                alpha,
                iterations,
                ..TuningGrid::default()
            };
            let report = with_progress("tune", |hooks| {
                tune(
                    &catalog,
                    &TrainConfig::default(),
                    &grid,
                    &evaluation.config(),
                    hooks,
                )
            })?;
            if json {
                return print_json(&report);
            }
            println!(
                "{:>7} {:>8} {:>6} {:>5}  {:<17} {:>8} {:>9} {:>8}",
                "factors", "reg", "alpha", "iter", "weights", "ndcg", "precision", "recall"
            );
            for run in &report.runs {
                println!(
                    "{:>7} {:>8} {:>6} {:>5}  {:<17} {:>8.4} {:>9.4} {:>8.4}",
                    run.factors,
                    run.regularization,
                    run.alpha,
                    run.iterations,
                    weights_label(&run.weights),
                    run.ndcg,
                    run.precision,
                    run.recall
                );
            }
            let best = &report.best;
            println!(
                "best: factors {} regularization {} alpha {} iterations {} weights {} (validation NDCG@{} {:.4})",
                best.factors,
                best.regularization,
                best.alpha,
                best.iterations,
                weights_label(&best.weights),
                evaluation.k,
                best.ndcg
            );
            Ok(())
        }
        Command::Bench {
            scales,
            requests,
            json,
        } => bench::run(&scales, requests, threads, json),
        Command::BenchOne { scale, requests } => bench::one(scale, requests),
        Command::ExportAls {
            shop,
            train,
            test_days,
            out,
        } => {
            let catalog = shop.catalog()?;
            export::export(&catalog, &train.config(), test_days, &out)
        }
        Command::Precompute {
            shop,
            train,
            k,
            out,
        } => {
            let recommender = trained(&shop, &train)?;
            let start = Instant::now();
            let lists = recommender
                .precompute_all(k, Context::Homepage)
                .map_err(|e| e.to_string())?;
            eprintln!(
                "precomputed {} users in {:.0} ms",
                lists.len(),
                start.elapsed().as_secs_f64() * 1000.0
            );
            let json = serde_json::to_string(&lists).map_err(|e| e.to_string())?;
            match out {
                Some(path) => write(&path, &json),
                None => {
                    println!("{json}");
                    Ok(())
                }
            }
        }
    }
}

/// Evaluates the factors in `path` on the time split in place of fitting ALS.
fn evaluate_factors(
    shop: &ShopArgs,
    train: &TrainArgs,
    evaluation: &EvaluationArgs,
    path: &Path,
) -> Result<EvaluationReport, String> {
    let catalog = shop.catalog()?;
    let bytes = fs::read(path).map_err(|e| format!("failed to read {}: {e}", path.display()))?;
    let imported = if bytes.starts_with(FACTOR_MAGIC) {
        ImportedFactors::from_bytes(&bytes)
    } else {
        ImportedFactors::from_json(&decode(&bytes))
    }
    .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!(
        "read {} user and {} item vectors of {} factors from {}",
        imported.user_ids().len(),
        imported.item_ids().len(),
        imported.factors(),
        path.display()
    );
    with_progress("evaluate", |hooks| {
        evaluate_imported(
            &catalog,
            &train.config(),
            &evaluation.config(),
            &imported,
            hooks,
        )
    })
}

/// Generates the shop and trains every model, with a progress bar and a summary on
/// standard error.
fn trained(shop: &ShopArgs, train: &TrainArgs) -> Result<Recommender, String> {
    let start = Instant::now();
    let catalog = shop.catalog()?;
    eprintln!(
        "prepared {} users, {} products, {} interactions in {:.0} ms",
        catalog.users().len(),
        catalog.products().len(),
        catalog.interactions().len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    let mut recommender = Recommender::new(catalog);
    let report = with_progress("train", |hooks| recommender.train(train.config(), hooks))?;
    eprintln!(
        "trained in {:.0} ms ({})",
        report.total_millis, report.stage_millis
    );
    let losses: Vec<String> = report.loss.iter().map(|l| format!("{l:.5}")).collect();
    eprintln!("ALS loss per iteration: {}", losses.join(" "));
    Ok(recommender)
}

/// Runs `work` with a progress bar labelled `label` on standard error and a millisecond
/// clock, and clears the bar when it ends.
fn with_progress<T>(
    label: &'static str,
    work: impl FnOnce(&mut Hooks) -> hybrid_recommender::Result<T>,
) -> Result<T, String> {
    let bar = progress_bar(label);
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let result = work(&mut Hooks {
        clock: &clock,
        progress: &mut |p| advance(&bar, p),
    });
    bar.finish_and_clear();
    result.map_err(|e| e.to_string())
}

/// Prints a value as indented JSON on standard output.
fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

fn progress_bar(label: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(1000);
    let style = ProgressStyle::with_template("{prefix:>9} [{bar:40}] {percent:>3}% {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(label);
    bar
}

fn advance(bar: &ProgressBar, progress: Progress) {
    bar.set_position((progress.fraction.clamp(0.0, 1.0) * 1000.0) as u64);
    let stage = serde_json::to_value(progress.stage)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match progress.loss {
        Some(loss) => bar.set_message(format!("{stage} loss {loss:.5}")),
        None => bar.set_message(stage),
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("failed to write {}: {e}", path.display()))
}

fn weights_label(weights: &Weights) -> String {
    format!(
        "{:.2}/{:.2}/{:.2}",
        weights.collaborative, weights.content, weights.popularity
    )
}

fn print_evaluation(report: &EvaluationReport) {
    println!(
        "k = {}; trained on {} interactions, tested on {}; {} users skipped (no relevant product)",
        report.k, report.train_interactions, report.test_interactions, report.skipped_users
    );
    println!(
        "{:<14} {:>9} {:>8} {:>8} {:>17} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8} {:>9} {:>6}",
        "strategy",
        "precision",
        "recall",
        "ndcg",
        "ndcg 95% CI",
        "map",
        "mrr",
        "hit",
        "coverage",
        "diversity",
        "novelty",
        "pop rank",
        "users"
    );
    for (name, m) in [
        ("popularity", &report.popularity),
        ("collaborative", &report.collaborative),
        ("content", &report.content),
        ("hybrid", &report.hybrid),
        ("hybrid_mmr", &report.hybrid_mmr),
    ] {
        let ci = m.ci.get("ndcg").map_or(String::from("-"), |[low, high]| {
            format!("[{low:.4}, {high:.4}]")
        });
        println!(
            "{name:<14} {:>9.4} {:>8.4} {:>8.4} {:>17} {:>8.4} {:>8.4} {:>8.4} {:>9.4} {:>9.4} {:>8.2} {:>9.1} {:>6}",
            m.precision, m.recall, m.ndcg, ci, m.map, m.mrr, m.hit_rate, m.coverage, m.diversity, m.novelty, m.popularity_bias, m.users
        );
    }
    println!("\nNDCG@{} by segment (users):", report.k);
    for (segment, table) in [
        ("cold", &report.segments.cold),
        ("new", &report.segments.new),
        ("active", &report.segments.active),
    ] {
        let cells: Vec<String> = table
            .iter()
            // Adding 0.0 turns a negative zero into 0, which prints without the sign.
            .map(|(name, m)| format!("{name} {:.4}", m.ndcg + 0.0))
            .collect();
        let users = table.get("hybrid").map_or(0, |m| m.users);
        println!("  {segment:<7} ({users:>4}): {}", cells.join(", "));
    }
}
